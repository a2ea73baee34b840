/**
 * Cases as indicator sources (docs/performance-sources.md): opened, and closed by outcome, by the case's ward and the
 * London month it happened in; and three percentages a CSP reports on its ASB service (first contact within target,
 * closed within target, residents satisfied at the closure check-in), each month's numerator with its denominator.
 * Aggregates only: a count never carries a case or a person.
 */
import { sql, type Kysely } from 'kysely'

import type { CaseOutcome, CasePriority, Database } from '../../db/schema.js'
import type { Clock } from '../../platform/clock.js'
import type { IndicatorSource, MonthlyCount } from '../../platform/module-contract.js'
import { batchedByPeriod, londonDate, monthOf, rowsAsJson } from '../../platform/monthly-counts.js'
import { addWorkingDays, londonDate as londonDay } from '../../platform/working-days.js'

/** Safer's first-contact targets, in working days after the day the case was opened, by the case's priority. */
export const FIRST_CONTACT_WORKING_DAYS: Readonly<Record<CasePriority, number>> = { high: 1, medium: 3, standard: 5 }
/** The chronology entries that are a contact with someone on the case (a letter alone is not). */
export const CONTACT_KINDS = ['contact', 'visit'] as const
/** Safer's closure target: a case closed within this many calendar days of opening. */
export const CLOSURE_TARGET_DAYS = 90
/** The check-in answers that count as satisfied. */
const SATISFIED = ['very_satisfied', 'satisfied'] as const

/** Rows of one record each (ward, month, whether it met the measure) as counts with their denominators. */
function percentCounts(rows: readonly { ward: string | null; month: string; met: boolean }[]): MonthlyCount[] {
  const cells = new Map<string, MonthlyCount>()
  for (const row of rows) {
    const key = `${row.ward ?? ''}|${row.month}`
    let cell = cells.get(key)
    if (!cell) cells.set(key, (cell = { wardCode: row.ward, month: row.month, total: 0, denominator: 0 }))
    cell.denominator = (cell.denominator ?? 0) + 1
    if (row.met) cell.total += 1
  }
  return [...cells.values()]
}

const OUTCOMES: readonly [CaseOutcome, string][] = [
  ['resolved', 'ASB cases closed as resolved'],
  ['no_further_action', 'ASB cases closed with no further action'],
  ['not_asb', 'Cases closed as not anti-social behaviour'],
  ['referred', 'ASB cases closed by referral to another agency'],
]

