/**
 * The data.police.uk and MPS file formats (see docs/police-data-import.md): exact headers, crime type and outcome
 * vocabularies (with the renamed outcome names of 2014 normalised to today's), and the row parsers. Pure functions,
 * no I/O.
 */

export const STREET_HEADER = [
  'Crime ID',
  'Month',
  'Reported by',
  'Falls within',
  'Longitude',
  'Latitude',
  'Location',
  'LSOA code',
  'LSOA name',
  'Crime type',
  'Last outcome category',
  'Context',
] as const

export const STOP_SEARCH_HEADER = [
  'Type',
  'Date',
  'Part of a policing operation',
  'Policing operation',
  'Latitude',
  'Longitude',
  'Gender',
  'Age range',
  'Self-defined ethnicity',
  'Officer-defined ethnicity',
  'Legislation',
  'Object of search',
  'Outcome',
  'Outcome linked to object of search',
  'Removal of more than just outer clothing',
] as const

/** The leading columns of each MPS recorded crime layout; every later column is a month, YYYYMM. */
export const MPS_LAYOUTS = {
  borough: ['majortext', 'minortext', 'boroughname'],
  ward: ['majortext', 'minortext', 'wardname', 'wardcode', 'lookup_boroughname'],
  'ward-historical': ['wardname', 'wardcode', 'majortext', 'minortext', 'lookup_boroughname'],
  lsoa: ['lsoa_code', 'lsoa_name', 'borough', 'major_category', 'minor_category'],
} as const

export type MpsLayout = keyof typeof MPS_LAYOUTS

/** CSV "Crime type" → API category slug, including the pre-2013 categories found in old files. */
export const CRIME_TYPES: Record<string, string> = {
  'Anti-social behaviour': 'anti-social-behaviour',
  'Bicycle theft': 'bicycle-theft',
  Burglary: 'burglary',
  'Criminal damage and arson': 'criminal-damage-arson',
  Drugs: 'drugs',
  'Other theft': 'other-theft',
  'Possession of weapons': 'possession-of-weapons',
  'Public order': 'public-order',
  Robbery: 'robbery',
  Shoplifting: 'shoplifting',
  'Theft from the person': 'theft-from-the-person',
  'Vehicle crime': 'vehicle-crime',
  'Violence and sexual offences': 'violent-crime',
  'Other crime': 'other-crime',
  // Historical names (before May 2013).
  'Violent crime': 'violent-crime',
  'Public disorder and weapons': 'public-disorder-weapons',
}

const CRIME_TYPE_BY_KEY = new Map<string, string>(
  Object.entries(CRIME_TYPES).flatMap(([label, slug]) => [
    [label.toLowerCase(), slug],
    [slug, slug],
  ]),
)

/** A crime type given as a CSV label or an API slug, in any case; undefined when unknown. */
export function normaliseCrimeType(input: string): string | undefined {
  return CRIME_TYPE_BY_KEY.get(input.trim().toLowerCase())
}

/** Outcome name (as in the CSV) → API code. */
export const OUTCOMES: Record<string, string> = {
  'Awaiting court outcome': 'awaiting-court-result',
  'Court result unavailable': 'court-result-unavailable',
  'Court case unable to proceed': 'unable-to-proceed',
  'Local resolution': 'local-resolution',
  'Investigation complete; no suspect identified': 'no-further-action',
  'Offender deprived of property': 'deprived-of-property',
  'Offender fined': 'fined',
  'Offender given absolute discharge': 'absolute-discharge',
  'Offender given a caution': 'cautioned',
  'Offender given a drugs possession warning': 'drugs-possession-warning',
  'Offender given a penalty notice': 'penalty-notice-issued',
  'Offender given community sentence': 'community-penalty',
  'Offender given conditional discharge': 'conditional-discharge',
  'Offender given suspended prison sentence': 'suspended-sentence',
  'Offender sent to prison': 'imprisoned',
  'Offender otherwise dealt with': 'other-court-disposal',
  'Offender ordered to pay compensation': 'compensation',
  'Suspect charged as part of another case': 'sentenced-in-another-case',
  'Suspect charged': 'charged',
  'Defendant found not guilty': 'not-guilty',
  'Defendant sent to Crown Court': 'sent-to-crown-court',
  'Unable to prosecute suspect': 'unable-to-prosecute',
  'Formal action is not in the public interest': 'formal-action-not-in-public-interest',
  'Action to be taken by another organisation': 'action-taken-by-another-organisation',
  'Further investigation is not in the public interest': 'further-investigation-not-in-public-interest',
  'Further action is not in the public interest': 'further-action-not-in-public-interest',
  'Under investigation': 'under-investigation',
  'Status update unavailable': 'status-update-unavailable',
}

