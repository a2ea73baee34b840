/**
 * Imports data.police.uk street crime and stop-and-search files and MPS recorded crime tables.
 *
 * - Every file's header is checked before anything is written: a file of the wrong kind is refused with the reason.
 * - Files are streamed, one transaction per file: on PostgreSQL street and stop-and-search rows go through COPY, on
 *   PGlite through multi-row INSERT batches (the repository's `importTransaction`); MPS tables use INSERT batches.
 * - Idempotent per force and month: the first time an import meets a (force, month) it deletes what was stored for
 *   it, in the same transaction, so a re-import replaces the month and never doubles it.
 * - Malformed rows are reported with their line number and reason; the rest are imported.
 * - Points get their ward and LSOA from the geography service; rows with no location are kept and flagged
 *   `location_missing`, and points outside the borough are kept and flagged `outside_area`.
 */
import fs from 'node:fs'
import path from 'node:path'

import type { GeographyService, Location, Point } from '../geography/index.js'
import { systemActor, type Actor, type createAuditService } from '../../platform/audit.js'
import { DomainError } from '../../platform/errors.js'
import { csvRecordChunks, csvRecords, readHeader } from '../../platform/csv.js'
import {
  RECORDED_CRIME_BATCH_ROWS,
  type ImportSink,
  type IntelligenceRepository,
  type PointKind,
  type PointRows,
  type RecordedCrimeInsert,
} from './intelligence-repository.js'
import {
  detectMpsLayout,
  headerProblem,
  parseMpsRow,
  parseStopSearchRow,
  parseStreetRow,
  STOP_SEARCH_HEADER,
  STREET_HEADER,
  type Coordinates,
  type MpsLayout,
  type RowResult,
  type StopSearchRow,
  type StreetCrimeRow,
} from './police-formats.js'

/**
 * A file the import refuses as a whole, before anything is written: a platform `DomainError` on the `file` input,
 * worded by `intelligence.import.errors.refused` with the `reason`. The reason is a diagnosis of the file (its
 * header against the expected columns, its name), which the command line prints as it is, so the message keeps it.
 */
export class ImportFileError extends DomainError<'import-file-refused'> {
  readonly reason: string

