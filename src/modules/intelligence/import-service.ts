/**
 * Imports data.police.uk street crime and stop-and-search files and MPS recorded crime tables.
 *
 * - Every file's header is checked before anything is written: a file of the wrong kind is refused with the reason.
 * - Files are streamed; rows are written in multi-row INSERT batches inside one transaction per file.
 * - Idempotent per force and month: the first time an import meets a (force, month) it deletes what was stored for
 *   it, in the same transaction, so a re-import replaces the month and never doubles it.
 * - Malformed rows are reported with their line number and reason; the rest are imported.
 * - Points get their ward and LSOA from the geography service; rows with no location are kept and flagged
 *   `location_missing`, and points outside the borough are kept and flagged `outside_area`.
 */
import fs from 'node:fs'
import path from 'node:path'

import type { GeographyService, Location, Point } from '../geography/index.js'
import { systemActor, type createAuditService } from '../../platform/audit.js'
import { csvRecords, readHeader } from './csv-records.js'
import {
  RECORDED_CRIME_BATCH_ROWS,
  STOP_SEARCH_BATCH_ROWS,
  STREET_BATCH_ROWS,
  type IntelligenceRepository,
  type RecordedCrimeInsert,
  type StopSearchInsert,
  type StreetCrimeInsert,
} from './intelligence-repository.js'
import {
  detectMpsLayout,
  headerProblem,
  parseMpsRow,
  parseStopSearchRow,
  parseStreetRow,
  STOP_SEARCH_HEADER,
  STREET_HEADER,
  type MpsLayout,
} from './police-formats.js'