/** Old outcome names (renamed in 2014, data.gov.uk forum) → today's names. */
export const RENAMED_OUTCOMES: Record<string, string> = {
  'Offender sentenced as part of another case': 'Suspect charged as part of another case',
  'Offender given community penalty': 'Offender given community sentence',
  'Offender imprisoned': 'Offender sent to prison',
  'Suspect found not guilty': 'Defendant found not guilty',
  'No further action': 'Investigation complete; no suspect identified',
  // Spelling variant found in real files (City of London, 2014-2016).
  'Offender given penalty notice': 'Offender given a penalty notice',
}

const OUTCOME_BY_KEY = new Map<string, { code: string; name: string }>()
for (const [name, code] of Object.entries(OUTCOMES)) OUTCOME_BY_KEY.set(name.toLowerCase(), { code, name })
for (const [old, current] of Object.entries(RENAMED_OUTCOMES)) {
  OUTCOME_BY_KEY.set(old.toLowerCase(), { code: OUTCOMES[current] ?? '', name: current })
}

/**
 * An outcome name in today's wording with its code. Unknown names are kept as given (code null) rather than lost:
 * forces add categories before the documentation does.
 */
export function normaliseOutcome(input: string): { code: string | null; name: string } | null {
  const trimmed = input.trim()
  if (trimmed === '') return null
  return OUTCOME_BY_KEY.get(trimmed.toLowerCase()) ?? { code: null, name: trimmed }
}

export function headerProblem(actual: readonly string[], expected: readonly string[]): string | null {
  const cleaned = actual.map(column => column.trim())
  if (cleaned.length === expected.length && cleaned.every((column, i) => column === expected[i])) return null
  const firstDifference = expected.findIndex((column, i) => cleaned[i] !== column)
  const detail =
    cleaned.length !== expected.length
      ? `it has ${String(cleaned.length)} columns, expected ${String(expected.length)}`
      : `column ${String(firstDifference + 1)} is "${cleaned[firstDifference] ?? ''}", expected "${expected[firstDifference] ?? ''}"`
  return `the header does not match (${detail}). Expected exactly: ${expected.join(',')}`
}

export type RowResult<T> = { ok: true; row: T } | { ok: false; reason: string }

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/
const CRIME_ID = /^[0-9a-f]{64}$/i

export interface Coordinates {
  latitude: number
  longitude: number
}

/** Both blank (or the 0,0 data.police.uk gives when no map point is within 20 km): no location. */
function parseCoordinates(latText: string, lngText: string): RowResult<Coordinates | null> {
  const lat = latText.trim()
  const lng = lngText.trim()
  if (lat === '' && lng === '') return { ok: true, row: null }
  if (lat === '' || lng === '') return { ok: false, reason: 'only one of latitude and longitude is given' }
  const latitude = Number(lat)
  const longitude = Number(lng)
  if (!Number.isFinite(latitude) || latitude < -90 || latitude > 90)
    return { ok: false, reason: `latitude "${lat}" is not a number between -90 and 90` }
  if (!Number.isFinite(longitude) || longitude < -180 || longitude > 180)
    return { ok: false, reason: `longitude "${lng}" is not a number between -180 and 180` }
  if (latitude === 0 && longitude === 0) return { ok: true, row: null }
  return { ok: true, row: { latitude, longitude } }
}

export interface StreetCrimeRow {
  crimeId: string | null
  month: string
  reportedBy: string
  force: string
  point: Coordinates | null
  location: string | null
  policeLsoaCode: string | null
  policeLsoaName: string | null
  crimeType: string
  outcomeCode: string | null
  outcomeName: string | null
}

const blankToNull = (value: string): string | null => (value.trim() === '' ? null : value.trim())

/**
 * A street row in three parts that each repeat across a file (ADR 0058): who (month, reported by, force), what (crime
 * type, outcome) and where (point, location, LSOA). The importer judges each distinct part once; `parseStreetRow`
 * judges a whole row with the same functions, in the same order, so both give the same row and the same reason.
 */
export type StreetWho = Pick<StreetCrimeRow, 'month' | 'reportedBy' | 'force'>
export type StreetWhat = Pick<StreetCrimeRow, 'crimeType' | 'outcomeCode' | 'outcomeName'>
export type StreetWhere = Pick<StreetCrimeRow, 'point' | 'location' | 'policeLsoaCode' | 'policeLsoaName'>

const CRIME_ID_PROBLEM = { ok: false, reason: 'Crime ID is not a 64-character hex id' } as const

