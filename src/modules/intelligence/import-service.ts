/**
 * Imports data.police.uk street crime and stop-and-search files and MPS recorded crime tables.
 *
 * - Every file's header is checked before anything is written: a file of the wrong kind is refused with the reason.
 * - Files are streamed, one transaction per file: on PostgreSQL street and stop-and-search rows go through COPY, on
 *   PGlite through multi-row INSERT batches (the repository's `importTransaction`); MPS tables use INSERT batches.
 *   Street rows are judged by their repeated parts, each distinct part once (ADR 0058).
 * - Idempotent per force and month: the first time an import meets a (force, month) it deletes what was stored for
 *   it, in the same transaction, so a re-import replaces the month and never doubles it.
 * - Malformed rows are reported with their line number and reason; the rest are imported.
 * - Street rows are placed in the borough by the file's own LSOA code when it is present and known (a strict test);
 *   only rows without one are placed by point, with the geography's 25 m tolerance. Both counts are reported
 *   (`placement`). Rows with no location are kept and flagged `location_missing`, rows outside the borough are kept
 *   and flagged `outside_area`.
 * - MPS tables never replace a month with far fewer records than Safer holds for it, and a partial edge month (far
 *   below its neighbours, or below the same month at another level) is reported; `replacePartial` overrides.
 * - Files for another force or borough, and month columns out of order, are explained in `notes`.
 */
import fs from 'node:fs'
import path from 'node:path'

