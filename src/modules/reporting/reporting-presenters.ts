/** View data for the reporting pages: radio items, "check your answers" rows, timelines, counts. No I/O. */
import { lookup, t } from '../../platform/i18n.js'
import { protectSmallNumbers } from '../../platform/small-numbers.js'
import { addDays, londonDate, weekday } from '../../platform/working-days.js'
import { draftEvidence } from './evidence-service.js'
import type { DuplicateCandidate } from './intake-service.js'
import type { Answers } from './journey.js'
import { formatTrackingCode } from './reference.js'
import type { ReportingRepository, ReportRow } from './reporting-repository.js'
import { reportingPaths } from './reporting-paths.js'
import {
  CATEGORIES,
  findCategory,
  isSensitiveCategory,
  PROTECTED_CHARACTERISTICS,
  type CategoryGroup,
} from './taxonomy.js'
import { formatDateAndTime, formatDateTime, formatLongDate, formatTime } from '../../platform/dates.js'

const r = (key: string, params: Record<string, string | number> = {}) => t(`report.${key}`, params)

export const categoryLabel = (code: string) => (findCategory(code) ? r(`categories.${code}.label`) : code)

export function categoryItems(selected: unknown) {
  const items: ({ divider: string } | { value: string; text: string; hint: { text: string }; checked: boolean })[] = []
  let group: CategoryGroup | undefined
  for (const category of CATEGORIES) {
    if (category.group !== group) {
      group = category.group
      items.push({ divider: r(`groups.${group}`) })
    }
    items.push({
      value: category.code,
      text: r(`categories.${category.code}.label`),
      hint: { text: r(`categories.${category.code}.hint`) },
      checked: selected === category.code,
    })
  }
  return items
}

/** Radio items for an answer set whose labels live at report.<prefix>.<value>. */
export function optionItems(values: readonly string[], prefix: string, selected: unknown) {
  return values.map(value => ({ value, text: r(`${prefix}.${value}`), checked: selected === value }))
}

export function characteristicItems(selected: unknown) {
  const chosen = Array.isArray(selected) ? (selected as unknown[]) : []
  return PROTECTED_CHARACTERISTICS.map(value => ({
    value,
    text: r(`options.characteristics.${value}`),
    checked: chosen.includes(value),
  }))
}

function formatDate(isoDate: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(isoDate) ? formatLongDate(isoDate) : ''
}

const str = (answers: Answers, key: string) => (typeof answers[key] === 'string' ? answers[key] : '')

/** Rows for govukSummaryList on "Check your answers": every answer with a change link back to its page. */
export function presentCheckAnswers(answers: Answers, wardName: (code: string) => string) {
  const row = (key: string, value: string, href: string, field: string) => ({
    key: { text: r(`check.rows.${key}`) },
    value: { text: value },
    actions: {
      items: [
        {
          href: `${href}?change=check#${field}`,
          text: r('check.change'),
          visuallyHiddenText: r(`check.rows.${key}`).toLowerCase(),
        },
      ],
    },
  })
  const ward = str(answers, 'wardCode') ? wardName(str(answers, 'wardCode')) : ''
  const where =
    answers.locationMode === 'ward'
      ? `${ward}: ${str(answers, 'locationDescription')}`
      : answers.locationMode === 'point'
        ? r('check.pinnedIn', { ward })
        : `${str(answers, 'postcode')} (${ward})`
  const whereDetail =
    answers.locationMode !== 'ward' && str(answers, 'locationDescription')
      ? `. ${str(answers, 'locationDescription')}`
      : ''
  const time = str(answers, 'occurredTimeNormalised')
  const pattern = str(answers, 'pattern')
  const when = [
    formatDate(str(answers, 'occurredOn')),
    time ? r('check.at', { time: formatTime(time) || time }) : '',
    pattern ? r(`options.pattern.${pattern}`) : '',
    pattern === 'ongoing' && str(answers, 'frequency') ? r(`options.frequency.${str(answers, 'frequency')}`) : '',
  ]
    .filter(Boolean)
    .join(', ')
  const characteristics = Array.isArray(answers.characteristics) ? (answers.characteristics as string[]) : []
  const targeted = str(answers, 'targeted')
  const impact = [
    r(`options.reporterRole.${str(answers, 'reporterRole') || 'victim'}`),
    str(answers, 'howOften') ? r(`options.howOften.${str(answers, 'howOften')}`) : '',
    r('check.unsafeAtHome', { answer: r(`options.yesNoPrefer.${str(answers, 'unsafeAtHome') || 'prefer_not'}`) }),
    r('check.healthAffected', { answer: r(`options.yesNoPrefer.${str(answers, 'healthAffected') || 'prefer_not'}`) }),
    targeted === 'yes'
      ? r('check.targetedBecause', {
          reasons: characteristics.map(item => r(`options.characteristics.${item}`).toLowerCase()).join(', '),
        })
      : r(`check.targeted.${targeted || 'no'}`),
  ]
    .filter(Boolean)
    .join('. ')
  const mode = str(answers, 'mode')
  const contact = str(answers, 'contactPreference')
  const who = [
    mode ? r(`options.mode.${mode}`) : '',
    mode !== 'anonymous' ? str(answers, 'name') : '',
    contact === 'email' ? str(answers, 'email') : contact === 'phone' ? str(answers, 'phone') : '',
    contact === 'none' || mode === 'anonymous' ? r('options.contactPreference.none') : '',
  ]
    .filter(Boolean)
    .join(', ')
  return [
    row('what', categoryLabel(str(answers, 'category')), '/report/what', 'category'),
    row(
      'where',
      `${where}${whereDetail}`,
      answers.locationMode === 'ward' ? '/report/where-ward' : '/report/where',
      answers.locationMode === 'ward' ? 'wardCode' : 'postcode',
    ),
    row('when', when, '/report/when', 'occurredDay'),
    row('description', str(answers, 'description'), '/report/description', 'description'),
    row(
      'evidence',
      draftEvidence(answers)
        .map(file => file.name)
        .join(', ') || r('check.noEvidence'),
      '/report/evidence',
      'evidence',
    ),
    row('impact', impact, '/report/impact', 'reporterRole'),
    row('who', who, '/report/who', 'mode'),
    row('consent', r(`options.consent.${str(answers, 'consent') || 'no'}`), '/report/who', 'consent'),
  ]
}