/** The Crime ID column: blank (anti-social behaviour) or a 64-character hex id. */
export function parseCrimeId(field: string): RowResult<string | null> {
  // The common case first: an id as it comes, with nothing to trim.
  if (CRIME_ID.test(field)) return { ok: true, row: field }
  const crimeId = field.trim()
  if (crimeId === '') return { ok: true, row: null }
  return CRIME_ID.test(crimeId) ? { ok: true, row: crimeId } : CRIME_ID_PROBLEM
}

export function parseStreetWho(
  monthField: string,
  reportedByField: string,
  fallsWithinField: string,
): RowResult<StreetWho> {
  const month = monthField.trim()
  if (!month || !MONTH.test(month)) return { ok: false, reason: `Month "${month}" is not YYYY-MM` }
  const force = fallsWithinField.trim()
  if (!force) return { ok: false, reason: '"Falls within" (the force) is blank' }
  return { ok: true, row: { month, reportedBy: blankToNull(reportedByField) ?? force, force } }
}

export function parseStreetWhat(crimeTypeField: string, outcomeField: string): RowResult<StreetWhat> {
  const crimeType = normaliseCrimeType(crimeTypeField)
  if (!crimeType) return { ok: false, reason: `unknown crime type "${crimeTypeField.trim()}"` }
  const outcome = normaliseOutcome(outcomeField)
  return { ok: true, row: { crimeType, outcomeCode: outcome?.code ?? null, outcomeName: outcome?.name ?? null } }
}

export function parseStreetWhere(
  longitude: string,
  latitude: string,
  locationField: string,
  lsoaCode: string,
  lsoaName: string,
): RowResult<StreetWhere> {
  const point = parseCoordinates(latitude, longitude)
  if (!point.ok) return point
  const location = blankToNull(locationField)
  return {
    ok: true,
    row: {
      point: point.row,
      location: location === null || location.toLowerCase() === 'no location' ? null : location,
      policeLsoaCode: blankToNull(lsoaCode),
      policeLsoaName: blankToNull(lsoaName),
    },
  }
}

/**
 * One street row, judged in the order of its columns' importance: the field count, Crime ID, who, what, where; the
 * first problem is the reason. The Context column is not kept.
 */
export function parseStreetRow(fields: readonly string[]): RowResult<StreetCrimeRow> {
  if (fields.length !== STREET_HEADER.length)
    return {
      ok: false,
      reason: `has ${String(fields.length)} fields, expected ${String(STREET_HEADER.length)}`,
    }
  const [crimeIdField = '', month = '', reportedBy = '', fallsWithin = '', lng = '', lat = ''] = fields
  const [location = '', lsoaCode = '', lsoaName = '', crimeType = '', outcome = ''] = fields.slice(6)
  const crimeId = parseCrimeId(crimeIdField)
  if (!crimeId.ok) return crimeId
  const who = parseStreetWho(month, reportedBy, fallsWithin)
  if (!who.ok) return who
  const what = parseStreetWhat(crimeType, outcome)
  if (!what.ok) return what
  const where = parseStreetWhere(lng, lat, location, lsoaCode, lsoaName)
  if (!where.ok) return where
  return { ok: true, row: { crimeId: crimeId.row, ...who.row, ...what.row, ...where.row } }
}

export const STOP_TYPES = ['Person search', 'Vehicle search', 'Person and Vehicle search'] as const