export class ImportFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`)
    this.name = 'ImportFileError'
  }
}

export interface RejectedRow {
  file: string
  line: number
  reason: string
}

export interface ImportSummary {
  imported: number
  rejected: RejectedRow[]
  /** The months written, as `force month` keys for police files, `level month` for MPS tables. */
  months: string[]
  files: number
  noLocation: number
  outsideArea: number
  /** Rows left out on purpose: MPS rows for other boroughs and zero counts. */
  skipped: number
}

export type ProgressListener = (progress: { file: string; rows: number }) => void

type Audit = Pick<ReturnType<typeof createAuditService>, 'record'>

interface Dependencies {
  repository: IntelligenceRepository
  geography: GeographyService
  audit: Audit
}

const PROGRESS_EVERY = 5000

/**
 * Collects rows and writes them a batch at a time. The next batch is parsed while the last one is being written
 * (at most one write in flight, so the order of statements in the transaction is kept).
 */
function batchWriter<T>(size: number, write: (rows: T[]) => Promise<void>) {
  let rows: T[] = []
  let inFlight: Promise<void> = Promise.resolve()
  let failure: { error: unknown } | undefined
  const settle = async () => {
    await inFlight
    if (failure) throw failure.error
  }
  return {
    async add(row: T): Promise<void> {
      rows.push(row)
      if (rows.length < size) return
      const full = rows
      rows = []
      await settle()
      inFlight = write(full).catch((error: unknown) => {
        failure = { error }
      })
    },
    /** Writes what is left and waits for every write to finish. */
    async flush(): Promise<void> {
      await settle()
      const rest = rows
      rows = []
      if (rest.length > 0) await write(rest)
    },
  }
}

/** Files named on the command line, with folders expanded (recursively) to the files matching `pattern`. */
export function expandInputs(inputs: string[], pattern: RegExp): string[] {
  const files: string[] = []
  for (const input of inputs) {
    if (!fs.existsSync(input)) throw new ImportFileError(input, 'no such file or folder')
    if (fs.statSync(input).isDirectory()) {
      const found = fs
        .readdirSync(input, { recursive: true, encoding: 'utf8' })
        .filter(name => pattern.test(path.basename(name)))
        .map(name => path.join(input, name))
        .filter(file => fs.statSync(file).isFile())
        .sort()
      if (found.length === 0) throw new ImportFileError(input, `the folder has no files matching ${String(pattern)}`)
      files.push(...found)
    } else files.push(input)
  }
  return files
}

export const STREET_FILE_PATTERN = /-street\.csv$/i
export const STOP_SEARCH_FILE_PATTERN = /-stop-and-search.*\.csv$/i

/** Rows csv-parse skips are reported as it meets them, which can be ahead of the rows read: keep line order. */
function sortRejectedFrom(summary: ImportSummary, start: number): void {
  const mine = summary.rejected.splice(start).sort((a, b) => a.line - b.line)
  summary.rejected.push(...mine)
}

function emptySummary(): ImportSummary {
  return { imported: 0, rejected: [], months: [], files: 0, noLocation: 0, outsideArea: 0, skipped: 0 }
}

/** Caches lookups by coordinate: police.uk points are snapped to a few thousand map points, so most repeat. */
function cachedLocator(geography: GeographyService) {
  const cache = new Map<string, Location | null>()
  return (point: Point): Location | null => {
    const key = `${String(point.longitude)},${String(point.latitude)}`
    let found = cache.get(key)
    if (found === undefined) {
      found = geography.locate(point)
      cache.set(key, found)
    }
    return found
  }
}

async function checkHeaders(files: string[], check: (header: string[]) => string | null): Promise<void> {
  for (const file of files) {
    const header = await readHeader(file)
    if (!header) throw new ImportFileError(file, 'the file is empty')
    const problem = check(header)
    if (problem) throw new ImportFileError(file, problem)
  }
}

/** `2016-06-metropolitan-stop-and-search.csv` → month 2016-06, force metropolitan. */
export function stopSearchFileKey(file: string): { month: string; force: string } | null {
  const match = /^(\d{4}-(?:0[1-9]|1[0-2]))-([a-z0-9-]+?)-stop-and-search/i.exec(path.basename(file))
  return match?.[1] && match[2] ? { month: match[1], force: match[2].toLowerCase() } : null
}

export function createImportService({ repository, geography, audit }: Dependencies) {
  async function finish(kind: string, summary: ImportSummary): Promise<ImportSummary> {
    summary.months = [...new Set(summary.months)].sort()
    await audit.record({
      actor: systemActor,
      action: 'INTELLIGENCE_DATA_IMPORTED',
      subjectType: 'intelligence-import',
      subjectId: kind,
      details: {
        kind,
        files: summary.files,
        imported: summary.imported,
        rejected: summary.rejected.length,
        months: summary.months,
      },
    })
    return summary
  }

  return {
    async importPoliceStreet(inputs: string[], onProgress?: ProgressListener): Promise<ImportSummary> {
      const files = expandInputs(inputs, STREET_FILE_PATTERN)
      await checkHeaders(files, header => headerProblem(header, STREET_HEADER))
      const locate = cachedLocator(geography)
      const summary = emptySummary()
      const replaced = new Set<string>()
      for (const file of files) {
        const source = path.basename(file)
        const rejectedBefore = summary.rejected.length
        await repository.transaction(async tx => {
          const writer = batchWriter<StreetCrimeInsert>(STREET_BATCH_ROWS, batch => tx.insertStreet(batch))
          let rows = 0
          for await (const record of csvRecords(file)) {
            if (record.line === 1) continue
            if ('error' in record) {
              summary.rejected.push({ file: source, line: record.line, reason: record.error })
              continue
            }
            const parsed = parseStreetRow(record.fields)
            if (!parsed.ok) {
              summary.rejected.push({ file: source, line: record.line, reason: parsed.reason })
              continue
            }
            const row = parsed.row
            const key = `${row.force} ${row.month}`
            if (!replaced.has(key)) {
              await writer.flush()
              await tx.deleteStreetMonth(row.force, row.month)
              replaced.add(key)
              summary.months.push(key)
            }
            const location = row.point ? locate(row.point) : null
            if (!row.point) summary.noLocation++
            else if (!location) summary.outsideArea++
            await writer.add({
              force: row.force,
              month: row.month,
              crime_id: row.crimeId,
              reported_by: row.reportedBy,
              crime_type: row.crimeType,
              outcome_code: row.outcomeCode,
              outcome_name: row.outcomeName,
              latitude: row.point?.latitude ?? null,
              longitude: row.point?.longitude ?? null,
              location: row.location,
              location_missing: row.point === null,
              outside_area: row.point !== null && location === null,
              police_lsoa_code: row.policeLsoaCode,
              police_lsoa_name: row.policeLsoaName,
              ward_code: location?.ward.code ?? null,
              lsoa2021_code: location?.lsoa.code ?? null,
              lsoa2011_code: location?.lsoa2011?.code ?? null,
              source_file: source,
              source_line: record.line,
            })
            summary.imported++
            rows++
            if (onProgress && rows % PROGRESS_EVERY === 0) onProgress({ file: source, rows })
          }
          await writer.flush()
          onProgress?.({ file: source, rows })
        })
        sortRejectedFrom(summary, rejectedBefore)
        summary.files++
      }
      return finish('police-street', summary)
    },

    async importStopSearch(
      inputs: string[],
      options: { force?: string; month?: string } = {},
      onProgress?: ProgressListener,
    ): Promise<ImportSummary> {
      const files = expandInputs(inputs, STOP_SEARCH_FILE_PATTERN)
      const keys = new Map<string, { force: string; month: string }>()
      for (const file of files) {
        const fromName = stopSearchFileKey(file)
        const force = options.force ?? fromName?.force
        const month = options.month ?? fromName?.month
        if (!force || !month)
          throw new ImportFileError(
            file,
            'cannot tell the force and month from the file name (expected YYYY-MM-<force>-stop-and-search.csv); ' +
              'give --force and --month',
          )
        if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new ImportFileError(file, `month "${month}" is not YYYY-MM`)
        keys.set(file, { force, month })
      }
      await checkHeaders(files, header => headerProblem(header, STOP_SEARCH_HEADER))
      const locate = cachedLocator(geography)
      const summary = emptySummary()
      const replaced = new Set<string>()
      for (const file of files) {
        const source = path.basename(file)
        const rejectedBefore = summary.rejected.length
        const { force, month } = keys.get(file) as { force: string; month: string }
        await repository.transaction(async tx => {
          const key = `${force} ${month}`
          if (!replaced.has(key)) {
            await tx.deleteStopSearchMonth(force, month)
            replaced.add(key)
            summary.months.push(key)
          }
          const writer = batchWriter<StopSearchInsert>(STOP_SEARCH_BATCH_ROWS, batch => tx.insertStopSearch(batch))
          let rows = 0
          for await (const record of csvRecords(file)) {
            if (record.line === 1) continue
            if ('error' in record) {
              summary.rejected.push({ file: source, line: record.line, reason: record.error })
              continue
            }
            const parsed = parseStopSearchRow(record.fields)
            if (!parsed.ok) {
              summary.rejected.push({ file: source, line: record.line, reason: parsed.reason })
              continue
            }
            const row = parsed.row
            const location = row.point ? locate(row.point) : null
            if (!row.point) summary.noLocation++
            else if (!location) summary.outsideArea++
            await writer.add({
              force,
              month,
              search_type: row.type,
              occurred_at: row.occurredAt,
              part_of_operation: row.partOfOperation,
              operation: row.operation,
              latitude: row.point?.latitude ?? null,
              longitude: row.point?.longitude ?? null,
              location_missing: row.point === null,
              outside_area: row.point !== null && location === null,
              gender: row.gender,
              age_range: row.ageRange,
              self_defined_ethnicity: row.selfDefinedEthnicity,
              officer_defined_ethnicity: row.officerDefinedEthnicity,
              legislation: row.legislation,
              object_of_search: row.objectOfSearch,
              outcome: row.outcome,
              outcome_linked_to_object: row.outcomeLinkedToObject,
              removal_of_more_than_outer_clothing: row.removalOfMoreThanOuterClothing,
              ward_code: location?.ward.code ?? null,
              lsoa2021_code: location?.lsoa.code ?? null,
              lsoa2011_code: location?.lsoa2011?.code ?? null,
              source_file: source,
              source_line: record.line,
            })
            summary.imported++
            rows++
            if (onProgress && rows % PROGRESS_EVERY === 0) onProgress({ file: source, rows })
          }
          await writer.flush()
          onProgress?.({ file: source, rows })
        })
        sortRejectedFrom(summary, rejectedBefore)
        summary.files++
      }
      return finish('police-stop-search', summary)
    },

    /**
     * One MPS recorded crime table (borough, ward or LSOA level; current or historical). Only the configured
     * borough's rows are kept, and zero counts are not stored (a missing row means none recorded).
     */
    async importMpsRecordedCrime(file: string, onProgress?: ProgressListener): Promise<ImportSummary> {
      const [only] = expandInputs([file], /\.csv$/i)
      if (!only) throw new ImportFileError(file, 'no CSV file found')
      const header = await readHeader(only)
      if (!header) throw new ImportFileError(only, 'the file is empty')
      const detected = detectMpsLayout(header)
      if (!detected.ok) throw new ImportFileError(only, detected.reason)
      const { layout, months } = detected
      const level = levelOf(layout)
      const borough = geography.borough()
      const wardCodes = new Set(geography.wards().map(ward => ward.code))
      const lsoaWard = new Map(geography.lsoas(2021).map(lsoa => [lsoa.code, lsoa.wardCode]))
      const inBorough = (name: string, code: string | null): boolean =>
        level === 'lsoa'
          ? name === borough.code || lsoaWard.has(code ?? '')
          : sameName(name, borough.shortName) || sameName(name, borough.name) || wardCodes.has(code ?? '')
      const source = path.basename(only)
      const summary = emptySummary()
      await repository.transaction(async tx => {
        await tx.deleteRecordedCrimeMonths(level, months)
        summary.months.push(...months.map(month => `${level} ${month}`))
        let batch: RecordedCrimeInsert[] = []
        let rows = 0
        for await (const record of csvRecords(only)) {
          if (record.line === 1) continue
          if ('error' in record) {
            summary.rejected.push({ file: source, line: record.line, reason: record.error })
            continue
          }
          const parsed = parseMpsRow(layout, record.fields, months.length)
          if (!parsed.ok) {
            summary.rejected.push({ file: source, line: record.line, reason: parsed.reason })
            continue
          }
          const row = parsed.row
          if (!inBorough(row.borough, row.areaCode)) {
            summary.skipped++
            continue
          }
          const areaCode = level === 'borough' ? borough.code : (row.areaCode ?? row.areaName)
          const wardCode =
            level === 'ward' ? (wardCodes.has(areaCode) ? areaCode : null) : (lsoaWard.get(areaCode) ?? null)
          row.counts.forEach((count, i) => {
            const month = months[i]
            if (count === 0 || !month) {
              summary.skipped++
              return
            }
            batch.push({
              level,
              area_code: areaCode,
              area_name: row.areaName,
              ward_code: level === 'borough' ? null : wardCode,
              major_category: row.majorCategory,
              minor_category: row.minorCategory,
              month,
              count,
            })
          })
          summary.imported++
          rows++
          if (batch.length >= RECORDED_CRIME_BATCH_ROWS) {
            await tx.insertRecordedCrime(dedupe(batch))
            batch = []
          }
          if (onProgress && rows % PROGRESS_EVERY === 0) onProgress({ file: source, rows })
        }
        await tx.insertRecordedCrime(dedupe(batch))
        onProgress?.({ file: source, rows })
      })
      sortRejectedFrom(summary, 0)
      summary.files = 1
      return finish('mps-recorded-crime', summary)
    },
  }
}

function levelOf(layout: MpsLayout): 'borough' | 'ward' | 'lsoa' {
  return layout === 'borough' ? 'borough' : layout === 'lsoa' ? 'lsoa' : 'ward'
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase()
}

/** ON CONFLICT cannot touch one row twice in a statement: within a batch the later row wins. */
function dedupe(rows: RecordedCrimeInsert[]): RecordedCrimeInsert[] {
  const byKey = new Map<string, RecordedCrimeInsert>()
  for (const row of rows) byKey.set(`${row.month}|${row.area_code}|${row.major_category}|${row.minor_category}`, row)
  return [...byKey.values()]
}

export type ImportService = ReturnType<typeof createImportService>