/**
 * "Is it one of these?": what a resident may see of other people's reports. Only the problem type, the place at street
 * level (the postcode sector, or a distance band from the place they gave, or the ward) and the week it was reported:
 * never a reference, an exact date, a status or free text, so the page cannot tell anyone whether they were reported.
 */
export function presentCandidates(candidates: DuplicateCandidate[], wardName: (code: string) => string) {
  return candidates.map(candidate => ({
    category: categoryLabel(candidate.category),
    where: candidatePlace(candidate, wardName),
    week: r('similar.week', { date: formatLongDate(weekStarting(londonDate(candidate.receivedAt))) }),
  }))
}

/** A postcode's sector, `E1 0` for `E1 0AA`: as near as a resident-facing page says where a report is. */
const postcodeSector = (postcode: string) => {
  const compact = postcode.replace(/\s+/g, '').toUpperCase()
  return `${compact.slice(0, -3)} ${compact.slice(-3, -2)}`
}

/** The place of a similar report at street level: `E1 0` (postcode sector), a 100-metre band, or the ward. */
function candidatePlace(candidate: DuplicateCandidate, wardName: (code: string) => string): string {
  const ward = wardName(candidate.wardCode)
  if (candidate.postcode) return r('similar.sector', { sector: postcodeSector(candidate.postcode), ward })
  if (candidate.distanceMetres !== null)
    return r('similar.within', { metres: Math.max(100, Math.ceil(candidate.distanceMetres / 100) * 100), ward })
  return ward
}

/** The Monday of the week (Monday to Sunday) containing an ISO date. */
export function weekStarting(iso: string): string {
  return addDays(iso, -((weekday(iso) + 6) % 7))
}

/** What the resident sees of their report's progress: honest states, the closure reason in words. */
export function presentTracking(
  report: ReportRow,
  updates: {
    occurred_at: Date
    status: string
    closure_reason: string | null
    referred_agency: string | null
    public_note: string | null
  }[],
) {
  const statusText = (status: string, reason: string | null, agency: string | null) =>
    status === 'closed' && reason ? r(`closure.${reason}`, { agency: agency ?? '' }) : r(`status.${status}.label`)
  return {
    reference: report.reference,
    category: categoryLabel(report.category),
    status: report.status,
    statusText: statusText(report.status, report.closure_reason, report.referred_agency),
    statusDescription: r(`status.${report.status}.description`),
    closureNote: report.closure_note,
    timeline: updates
      .slice()
      .reverse()
      .map(update => ({
        at: update.occurred_at,
        title: statusText(update.status, update.closure_reason, update.referred_agency),
        note: update.public_note,
      })),
    steps: (['received', 'assessed', 'in_progress', 'action_taken', 'closed'] as const).map((status, index, all) => ({
      label: r(`status.${status}.label`),
      done: all.indexOf(report.status) >= index,
      current: report.status === status,
    })),
  }
}