export interface StopSearchRow {
  type: string
  occurredAt: Date
  month: string
  partOfOperation: boolean | null
  operation: string | null
  point: Coordinates | null
  gender: string | null
  ageRange: string | null
  selfDefinedEthnicity: string | null
  officerDefinedEthnicity: string | null
  legislation: string | null
  objectOfSearch: string | null
  outcome: string | null
  outcomeLinkedToObject: boolean | null
  removalOfMoreThanOuterClothing: boolean | null
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/

function parseBoolean(value: string, column: string): RowResult<boolean | null> {
  const v = value.trim().toLowerCase()
  if (v === '') return { ok: true, row: null }
  if (v === 'true') return { ok: true, row: true }
  if (v === 'false') return { ok: true, row: false }
  return { ok: false, reason: `"${column}" is "${value}", expected True, False or blank` }
}

export function parseStopSearchRow(fields: readonly string[]): RowResult<StopSearchRow> {
  if (fields.length !== STOP_SEARCH_HEADER.length)
    return {
      ok: false,
      reason: `has ${String(fields.length)} fields, expected ${String(STOP_SEARCH_HEADER.length)}`,
    }
  const f = fields.map(field => field.trim())
  const [type = '', date = '', partOf = '', operation = '', lat = '', lng = ''] = f
  const stopType = STOP_TYPES.find(known => known.toLowerCase() === type.toLowerCase())
  if (!stopType) return { ok: false, reason: `unknown search type "${type}"` }
  const match = ISO_DATE.exec(date)
  const occurredAt = new Date(match?.[4] ? date : `${date}T00:00:00Z`)
  if (!match || Number.isNaN(occurredAt.getTime())) return { ok: false, reason: `Date "${date}" is not an ISO date` }
  const point = parseCoordinates(lat, lng)
  if (!point.ok) return point
  const part = parseBoolean(partOf, STOP_SEARCH_HEADER[2])
  if (!part.ok) return part
  const linked = parseBoolean(f[13] ?? '', STOP_SEARCH_HEADER[13])
  if (!linked.ok) return linked
  const removal = parseBoolean(f[14] ?? '', STOP_SEARCH_HEADER[14])
  if (!removal.ok) return removal
  return {
    ok: true,
    row: {
      type: stopType,
      occurredAt,
      month: date.slice(0, 7),
      partOfOperation: part.row,
      operation: blankToNull(operation),
      point: point.row,
      gender: blankToNull(f[6] ?? ''),
      ageRange: blankToNull(f[7] ?? ''),
      selfDefinedEthnicity: blankToNull(f[8] ?? ''),
      officerDefinedEthnicity: blankToNull(f[9] ?? ''),
      legislation: blankToNull(f[10] ?? ''),
      objectOfSearch: blankToNull(f[11] ?? ''),
      outcome: blankToNull(f[12] ?? ''),
      outcomeLinkedToObject: linked.row,
      removalOfMoreThanOuterClothing: removal.row,
    },
  }
}

/** Which MPS layout a header is, and its month columns as YYYY-MM; or the reason it is none of them. */
export function detectMpsLayout(
  header: readonly string[],
): { ok: true; layout: MpsLayout; months: string[] } | { ok: false; reason: string } {
  const cleaned = header.map(column => column.trim())
  for (const [layout, leading] of Object.entries(MPS_LAYOUTS) as [MpsLayout, readonly string[]][]) {
    if (!leading.every((column, i) => cleaned[i] === column)) continue
    const monthColumns = cleaned.slice(leading.length)
    if (monthColumns.length === 0) return { ok: false, reason: 'the header has no month columns' }
    const bad = monthColumns.find(column => !/^\d{4}(0[1-9]|1[0-2])$/.test(column))
    if (bad !== undefined) return { ok: false, reason: `column "${bad}" is not a month (YYYYMM)` }
    if (new Set(monthColumns).size !== monthColumns.length) return { ok: false, reason: 'a month column appears twice' }
    return { ok: true, layout, months: monthColumns.map(column => `${column.slice(0, 4)}-${column.slice(4)}`) }
  }
  return {
    ok: false,
    reason:
      'the header is not an MPS recorded crime layout. Expected one of: ' +
      Object.values(MPS_LAYOUTS)
        .map(columns => `${columns.join(',')},YYYYMM,...`)
        .join(' | '),
  }
}

export interface MpsRow {
  areaCode: string | null
  areaName: string
  borough: string
  majorCategory: string
  minorCategory: string
  counts: number[]
}

export function parseMpsRow(layout: MpsLayout, fields: readonly string[], months: number): RowResult<MpsRow> {
  const leading = MPS_LAYOUTS[layout].length
  if (fields.length !== leading + months)
    return { ok: false, reason: `has ${String(fields.length)} fields, expected ${String(leading + months)}` }
  const f = fields.map(field => field.trim())
  const pick = (name: string) => f[(MPS_LAYOUTS[layout] as readonly string[]).indexOf(name)] ?? ''
  const base =
    layout === 'borough'
      ? { areaCode: null, areaName: pick('boroughname'), borough: pick('boroughname') }
      : layout === 'lsoa'
        ? { areaCode: pick('lsoa_code'), areaName: pick('lsoa_name'), borough: pick('borough') }
        : { areaCode: pick('wardcode'), areaName: pick('wardname'), borough: pick('lookup_boroughname') }
  const majorCategory = layout === 'lsoa' ? pick('major_category') : pick('majortext')
  const minorCategory = layout === 'lsoa' ? pick('minor_category') : pick('minortext')
  if (!majorCategory || !minorCategory) return { ok: false, reason: 'the crime category is blank' }
  if (!base.areaName) return { ok: false, reason: 'the area name is blank' }
  const counts: number[] = []
  for (const value of f.slice(leading)) {
    if (value === '') {
      counts.push(0)
      continue
    }
    const count = Number(value)
    if (!Number.isInteger(count) || count < 0) return { ok: false, reason: `count "${value}" is not a whole number` }
    counts.push(count)
  }
  return { ok: true, row: { ...base, majorCategory, minorCategory, counts } }
}