export function createCaseCounts(db: Kysely<Database>, clock?: Clock) {
  const opened = londonDate(sql.ref('opened_at'))
  const closed = londonDate(sql.ref('closed_at'))
  const today = () => londonDay((clock ?? { now: () => new Date() }).now())
  /**
   * First-contact due dates by the day opened and the priority, kept for the life of the app: working days walk the
   * calendar and the bank holidays, and the KPI pack asks for every case of two years on each load (ADR 0062). At most
   * three entries a day of cases.
   */
  const dueDates = new Map<string, string>()
  /**
   * Cases opened, and cases closed (all, by outcome, and within the closure target), of the months in one read, a
   * column each (`count(*) filter (where …)`), by ward and month: the KPI pack asks for them together, and one read is
   * far cheaper in PGlite than one per source (ADR 0062). Opened cases go by the month opened, closed ones by the
   * month closed.
   */
  const monthly = batchedByPeriod(async (from: string, to: string) => {
    const outcomes = OUTCOMES.map(([outcome]) =>
      sql<number>`(count(*) filter (where outcome = ${outcome}))::integer`.as(`closed_${outcome}`),
    )
    const rows = await rowsAsJson(
      db,
      db
        .selectFrom('asb_case')
        .select([
          sql<string>`'opened'`.as('event'),
          'ward_code',
          monthOf(opened).as('month'),
          sql<number>`count(*)::integer`.as('total'),
          sql<number>`0`.as('in_target'),
          ...OUTCOMES.map(([outcome]) => sql<number>`0`.as(`closed_${outcome}`)),
        ])
        .where(opened, '>=', from)
        .where(opened, '<=', to)
        .groupBy(['ward_code', monthOf(opened)])
        .unionAll(
          db
            .selectFrom('asb_case')
            .select([
              sql<string>`'closed'`.as('event'),
              'ward_code',
              monthOf(closed).as('month'),
              sql<number>`count(*)::integer`.as('total'),
              sql<number>`(count(*) filter (where ${closed} - ${opened} <= ${CLOSURE_TARGET_DAYS}))::integer`.as(
                'in_target',
              ),
              ...outcomes,
            ])
            .where('status', '=', 'closed')
            .where(closed, '>=', from)
            .where(closed, '<=', to)
            .groupBy(['ward_code', monthOf(closed)]),
        ),
    )
    return rows as unknown as ({ event: 'opened' | 'closed'; ward_code: string | null; month: string } & Record<
      string,
      number
    >)[]
  })
  /** One column of the shared read as counts; a ward and month where the column is 0 has no row, as a filter would. */
  const column = async (event: 'opened' | 'closed', name: string, from: string, to: string) =>
    (await monthly(from, to)).flatMap(row =>
      row.event === event && Number(row[name]) > 0
        ? [{ wardCode: row.ward_code, month: row.month, total: Number(row[name]) }]
        : [],
    )
  return {
    /**
     * Cases opened in each month that were due a first contact by today, and how many were contacted (a chronology
     * entry of a contact or visit) within the target for their priority. A case still inside its target with no
     * contact yet is not counted either way; a case never contacted whose target has passed counts as missed.
     */
    async firstContactInTarget(from: string, to: string): Promise<MonthlyCount[]> {
      const openedOn = londonDate(sql.ref('c.opened_at'))
      const rows = await db
        .selectFrom('asb_case as c')
        .select([
          'c.ward_code',
          'c.priority',
          openedOn.as('opened_on'),
          eb =>
            eb
              .selectFrom('case_chronology as h')
              .select(sql<string | null>`min((h.occurred_at at time zone 'Europe/London')::date)::text`.as('first'))
              .whereRef('h.case_id', '=', 'c.id')
              .where('h.kind', 'in', CONTACT_KINDS)
              .as('first_contact_on'),
        ])
        .where(openedOn, '>=', from)
        .where(openedOn, '<=', to)
        .execute()
      const now = today()
      const dueDate = (openedDay: string, priority: CasePriority) => {
        const key = `${openedDay}|${priority}`
        let due = dueDates.get(key)
        if (due === undefined)
          dueDates.set(key, (due = addWorkingDays(openedDay, FIRST_CONTACT_WORKING_DAYS[priority])))
        return due
      }
      const decided = rows.flatMap(row => {
        const openedDay = row.opened_on.slice(0, 10)
        const due = dueDate(openedDay, row.priority)
        const contacted = row.first_contact_on === null ? null : row.first_contact_on.slice(0, 10)
        if (contacted === null && due >= now) return []
        return [
          { ward: row.ward_code, month: `${openedDay.slice(0, 7)}-01`, met: contacted !== null && contacted <= due },
        ]
      })
      return percentCounts(decided)
    },
    /** Cases closed in each month, and how many of them were closed within the target days of being opened. */
    async closedInTarget(from: string, to: string): Promise<MonthlyCount[]> {
      return (await monthly(from, to)).flatMap(row =>
        row.event === 'closed'
          ? [
              {
                wardCode: row.ward_code,
                month: row.month,
                total: Number(row.in_target),
                denominator: Number(row.total),
              },
            ]
          : [],
      )
    },
    /** Closure check-ins answered in each month (London date of the answer), and how many said satisfied. */
    async satisfied(from: string, to: string): Promise<MonthlyCount[]> {
      const answered = londonDate(sql.ref('k.answered_at'))
      const rows = await db
        .selectFrom('case_checkin as k')
        .innerJoin('asb_case as c', 'c.id', 'k.case_id')
        .select([
          'c.ward_code',
          monthOf(answered).as('month'),
          sql<number>`count(*)::integer`.as('answers'),
          sql<number>`count(*) filter (where k.satisfaction in (${sql.join(SATISFIED.map(value => sql.lit(value)))}))::integer`.as(
            'satisfied',
          ),
        ])
        .where('k.answered_at', 'is not', null)
        .where('k.satisfaction', 'is not', null)
        .where(answered, '>=', from)
        .where(answered, '<=', to)
        .groupBy(['c.ward_code', monthOf(answered)])
        .execute()
      return rows.map(row => ({
        wardCode: row.ward_code,
        month: row.month,
        total: row.satisfied,
        denominator: row.answers,
      }))
    },
    async opened(from: string, to: string): Promise<MonthlyCount[]> {
      return column('opened', 'total', from, to)
    },
    /** Cases closed in the period; with an outcome, only those closed with it. */
    async closed(from: string, to: string, outcome?: CaseOutcome): Promise<MonthlyCount[]> {
      return column('closed', outcome ? `closed_${outcome}` : 'total', from, to)
    },
  }
}