/**
 * What the resident reported, for the tracking page (opened only with the tracking code): the type, the place as
 * generalised as elsewhere for residents (the postcode sector and the ward, or the ward: never the exact point), when
 * it happened, when it was received, and their own words.
 */
export function presentTrackedReport(
  report: Pick<
    ReportRow,
    | 'category'
    | 'postcode'
    | 'ward_code'
    | 'occurred_on'
    | 'occurred_time'
    | 'pattern'
    | 'frequency'
    | 'received_at'
    | 'description'
  >,
  wardName: (code: string) => string,
) {
  const ward = wardName(report.ward_code)
  const place = report.postcode
    ? r('similar.sector', { sector: postcodeSector(report.postcode), ward })
    : r('track.inWard', { ward })
  const row = (key: string, text: string) => ({ key: { text: r(`track.rows.${key}`) }, value: { text } })
  return [
    row('what', categoryLabel(report.category)),
    row('where', place),
    row('when', whenText(report)),
    row('received', formatLongDate(londonDate(new Date(report.received_at)))),
    row('description', report.description),
  ]
}

export { formatTrackingCode }

/**
 * A ward's public counts by type, with small-number protection: sensitive types below the threshold read "fewer than
 * N", the cells hiding them "not shown", and the total is withheld when nothing else can hide them. Published rows
 * come first by count; hidden rows follow in name order, so their place in the table says nothing of their size.
 */
export function presentWardCounts(counts: { category: string; count: number }[], threshold: number) {
  const row = protectSmallNumbers(
    counts.map(c => ({ key: c.category, count: c.count, sensitive: isSensitiveCategory(c.category) })),
    { threshold },
  )
  const rows = row.cells
    .map(cell => ({ ...cell, label: categoryLabel(cell.key) }))
    .sort(
      (a, b) =>
        Number(a.suppressed) - Number(b.suppressed) ||
        (b.count ?? 0) - (a.count ?? 0) ||
        a.label.localeCompare(b.label),
    )
  return {
    countRows: rows.map(cell => [
      { text: cell.label },
      {
        text:
          cell.reason === 'primary'
            ? r('wardCounts.fewerThan', { threshold })
            : cell.reason === 'secondary'
              ? r('wardCounts.notShown')
              : String(cell.count),
        format: 'numeric',
      },
    ]),
    total: row.total,
    anySuppressed: row.cells.some(cell => cell.suppressed),
    threshold,
  }
}

export const MB = 1024 * 1024

/** 1.2 MB, 340 KB: file sizes as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${(bytes / MB).toFixed(1)} MB`
  return `${String(Math.max(1, Math.round(bytes / 1024)))} KB`
}

type ReportListRow = Awaited<ReturnType<ReportingRepository['list']>>['rows'][number]

/** One row of the staff report list. */
export function presentStaffReportRow(row: ReportListRow, wardName: (code: string) => string) {
  return {
    reference: row.reference,
    href: reportingPaths.staffReport(row.reference),
    receivedAt: row.received_at,
    category: categoryLabel(row.category),
    qualifier: qualifierText(row.nsir_qualifier),
    ward: wardName(row.ward_code),
    priority: row.priority,
    priorityText: priorityText(row.priority),
    status: row.status,
    hate: row.hate,
    flags: row.flags,
  }
}

/** A report's evidence on the staff page: a link to open each file, its name, kind and size. */
export function presentStaffEvidence(
  reference: string,
  files: readonly { id: string; file_name: string; kind: string; size_bytes: number }[],
) {
  return files.map(file => ({
    href: reportingPaths.staffEvidence(reference, file.id),
    name: file.file_name,
    kind: file.kind,
    size: formatBytes(file.size_bytes),
    linkText: r(file.kind === 'photo' ? 'staff.viewPhoto' : 'staff.playRecording'),
  }))
}

/**
 * The wording of "Where is it happening?" that depends on the CSP pack: the postcode hint names the pack's example
 * postcode (none: no example). What depends on JavaScript (the map) is the template's: it shows the map's words only
 * once the map is there.
 */
export function presentWherePage(options: { postcodes: boolean; examplePostcode?: string }) {
  return {
    postcodeHint: options.examplePostcode
      ? r('where.postcodeHint', { example: options.examplePostcode })
      : r('where.postcodeHintNoExample'),
  }
}