import type { GeographyService, Location, Point } from '../geography/index.js'
import { systemActor, type Actor, type createAuditService } from '../../platform/audit.js'
import { DomainError } from '../../platform/errors.js'
import { csvChunks, csvRecordChunks, csvRecords, readHeader } from '../../platform/csv.js'
import {
  RECORDED_CRIME_BATCH_ROWS,
  rowPart,
  type ImportSink,
  type IntelligenceRepository,
  type PointKind,
  type PointRows,
  type RecordedCrimeInsert,
  type RowPart,
  type StreetCrimeInsert,
} from './intelligence-repository.js'
import {
  detectMpsLayout,
  headerProblem,
  parseCrimeId,
  parseMpsRow,
  parseStopSearchRow,
  parseStreetRow,
  parseStreetWhat,
  parseStreetWhere,
  parseStreetWho,
  STOP_SEARCH_HEADER,
  STREET_HEADER,
  type Coordinates,
  type MpsLayout,
  type RowResult,
  type StopSearchRow,
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

/** How located street rows were placed in the borough (docs/police-data-import.md). */
export interface Placement {
  /** Located rows placed by the file's own LSOA code (present and known). */
  byLsoaCode: number
  /** Located rows placed by point, with the 25 m tolerance: the LSOA code was missing or unknown. */
  byPoint: number
  /** Located rows counted in the borough by that rule. */
  inArea: number
  /** Located rows the point test with its 25 m tolerance alone would count in the borough, for comparison. */
  inAreaByPointTolerance: number
}

/** A month of an MPS table that looks partial, and what the import did with it. */
export interface PartialMonth {
  level: 'borough' | 'ward' | 'lsoa'
  month: string
  /** The borough's total for the month in this file. */
  total: number
  /** What Safer held for the month at this level before the import (0 when nothing). */
  held: number
  /** Why it looks partial: the median of the nearest months in the file, the same month at another level. */
  neighbours: number | null
  otherLevel: { level: string; total: number } | null
  /** kept: the existing figures stay; imported: nothing was held, so the file's figures were stored; replaced: by request. */
  action: 'kept' | 'imported' | 'replaced'
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
  /** Street files only: how located rows were placed (strict LSOA code against the point tolerance). */
  placement?: Placement
  /** MPS tables only: months that look partial (see PartialMonth). */
  partialMonths?: PartialMonth[]
  /** Plain explanations of anything unusual about the files: another force or borough, months out of order. */
  notes: string[]
}

export type ProgressListener = (progress: { file: string; rows: number }) => void

export interface ImportOptions {
  onProgress?: ProgressListener
  /** MPS tables: replace months even when the file holds far fewer records than Safer (a confirmed full file). */
  replacePartial?: boolean
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
  return { imported: 0, rejected: [], months: [], files: 0, noLocation: 0, outsideArea: 0, skipped: 0, notes: [] }
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

/** Where a row was placed: in the borough (with its ward and LSOAs) or not. */
interface Placed {
  inside: boolean
  ward_code: string | null
  lsoa2021_code: string | null
  lsoa2011_code: string | null
}

const OUTSIDE: Placed = { inside: false, ward_code: null, lsoa2021_code: null, lsoa2011_code: null }

const byPoint = (location: Location | null): Placed =>
  location
    ? {
        inside: true,
        ward_code: location.ward.code,
        lsoa2021_code: location.lsoa.code,
        lsoa2011_code: location.lsoa2011?.code ?? null,
      }
    : OUTSIDE

const LSOA_CODE = /^[EW]01\d{6}$/

/**
 * Places a row by the file's own LSOA code: a code of one of the borough's LSOAs (2011 or 2021) puts it in that
 * LSOA's ward; a well-formed code the borough does not hold puts it outside, when the pack has both LSOA vintages
 * (so a code missing from it is another area's). Undefined when the code is missing or cannot be judged: the row is
 * then placed by point.
 */
function lsoaCodePlacer(geography: GeographyService) {
  const lsoa2011 = new Map(geography.lsoas(2011).map(lsoa => [lsoa.code, lsoa.wardCode]))
  const lsoa2021 = new Map(geography.lsoas(2021).map(lsoa => [lsoa.code, lsoa.wardCode]))
  const bothVintages = lsoa2011.size > 0 && lsoa2021.size > 0
  return (code: string | null, location: Location | null): Placed | undefined => {
    if (code === null || !LSOA_CODE.test(code)) return undefined
    const in2021 = lsoa2021.has(code)
    const in2011 = lsoa2011.has(code)
    if (!in2021 && !in2011) return bothVintages ? OUTSIDE : undefined
    return {
      inside: true,
      ward_code: (in2021 ? lsoa2021.get(code) : lsoa2011.get(code)) ?? location?.ward.code ?? null,
      lsoa2021_code: in2021 ? code : (location?.lsoa.code ?? null),
      lsoa2011_code: in2011 ? code : (location?.lsoa2011?.code ?? null),
    }
  }
}

/** What a point format other than street (stop and search) declares; street files have their own reader. */
interface PointFormat<K extends PointKind, Parsed extends { point: Coordinates | null }> {
  kind: K
  parse(fields: readonly string[]): RowResult<Parsed>
  /** The force and month a row belongs to, which the import replaces the first time it meets them. */
  key(row: Parsed): { force: string; month: string }
  /** A file that is one force and month replaces it even when it has no rows (a month with no searches). */
  fileKey?: { force: string; month: string }
  toInsert(row: Parsed, placed: Placed, source: string, line: number): PointRows[K]
}

const pointColumns = (point: Coordinates | null, placed: Placed) => ({
  latitude: point?.latitude ?? null,
  longitude: point?.longitude ?? null,
  location_missing: point === null,
  outside_area: point !== null && !placed.inside,
  ward_code: placed.ward_code,
  lsoa2021_code: placed.lsoa2021_code,
  lsoa2011_code: placed.lsoa2011_code,
})

/** Stop and search rows take their force and month from the file (its name, or --force and --month). */
function stopSearchFormat(key: { force: string; month: string }): PointFormat<'stop-search', StopSearchRow> {
  return {
    kind: 'stop-search',
    parse: parseStopSearchRow,
    key: () => key,
    fileKey: key,
    toInsert: (row, placed, source, line) => ({
      ...key,
      search_type: row.type,
      occurred_at: row.occurredAt,
      part_of_operation: row.partOfOperation,
      operation: row.operation,
      ...pointColumns(row.point, placed),
      gender: row.gender,
      age_range: row.ageRange,
      self_defined_ethnicity: row.selfDefinedEthnicity,
      officer_defined_ethnicity: row.officerDefinedEthnicity,
      legislation: row.legislation,
      object_of_search: row.objectOfSearch,
      outcome: row.outcome,
      outcome_linked_to_object: row.outcomeLinkedToObject,
      removal_of_more_than_outer_clothing: row.removalOfMoreThanOuterClothing,
      source_file: source,
      source_line: line,
    }),
  }
}

interface PointContext {
  summary: ImportSummary
  replaced: Set<string>
  locate: (point: Point) => Location | null
  placeByCode: ReturnType<typeof lsoaCodePlacer>
  /** Rows and rows in the borough, by force (to explain a file for another force). */
  forces: Map<string, { rows: number; inArea: number }>
  /** Street files: the distinct what and where parts met so far, judged once for the whole import. */
  what: Map<string, Judged<WhatPart>>
  where: Map<string, Judged<WherePart>>
}

/** A distinct part of street rows, judged once (ADR 0058): its problem, or what every row sharing it gets. */
type Judged<T> = (T & { ok: true; part: RowPart<StreetCrimeInsert> }) | { ok: false; reason: string }

/** Month, reported by and force (with the file's name): one per file, normally. */
interface WhoPart {
  force: string
  month: string
  /** Rows and rows in the borough for the force (PointContext.forces). */
  tally: { rows: number; inArea: number }
  /** Whether the force's month has been replaced (the import replaces a month the first time it meets it). */
  replaced: boolean
}

/** Crime type and outcome: a few hundred in a file. */
type WhatPart = object

/** Point, location and LSOA, placed in the borough: a few thousand in a file (police.uk's snap points). */
interface WherePart {
  hasPoint: boolean
  inside: boolean
  byCode: boolean
  /** Whether the point test with its tolerance alone would count the row in the borough. */
  byPointInside: boolean
}

const STREET_FIELDS = STREET_HEADER.length
const CR = 13

export function createImportService({ repository, geography, audit }: Dependencies) {
  const pointContext = (): PointContext => ({
    summary: emptySummary(),
    replaced: new Set<string>(),
    locate: cachedLocator(geography),
    placeByCode: lsoaCodePlacer(geography),
    forces: new Map(),
    what: new Map(),
    where: new Map(),
  })

  /** A file of another force's records is imported (its months replace only that force's), and said so. */
  function otherForceNotes(forces: PointContext['forces'], bySlug = false): string[] {
    const own = geography.borough().policeForce
    const ownKey = bySlug ? own.slug : own.name
    return [...forces.entries()]
      .filter(([force]) => force.toLowerCase() !== ownKey.toLowerCase())
      .map(
        ([force, tally]) =>
          `${tally.rows.toLocaleString('en-GB')} rows are from ${force}, not ${own.name} (the borough's force): ` +
          `they replace only ${force}'s months, and ${tally.inArea.toLocaleString('en-GB')} of them lie in the borough.`,
      )
  }

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

  /**
   * Reads one stop and search file into its own transaction; `replaced` carries the months replaced by earlier files.
   */
  async function importPointFile<K extends PointKind, Parsed extends { point: Coordinates | null }>(
    format: PointFormat<K, Parsed>,
    file: string,
    context: PointContext,
    onProgress?: ProgressListener,
  ): Promise<void> {
    const { summary, replaced, locate, forces } = context
    const source = path.basename(file)
    const replace = async (sink: ImportSink<PointRows[K]>, force: string, month: string) => {
      const key = `${force} ${month}`
      if (replaced.has(key)) return
      await sink.replaceMonth(force, month)
      replaced.add(key)
      summary.months.push(key)
    }
    // The file's month (from its name) gets its partition before the import's transaction takes the table's locks;
    // months found inside it get theirs afterwards, which moves their rows out of the default partition (ADR 0061).
    const fileMonth = format.fileKey?.month ?? /^(\d{4}-\d{2})-/.exec(source)?.[1]
    if (fileMonth) await repository.ensureMonths(format.kind, [fileMonth])
    const before = summary.months.length
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
          const placed = byPoint(row.point ? locate(row.point) : null)
          const tally = forces.get(force) ?? { rows: 0, inArea: 0 }
          forces.set(force, tally)
          tally.rows++
          if (!row.point) summary.noLocation++
          else if (!placed.inside) summary.outsideArea++
          else tally.inArea++
          const wait = sink.add(format.toInsert(row, placed, source, record.line))
          if (wait) await wait
          summary.imported++
          rows++
        }
        onProgress?.({ file: source, rows })
      }
      onProgress?.({ file: source, rows })
    })
    await repository.ensureMonths(
      format.kind,
      summary.months.slice(before).map(key => key.slice(key.lastIndexOf(' ') + 1)),
    )
    summary.files++
  }

  /**
   * Reads one street file into its own transaction (ADR 0058). A row is cut into its Crime ID, its line and three
   * parts that repeat across the file (who: month, reported by, force; what: crime type, outcome; where: point,
   * location, LSOA). Each distinct part is judged, placed and encoded once, by the same functions `parseStreetRow`
   * uses and in its order, so a row gets the same values and the same reason for a rejection as it would alone. Plain
   * text (no quotes, the police.uk norm) is split at commas where it lies; anything else is read record by record.
   */
  async function importStreetFile(file: string, context: PointContext, onProgress?: ProgressListener): Promise<void> {
    const { summary, replaced, locate, placeByCode, forces } = context
    const placement = (summary.placement ??= { byLsoaCode: 0, byPoint: 0, inArea: 0, inAreaByPointTolerance: 0 })
    const source = path.basename(file)
    const whoParts = new Map<string, Judged<WhoPart>>()

    const who = (key: string, fields: readonly string[]): Judged<WhoPart> => {
      let judged = whoParts.get(key)
      if (judged) return judged
      const [month = '', reportedBy = '', fallsWithin = ''] = fields
      const parsed = parseStreetWho(month, reportedBy, fallsWithin)
      if (!parsed.ok) judged = parsed
      else {
        const { force } = parsed.row
        const tally = forces.get(force) ?? { rows: 0, inArea: 0 }
        forces.set(force, tally)
        judged = {
          ok: true,
          force,
          month: parsed.row.month,
          tally,
          replaced: false,
          part: rowPart<StreetCrimeInsert>({
            force,
            month: parsed.row.month,
            reported_by: parsed.row.reportedBy,
            source_file: source,
          }),
        }
      }
      whoParts.set(key, judged)
      return judged
    }

    const what = (key: string, fields: readonly string[]): Judged<WhatPart> => {
      let judged = context.what.get(key)
      if (judged) return judged
      const [crimeType = '', outcome = ''] = fields
      const parsed = parseStreetWhat(crimeType, outcome)
      judged = parsed.ok
        ? {
            ok: true,
            part: rowPart<StreetCrimeInsert>({
              crime_type: parsed.row.crimeType,
              outcome_code: parsed.row.outcomeCode,
              outcome_name: parsed.row.outcomeName,
            }),
          }
        : parsed
      context.what.set(key, judged)
      return judged
    }

    const where = (key: string, fields: readonly string[]): Judged<WherePart> => {
      let judged = context.where.get(key)
      if (judged) return judged
      const [longitude = '', latitude = '', location = '', lsoaCode = '', lsoaName = ''] = fields
      const parsed = parseStreetWhere(longitude, latitude, location, lsoaCode, lsoaName)
      if (!parsed.ok) judged = parsed
      else {
        const { point } = parsed.row
        const byPointTolerance = point ? locate(point) : null
        const byCode = placeByCode(parsed.row.policeLsoaCode, byPointTolerance)
        const placed = byCode ?? byPoint(byPointTolerance)
        judged = {
          ok: true,
          hasPoint: point !== null,
          inside: placed.inside,
          byCode: byCode !== undefined,
          byPointInside: byPointTolerance !== null,
          part: rowPart<StreetCrimeInsert>({
            ...pointColumns(point, placed),
            location: parsed.row.location,
            police_lsoa_code: parsed.row.policeLsoaCode,
            police_lsoa_name: parsed.row.policeLsoaName,
          }),
        }
      }
      context.where.set(key, judged)
      return judged
    }

    await repository.importTransaction('street', async sink => {
      let rows = 0
      const reject = (line: number, reason: string): undefined => {
        summary.rejected.push({ file: source, line, reason })
        return undefined
      }
      /** Replaces the force's month the first time the import meets it (in this file or an earlier one). */
      const replaceMonth = async (rowWho: WhoPart): Promise<void> => {
        const key = `${rowWho.force} ${rowWho.month}`
        if (!replaced.has(key)) {
          await sink.replaceMonth(rowWho.force, rowWho.month)
          replaced.add(key)
          summary.months.push(key)
        }
        rowWho.replaced = true
      }
      /**
       * One row whose fields all came: the Crime ID as it is, the three parts judged. Returns a promise only when
       * the caller must wait (a month being replaced, a buffer being written): most rows cost no turn of the loop.
       */
      const add = (
        crimeIdField: string,
        rowWho: Judged<WhoPart>,
        rowWhat: Judged<WhatPart>,
        rowWhere: Judged<WherePart>,
        line: number,
      ): Promise<void> | undefined => {
        const crimeId = parseCrimeId(crimeIdField)
        if (!crimeId.ok) return reject(line, crimeId.reason)
        if (!rowWho.ok) return reject(line, rowWho.reason)
        if (!rowWhat.ok) return reject(line, rowWhat.reason)
        if (!rowWhere.ok) return reject(line, rowWhere.reason)
        if (!rowWho.replaced) return replaceMonth(rowWho).then(() => add(crimeIdField, rowWho, rowWhat, rowWhere, line))
        const { tally } = rowWho
        tally.rows++
        if (!rowWhere.hasPoint) summary.noLocation++
        else {
          if (!rowWhere.inside) summary.outsideArea++
          else {
            tally.inArea++
            placement.inArea++
          }
          if (rowWhere.byCode) placement.byLsoaCode++
          else placement.byPoint++
          if (rowWhere.byPointInside) placement.inAreaByPointTolerance++
        }
        summary.imported++
        rows++
        return sink.addParts([rowWho.part, rowWhat.part, rowWhere.part], { crime_id: crimeId.row, source_line: line })
      }
      const rejectFields = (line: number, fields: readonly string[]) => {
        const parsed = parseStreetRow(fields)
        reject(line, parsed.ok ? `has ${String(fields.length)} fields` : parsed.reason)
      }

      for await (const chunk of csvChunks(file)) {
        if ('records' in chunk) {
          for (const record of chunk.records) {
            if (record.line === 1) continue
            if ('error' in record) reject(record.line, record.error)
            else if (record.fields.length !== STREET_FIELDS) rejectFields(record.line, record.fields)
            else {
              // Quoted fields may hold commas: the parts are keyed by their fields as JSON, which holds quotes, so
              // never meets a plain line's key.
              const fields = record.fields
              const whoFields = fields.slice(1, 4)
              const whereFields = fields.slice(4, 9)
              const whatFields = fields.slice(9)
              const wait = add(
                fields[0] ?? '',
                who(JSON.stringify(whoFields), whoFields),
                what(JSON.stringify(whatFields), whatFields),
                where(JSON.stringify(whereFields), whereFields),
                record.line,
              )
              if (wait) await wait
            }
          }
        } else {
          const text = chunk.plain
          let line = chunk.line
          let from = 0
          while (from < text.length) {
            const lineFeed = text.indexOf('\n', from)
            const next = lineFeed === -1 ? text.length : lineFeed + 1
            let end = lineFeed === -1 ? text.length : lineFeed
            if (end > from && text.charCodeAt(end - 1) === CR) end--
            const current = line++
            const start = from
            from = next
            if (end === start || current === 1) continue
            // The eleven commas of a twelve-field line, and no twelfth; the 1st, 4th and 9th bound the parts.
            let commas = 0
            let c0 = -1
            let c3 = -1
            let c8 = -1
            for (let at = text.indexOf(',', start); at !== -1 && at < end; at = text.indexOf(',', at + 1)) {
              if (commas === 0) c0 = at
              else if (commas === 3) c3 = at
              else if (commas === 8) c8 = at
              if (++commas === STREET_FIELDS) break
            }
            if (commas !== STREET_FIELDS - 1) {
              rejectFields(current, text.slice(start, end).split(','))
              continue
            }
            const whoKey = text.slice(c0 + 1, c3)
            const whereKey = text.slice(c3 + 1, c8)
            const whatKey = text.slice(c8 + 1, end)
            const wait = add(
              text.slice(start, c0),
              whoParts.get(whoKey) ?? who(whoKey, whoKey.split(',')),
              context.what.get(whatKey) ?? what(whatKey, whatKey.split(',')),
              context.where.get(whereKey) ?? where(whereKey, whereKey.split(',')),
              current,
            )
            if (wait) await wait
          }
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
      const context = pointContext()
      for (const file of files) await importStreetFile(file, context, options.onProgress)
      context.summary.notes.push(...otherForceNotes(context.forces))
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
      const context = pointContext()
      for (const file of files) {
        const format = stopSearchFormat(keys.get(file) as { force: string; month: string })
        await importPointFile(format, file, context, options.onProgress)
      }
      context.summary.notes.push(...otherForceNotes(context.forces, true))
      return finish('police-stop-search', context.summary, options.actor)
    },

    /**
     * One MPS recorded crime table (borough, ward or LSOA level; current or historical). Only the configured
     * borough's rows are kept, and zero counts are not stored (a missing row means none recorded).
     *
     * A month is replaced only when the file holds it fully: a month whose borough total in the file is under half
     * what Safer holds for it (at this level), or that looks partial (an edge month under half the median of its
     * nearest months in the file, or under half the same month at another level) while Safer holds figures for it,
     * keeps the figures Safer has, unless `replacePartial`. Every such month is reported in `partialMonths`.
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

      // First the borough's rows, in memory (a borough's share of even the London LSOA table is a few thousand).
      const kept: RecordedCrimeInsert[] = []
      const fileTotals = new Map<string, number>(months.map(month => [month, 0]))
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
          fileTotals.set(month, (fileTotals.get(month) ?? 0) + count)
          kept.push({
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
        if (onProgress && rows % PROGRESS_EVERY === 0) onProgress({ file: source, rows })
      }
      if (rows === 0)
        summary.notes.push(
          `The file has no rows for ${borough.shortName}: it may be for another borough or force. Nothing Safer ` +
            'held was changed.',
        )
      const ordered = [...months].sort()
      if (ordered.some((month, i) => month !== months[i]))
        summary.notes.push(
          'The month columns are not in date order; each month was read from its own column, and the first and ' +
            'last months by date were checked as edge months.',
        )

      const held = await heldTotals()
      const partial = findPartialMonths(level, ordered, fileTotals, held)
      const replace = new Set<string>()
      for (const month of ordered) {
        const found = partial.get(month)
        const heldHere = held.get(level)?.get(month) ?? 0
        if (!found) {
          // A month the file does not hold at all (no rows for the borough) never wipes what Safer has.
          if ((fileTotals.get(month) ?? 0) > 0 || heldHere === 0) replace.add(month)
          continue
        }
        const action = options.replacePartial ? 'replaced' : heldHere > 0 ? 'kept' : 'imported'
        if (action !== 'kept') replace.add(month)
        ;(summary.partialMonths ??= []).push({ ...found, action })
        summary.notes.push(partialNote(found, action))
      }

      await repository.transaction(async tx => {
        const replacing = ordered.filter(month => replace.has(month))
        await tx.deleteRecordedCrimeMonths(level, replacing)
        summary.months.push(...replacing.map(month => `${level} ${month}`))
        const rowsToWrite = kept.filter(row => replace.has(row.month))
        for (let i = 0; i < rowsToWrite.length; i += RECORDED_CRIME_BATCH_ROWS)
          await tx.insertRecordedCrime(dedupe(rowsToWrite.slice(i, i + RECORDED_CRIME_BATCH_ROWS)))
        onProgress?.({ file: source, rows })
      })
      summary.files = 1
      return finish('mps-recorded-crime', summary, options.actor)
    },
  }

  /** What Safer holds now: the borough's total per level and month. */
  async function heldTotals(): Promise<Map<string, Map<string, number>>> {
    const held = new Map<string, Map<string, number>>()
    for (const level of ['borough', 'ward', 'lsoa'] as const) {
      const totals = await repository.recordedCrimeTotals(level)
      held.set(level, new Map(totals.map(row => [row.month, row.total])))
    }
    return held
  }
}

/** A month is far below a comparison when it is under this share of it. */
const PARTIAL_SHARE = 0.5
/** Comparisons smaller than this are noise (a file of one small category), never evidence of a partial month. */
const PARTIAL_MINIMUM = 20
/** How many of the nearest months in the file an edge month is compared with (their median). */
const NEIGHBOUR_MONTHS = 3

function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] ?? null) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

const farBelow = (total: number, comparison: number | null | undefined): boolean =>
  comparison != null && comparison >= PARTIAL_MINIMUM && total < comparison * PARTIAL_SHARE

/**
 * The months of a file that look partial: under half what Safer holds for them at this level; or, for the first and
 * last months by date, under half the median of the nearest months in the file; or under half the same month at
 * another level Safer holds. Pure; exported for its tests.
 */
export function findPartialMonths(
  level: PartialMonth['level'],
  ordered: string[],
  fileTotals: Map<string, number>,
  held: Map<string, Map<string, number>>,
): Map<string, Omit<PartialMonth, 'action'>> {
  const found = new Map<string, Omit<PartialMonth, 'action'>>()
  ordered.forEach((month, i) => {
    const total = fileTotals.get(month) ?? 0
    const heldHere = held.get(level)?.get(month) ?? 0
    const edge = i === 0 || i === ordered.length - 1
    const nearest =
      i === 0 ? ordered.slice(1, 1 + NEIGHBOUR_MONTHS) : ordered.slice(Math.max(0, i - NEIGHBOUR_MONTHS), i)
    const neighbours = edge && ordered.length > 1 ? median(nearest.map(m => fileTotals.get(m) ?? 0)) : null
    let otherLevel: PartialMonth['otherLevel'] = null
    for (const [other, totals] of held) {
      if (other === level) continue
      const otherTotal = totals.get(month)
      if (farBelow(total, otherTotal) && otherTotal !== undefined && otherTotal > (otherLevel?.total ?? 0))
        otherLevel = { level: other, total: otherTotal }
    }
    if (farBelow(total, heldHere) || farBelow(total, neighbours) || otherLevel)
      found.set(month, {
        level,
        month,
        total,
        held: heldHere,
        neighbours: farBelow(total, neighbours) ? neighbours : null,
        otherLevel,
      })
  })
  return found
}

function partialNote(month: Omit<PartialMonth, 'action'>, action: PartialMonth['action']): string {
  const reasons = [
    month.held > 0 && month.total < month.held * PARTIAL_SHARE
      ? `Safer holds ${month.held.toLocaleString('en-GB')}`
      : null,
    month.neighbours !== null ? `the nearest months hold ${month.neighbours.toLocaleString('en-GB')} (median)` : null,
    month.otherLevel
      ? `the ${month.otherLevel.level} figures hold ${month.otherLevel.total.toLocaleString('en-GB')}`
      : null,
  ].filter(reason => reason !== null)
  const what =
    action === 'kept'
      ? 'the figures Safer held were kept (to replace them, import again with --replace-partial or confirm on the import page)'
      : action === 'replaced'
        ? 'replaced anyway, as asked'
        : 'imported, as Safer held nothing for it; a fuller file for the month will replace it'
  return (
    `${month.level} ${month.month} looks partial: the file has ${month.total.toLocaleString('en-GB')} ` +
    `record${month.total === 1 ? '' : 's'} where ${reasons.join(' and ')}; ${what}.`
  )
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