  constructor(
    readonly file: string,
    reason: string,
  ) {
    super('import-file-refused', {
      status: 400,
      field: 'file',
      messageKey: 'intelligence.import.errors.refused',
      params: { reason },
    })
    this.reason = reason
    // The command line shows the message: the file and why (paths and column names, never personal data).
    this.message = `${file}: ${reason}`
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

export interface ImportOptions {
  onProgress?: ProgressListener
  /** Who asked for the import (the audit event's actor); the system for the command line. */
  actor?: Actor
}

type Audit = Pick<ReturnType<typeof createAuditService>, 'record'>

interface Dependencies {
  repository: IntelligenceRepository
  geography: GeographyService
  audit: Audit
}

const PROGRESS_EVERY = 5000

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

/** What differs between the two point formats; the loop that reads a file and writes its rows is shared. */
interface PointFormat<K extends PointKind, Parsed extends { point: Coordinates | null }> {
  kind: K
  parse(fields: readonly string[]): RowResult<Parsed>
  /** The force and month a row belongs to, which the import replaces the first time it meets them. */
  key(row: Parsed): { force: string; month: string }
  /** A file that is one force and month replaces it even when it has no rows (a month with no searches). */
  fileKey?: { force: string; month: string }
  toInsert(row: Parsed, location: Location | null, source: string, line: number): PointRows[K]
}

const located = (location: Location | null) => ({
  ward_code: location?.ward.code ?? null,
  lsoa2021_code: location?.lsoa.code ?? null,
  lsoa2011_code: location?.lsoa2011?.code ?? null,
})

const pointColumns = (point: Coordinates | null, location: Location | null) => ({
  latitude: point?.latitude ?? null,
  longitude: point?.longitude ?? null,
  location_missing: point === null,
  outside_area: point !== null && location === null,
})

const STREET_FORMAT: PointFormat<'street', StreetCrimeRow> = {
  kind: 'street',
  parse: parseStreetRow,
  key: row => ({ force: row.force, month: row.month }),
  toInsert: (row, location, source, line) => ({
    force: row.force,
    month: row.month,
    crime_id: row.crimeId,
    reported_by: row.reportedBy,
    crime_type: row.crimeType,
    outcome_code: row.outcomeCode,
    outcome_name: row.outcomeName,
    ...pointColumns(row.point, location),
    location: row.location,
    police_lsoa_code: row.policeLsoaCode,
    police_lsoa_name: row.policeLsoaName,
    ...located(location),
    source_file: source,
    source_line: line,
  }),
}

/** Stop and search rows take their force and month from the file (its name, or --force and --month). */
function stopSearchFormat(key: { force: string; month: string }): PointFormat<'stop-search', StopSearchRow> {
  return {
    kind: 'stop-search',
    parse: parseStopSearchRow,
    key: () => key,
    fileKey: key,
    toInsert: (row, location, source, line) => ({
      ...key,
      search_type: row.type,
      occurred_at: row.occurredAt,
      part_of_operation: row.partOfOperation,
      operation: row.operation,
      ...pointColumns(row.point, location),
      gender: row.gender,
      age_range: row.ageRange,
      self_defined_ethnicity: row.selfDefinedEthnicity,
      officer_defined_ethnicity: row.officerDefinedEthnicity,
      legislation: row.legislation,
      object_of_search: row.objectOfSearch,
      outcome: row.outcome,
      outcome_linked_to_object: row.outcomeLinkedToObject,
      removal_of_more_than_outer_clothing: row.removalOfMoreThanOuterClothing,
      ...located(location),
      source_file: source,
      source_line: line,
    }),
  }
}

export function createImportService({ repository, geography, audit }: Dependencies) {
  async function finish(kind: string, summary: ImportSummary, actor: Actor = systemActor): Promise<ImportSummary> {
    summary.months = [...new Set(summary.months)].sort()
    await audit.record({
      actor,
      action: 'INTELLIGENCE_DATA_IMPORTED',
      subjectType: 'intelligence-import',
      subjectId: kind,
      details: {
        kind,
        method: repository.importMethod,
        files: summary.files,
        imported: summary.imported,
        rejected: summary.rejected.length,
        months: summary.months,
      },
    })
    return summary
  }

  /** Reads one point file into its own transaction; `replaced` carries the months replaced by earlier files. */
  async function importPointFile<K extends PointKind, Parsed extends { point: Coordinates | null }>(
    format: PointFormat<K, Parsed>,
    file: string,
    context: { summary: ImportSummary; replaced: Set<string>; locate: (point: Point) => Location | null },
    onProgress?: ProgressListener,
  ): Promise<void> {
    const { summary, replaced, locate } = context
    const source = path.basename(file)
    const replace = async (sink: ImportSink<PointRows[K]>, force: string, month: string) => {
      const key = `${force} ${month}`
      if (replaced.has(key)) return
      await sink.replaceMonth(force, month)
      replaced.add(key)
      summary.months.push(key)
    }
    await repository.importTransaction(format.kind, async sink => {
      if (format.fileKey) await replace(sink, format.fileKey.force, format.fileKey.month)
      let rows = 0
      for await (const chunk of csvRecordChunks(file)) {
        for (const record of chunk) {
          if (record.line === 1) continue
          const parsed = 'error' in record ? { ok: false as const, reason: record.error } : format.parse(record.fields)
          if (!parsed.ok) {
            summary.rejected.push({ file: source, line: record.line, reason: parsed.reason })
            continue
          }
          const row = parsed.row
          const { force, month } = format.key(row)
          if (!replaced.has(`${force} ${month}`)) await replace(sink, force, month)
          const location = row.point ? locate(row.point) : null
          if (!row.point) summary.noLocation++
          else if (!location) summary.outsideArea++
          const wait = sink.add(format.toInsert(row, location, source, record.line))
          if (wait) await wait
          summary.imported++
          rows++
        }
        onProgress?.({ file: source, rows })
      }
      onProgress?.({ file: source, rows })
    })
    summary.files++
  }

  return {
    /** How point rows are written here: `copy` on PostgreSQL, `insert` on PGlite. */
    method: repository.importMethod,

    async importPoliceStreet(inputs: string[], options: ImportOptions = {}): Promise<ImportSummary> {
      const files = expandInputs(inputs, STREET_FILE_PATTERN)
      await checkHeaders(files, header => headerProblem(header, STREET_HEADER))
      const context = { summary: emptySummary(), replaced: new Set<string>(), locate: cachedLocator(geography) }
      for (const file of files) await importPointFile(STREET_FORMAT, file, context, options.onProgress)
      return finish('police-street', context.summary, options.actor)
    },

    async importStopSearch(
      inputs: string[],
      options: ImportOptions & { force?: string; month?: string } = {},
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
      const context = { summary: emptySummary(), replaced: new Set<string>(), locate: cachedLocator(geography) }
      for (const file of files) {
        const format = stopSearchFormat(keys.get(file) as { force: string; month: string })
        await importPointFile(format, file, context, options.onProgress)
      }
      return finish('police-stop-search', context.summary, options.actor)
    },

    /**
     * One MPS recorded crime table (borough, ward or LSOA level; current or historical). Only the configured
     * borough's rows are kept, and zero counts are not stored (a missing row means none recorded).
     */
    async importMpsRecordedCrime(file: string, options: ImportOptions = {}): Promise<ImportSummary> {
      const { onProgress } = options
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
      summary.files = 1
      return finish('mps-recorded-crime', summary, options.actor)
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