/** The copy at a key, or the fallback (a stored value with no wording yet: shown as written, never as a code). */
function wordsOr(key: string, fallback: string): string {
  const copy = lookup(key)
  return typeof copy === 'string' ? copy : fallback.replace(/_/g, ' ')
}

/** Why intake set a report's priority, in words (`unsafe_at_home` → "they feel unsafe at home"). */
export function priorityReasonText(code: string): string {
  return wordsOr(`report.staffDetails.reasons.${code}`, code)
}

/** The report's priority in words, with intake's reasons: "High: they feel unsafe at home; ...". */
export function priorityText(priority: string, reasons: readonly string[] = []): string {
  const level = wordsOr(`report.staffDetails.priority.${priority}`, priority)
  return reasons.length === 0
    ? level
    : r('staffDetails.priorityWithReasons', { priority: level, reasons: reasons.map(priorityReasonText).join('; ') })
}

/** When it happened, as one sentence with the one date-and-time format: "Last happened on 5 December 2026 at ...". */
export function whenText(report: Pick<ReportRow, 'occurred_on' | 'occurred_time' | 'pattern' | 'frequency'>): string {
  const date = formatDateAndTime(report.occurred_on, report.occurred_time)
  if (report.pattern !== 'ongoing') return r('staffDetails.whenOneOff', { date })
  return report.frequency
    ? r('staffDetails.whenOngoing', {
        date,
        frequency: wordsOr(`report.staffDetails.frequency.${report.frequency}`, report.frequency),
      })
    : r('staffDetails.whenOngoingNoFrequency', { date })
}

/** The widest repeat window a report reached, in words; the "not" wording when it reached none. */
function repeatText(windows: readonly { count: number; days: number }[] | undefined, key: 'Caller' | 'Location') {
  const widest = [...(windows ?? [])].sort((a, b) => b.days - a.days || b.count - a.count)[0]
  return widest
    ? r(`staffDetails.repeat${key}`, { count: widest.count, days: widest.days })
    : r(`staffDetails.notRepeat${key}`)
}

/** The staff page's flags in words: repeat caller, repeat location and possible duplicates. */
export function flagsText(flags: Partial<ReportFlagsShape> | null | undefined): string {
  const duplicates = flags?.duplicateCandidates ?? []
  return [
    repeatText(flags?.repeatCaller, 'Caller'),
    repeatText(flags?.repeatLocation, 'Location'),
    duplicates.length > 0
      ? r('staffDetails.duplicates', { references: duplicates.join(', ') })
      : r('staffDetails.noDuplicates'),
  ].join('. ')
}

interface ReportFlagsShape {
  repeatCaller: { count: number; days: number }[]
  repeatLocation: { count: number; days: number }[]
  duplicateCandidates: string[]
  priorityReasons: string[]
}

/** The NSIR qualifier in words (`personal` → "Personal"). */
export const qualifierText = (qualifier: string) => wordsOr(`report.staffDetails.qualifier.${qualifier}`, qualifier)

/** The rows of "Report" on the staff report page, every value in words. */
export function presentStaffReportDetails(
  report: ReportRow,
  options: { ward: string; statusText: string; reporterWithheld: boolean },
) {
  const flags = report.flags as unknown as Partial<ReportFlagsShape> | null
  const row = (key: string, text: string) => ({ key: { text: t(key) }, value: { text } })
  const mode = wordsOr(`report.staffDetails.reporterMode.${report.reporter_mode}`, report.reporter_mode)
  const reporter = options.reporterWithheld
    ? `${mode}: ${r('staff.reporterWithheld')}`
    : [mode + (report.reporter_name ? `: ${report.reporter_name}` : ''), report.reporter_email, report.reporter_phone]
        .filter(Boolean)
        .join(' · ')
  return [
    row('report.staff.received', formatDateTime(report.received_at)),
    row('report.staff.statusLabel', options.statusText),
    row('report.staff.priority', priorityText(report.priority, flags?.priorityReasons ?? [])),
    row('report.staff.ward', options.ward + (report.lsoa_code ? ` · ${report.lsoa_code}` : '')),
    row('report.check.rows.where', [report.postcode, report.location_description].filter(Boolean).join(' ')),
    row('report.check.rows.when', whenText(report)),
    row('report.check.rows.description', report.description),
    row('report.staff.reporter', reporter),
    row('report.check.rows.consent', r(`staffDetails.consent.${report.consent_to_share ? 'yes' : 'no'}`)),
    row('report.staff.flags', flagsText(flags)),
  ]
}