export type CaseCounts = ReturnType<typeof createCaseCounts>

export function caseworkIndicatorSources(counts: CaseCounts): IndicatorSource[] {
  return [
    {
      key: 'cases:opened',
      name: 'ASB cases opened',
      module: 'casework',
      description: "Counted from Safer's casework: ASB cases opened in the month, by the ward of the case.",
      recordedInSafer: true,
      monthlyCounts: (from, to) => counts.opened(from, to),
    },
    {
      key: 'cases:closed',
      name: 'ASB cases closed',
      module: 'casework',
      description:
        "Counted from Safer's casework: ASB cases closed in the month, whatever the outcome, by the ward of the case.",
      recordedInSafer: true,
      monthlyCounts: (from, to) => counts.closed(from, to),
    },
    ...OUTCOMES.map(([outcome, name]) => ({
      key: `cases:closed-${outcome.replaceAll('_', '-')}`,
      name,
      module: 'casework',
      description: `Counted from Safer's casework: cases closed in the month with the outcome "${outcome.replaceAll('_', ' ')}", by the ward of the case.`,
      recordedInSafer: true,
      monthlyCounts: (from: string, to: string) => counts.closed(from, to, outcome),
    })),
    {
      key: 'cases:first-contact-in-target',
      name: 'ASB cases where someone was contacted within the target (%)',
      description:
        'Of the cases opened in the month whose first-contact target has passed, the share with a contact or visit ' +
        'recorded in the chronology within the target: 1 working day after opening for high priority, 3 for medium, ' +
        '5 for standard (weekends and bank holidays are not working days). By the month the case was opened and ' +
        "the case's ward. A case still inside its target with no contact yet is left out until it is contacted or " +
        'the target passes; a letter alone is not a contact.',
      unit: 'percent',
      module: 'casework',
      monthlyCounts: (from, to) => counts.firstContactInTarget(from, to),
    },
    {
      key: 'cases:closed-in-target',
      name: `ASB cases closed within ${String(CLOSURE_TARGET_DAYS)} days of opening (%)`,
      description:
        `Of the cases closed in the month (any outcome), the share closed within ${String(CLOSURE_TARGET_DAYS)} ` +
        "calendar days of being opened (London dates). By the month of closure and the case's ward.",
      unit: 'percent',
      module: 'casework',
      monthlyCounts: (from, to) => counts.closedInTarget(from, to),
    },
    {
      key: 'cases:checkin-satisfied',
      name: 'Residents satisfied with how their case was handled (closure check-in, %)',
      description:
        'Of the satisfaction check-ins residents answered in the month after their case closed, the share that ' +
        "answered very satisfied or satisfied. By the month of the answer and the case's ward. Check-ins not " +
        'answered are not counted.',
      unit: 'percent',
      module: 'casework',
      monthlyCounts: (from, to) => counts.satisfied(from, to),
    },
  ]
}
