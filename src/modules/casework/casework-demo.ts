/**
 * Demo casework (after reporting's seeder): cases opened from the demo borough's reports, with invented parties,
 * chronology, tasks (some overdue), some shared with the police or the housing provider under a recorded lawful
 * basis, a few closed with an outcome the residents see; and allocation rules for the triage queue.
 */
import { DEMO_SPAN_DAYS, type DemoSeeder } from '../../db/seeds/demo.js'
import type { Actor } from '../../platform/audit.js'
import { createAuditService, systemActor } from '../../platform/audit.js'
import { fixedClock } from '../../platform/clock.js'
import { createCasework } from './casework.js'
import { caseTitle } from './casework-presenters.js'
import { sensitivityForCategory } from './policy.js'
import { isoDate } from './casework-service.js'

const DAY = 24 * 60 * 60 * 1000
const FIRST = ['Jordan', 'Casey', 'Morgan', 'Riley', 'Alex', 'Sam', 'Jamie', 'Taylor', 'Robin', 'Charlie']
const LAST = ['Ahmed', 'Begum', 'Smith', 'Okoro', 'Kowalski', 'Hussain', 'Brown', 'Miah', 'Murphy', 'Silva']
const STREETS = ['Commercial Road', 'Mile End Road', 'Bethnal Green Road', 'Roman Road', 'Cable Street', 'Burdett Road']
const TASKS = [
  'Visit the victim',
  'Speak to the housing officer',
  'Check CCTV',
  'Send a warning letter',
  'Review the risk assessment',
  'Arrange a joint visit with the police',
]
const NOTES = [
  'Phoned the complainant, who described the latest incident.',
  'Visited the address; no answer, left a calling card.',
  'Spoke to the neighbourhood police team, who know the address.',
  'Diary sheets sent to the complainant.',
  'Noise monitoring equipment installed for two weeks.',
]

/** The demo's allocation rules when the CSP pack names none: who a new report goes to, by position. */
export const DEFAULT_DEMO_ALLOCATION_RULES: readonly {
  position: number
  category?: string
  channel?: 'web' | 'open311' | 'phone' | 'partner'
  team: string
}[] = [
  { position: 10, category: 'fly_tipping', team: 'enforcement' },
  { position: 20, category: 'graffiti', team: 'enforcement' },
  { position: 30, category: 'abandoned_vehicle', team: 'enforcement' },
  { position: 100, team: 'asb-investigations' },
]

export const caseworkDemoSeeder: DemoSeeder = {
  name: 'casework',
  async seed(deps, random) {
    const { casework, accounts, reporting } = deps
    const db = deps.database.db
    const now = deps.clock.now()
    const team = await accounts.repository.teamByCode('asb-investigations')
    const enforcement = await accounts.repository.teamByCode('enforcement')
    const police = await accounts.repository.partnerByCode('police')
    const housing = await accounts.repository.partnerByCode('housing')
    if (!team || !enforcement || !police || !housing) return { cases: 0, tasks: 0, shared: 0, closed: 0 }
    const officers = (await accounts.repository.listUsers()).filter(
      user => user.teamId === team.id && user.roles.some(role => role === 'officer' || role === 'supervisor'),
    )
    const enforcers = (await accounts.repository.listUsers()).filter(user => user.teamId === enforcement.id)

    if ((await casework.repository.allocationRules()).length === 0) {
      // The CSP pack's (demo.json), or environmental reports to enforcement and the rest to ASB investigations.
      for (const rule of deps.pack.demo.allocationRules ?? DEFAULT_DEMO_ALLOCATION_RULES) {
        const ruleTeam = await accounts.repository.teamByCode(rule.team)
        if (!ruleTeam) continue
        await casework.addAllocationRule(
          {
            position: rule.position,
            category: rule.category ?? null,
            wardCode: null,
            channel: rule.channel ?? null,
            teamId: ruleTeam.id,
            leadOfficerId: null,
          },
          systemActor,
        )
      }
    }

    const reports = await db
      .selectFrom('report')
      .select([
        'id',
        'reference',
        'category',
        'hate',
        'ward_code',
        'received_at',
        'priority',
        'postcode',
        'reporter_name',
      ])
      .where('status', 'in', ['received', 'assessed'])
      .where(eb =>
        eb.not(
          eb.exists(eb.selectFrom('case_report').select('case_id').whereRef('case_report.report_id', '=', 'report.id')),
        ),
      )
      .orderBy('received_at', 'desc')
      .limit(36)
      .execute()

    let cases = 0
    let tasks = 0
    let shared = 0
    let closed = 0
    for (const [index, report] of reports.entries()) {
      const environmental = ['fly_tipping', 'graffiti', 'abandoned_vehicle'].includes(report.category)
      const owner = environmental ? enforcement : team
      const staff = environmental && enforcers.length > 0 ? enforcers : officers
      const lead = staff.length > 0 ? random.pick(staff) : undefined
      const actor: Actor = lead ? { type: 'user', id: lead.id } : systemActor
      const receivedAt = new Date(report.received_at)
      const openedAt = new Date(Math.min(now.getTime() - DAY, receivedAt.getTime() + random.int(1, 3) * DAY))
      let caseId = ''
      await reporting.reports.changeStatus(
        report.reference,
        { status: 'in_progress', publicNote: 'An officer is now looking into your report.' },
        actor,
        {
          at: openedAt,
          within: async trx => {
            const opened = await casework.openCase(
              {
                title: caseTitle(report.category, random.pick(STREETS)),
                category: report.category,
                priority: report.priority,
                sensitivity:
                  sensitivityForCategory(report.category, report.hate) ?? (index % 11 === 5 ? 'safeguarding' : null),
                owningTeamId: owner.id,
                owningPartnerId: owner.partner_id,
                leadOfficerId: lead?.id ?? null,
                wardCode: report.ward_code,
                location: report.postcode,
                reportIds: [report.id],
                openedAt,
                reviewDate: isoDate(new Date(openedAt.getTime() + 28 * DAY)),
              },
              actor,
              trx,
            )
            caseId = opened.id
          },
        },
      )
      cases += 1
      const row = await casework.repository.caseById(caseId)
      if (!row) continue
      if (report.reporter_name)
        await casework.addParty(row, { role: 'complainant', kind: 'person', name: report.reporter_name }, actor)
      await casework.addParty(
        row,
        {
          role: 'perpetrator',
          kind: environmental ? 'address' : 'person',
          name: environmental
            ? `${String(random.int(1, 200))} ${random.pick(STREETS)}`
            : `${random.pick(FIRST)} ${random.pick(LAST)}`,
          dateOfBirth: environmental
            ? null
            : `${String(random.int(1960, 2008))}-0${String(random.int(1, 9))}-1${String(random.int(0, 9))}`,
          postcode: report.postcode,
        },
        actor,
      )
      if (report.category === 'vehicle_nuisance')
        await casework.addParty(
          row,
          {
            role: 'perpetrator',
            kind: 'vehicle',
            name: 'Black hatchback',
            vehicleRegistration: `LD${String(random.int(10, 74))} ABC`,
          },
          actor,
        )
      for (let n = 0; n < random.int(1, 3); n += 1) {
        await casework.addChronology(
          row.id,
          {
            kind: random.pick(['note', 'contact', 'visit'] as const),
            summary: random.pick(NOTES),
            occurredAt: new Date(openedAt.getTime() + ((n + 1) * DAY) / 2),
          },
          actor,
        )
      }
      const taskCount = random.int(1, 2)
      for (let n = 0; n < taskCount; n += 1) {
        // Some overdue, some due today, most upcoming.
        const offset = random.weighted([
          [-5, 2],
          [-1, 1],
          [0, 1],
          [3, 3],
          [10, 3],
        ] as const)
        await casework.createTask(
          {
            caseId: row.id,
            title: random.pick(TASKS),
            ownerUserId: lead?.id ?? null,
            dueDate: isoDate(new Date(now.getTime() + offset * DAY)),
            sourceModule: 'casework',
          },
          actor,
        )
        tasks += 1
      }
      if (index % 4 === 1 || index % 5 === 2) {
        const partner = index % 4 === 1 ? police : housing
        const fresh = await casework.repository.caseById(row.id)
        if (fresh) {
          await casework.share(
            fresh,
            {
              partnerId: partner.id,
              lawfulBasis: 'cda-1998-s115',
              consentStatus: index % 3 === 0 ? 'given' : 'not-required',
            },
            actor,
            partner.name,
          )
          shared += 1
        }
      }
      if (index % 6 === 3 && openedAt.getTime() < now.getTime() - 10 * DAY) {
        const fresh = await casework.repository.caseById(row.id)
        if (fresh) {
          const note = 'The behaviour has stopped following our warning, and the complainant agrees.'
          await casework.close(fresh, fresh.version, { outcome: 'resolved', publicNote: note }, actor)
          await reporting.reports.changeStatus(
            report.reference,
            { status: 'closed', closureReason: 'resolved', publicNote: note },
            actor,
          )
          closed += 1
        }
      }
    }
    const added = await seedAddedReports(deps)
    const year = await seedCaseworkYear(deps, random)
    return { cases, tasks, shared, closed, added, ...year }
  },
}

/** What an outcome says to the residents, and the outcomes' shares of closed demo cases. */
const CLOSURES: readonly (readonly [
  { outcome: 'resolved' | 'no_further_action' | 'not_asb' | 'referred'; note: string; agency?: string },
  number,
])[] = [
  [{ outcome: 'resolved', note: 'The behaviour has stopped, and the complainant agrees.' }, 6],
  [{ outcome: 'no_further_action', note: 'We have done what we can; please report again if it returns.' }, 2],
  [{ outcome: 'not_asb', note: 'What was reported is not anti-social behaviour.' }, 1],
  [{ outcome: 'referred', note: 'Passed to the police, who lead on this.', agency: 'Metropolitan Police Service' }, 1],
]
const SATISFACTION = [
  ['very_satisfied', 3],
  ['satisfied', 4],
  ['neither', 2],
  ['dissatisfied', 1],
  ['very_dissatisfied', 1],
] as const

/**
 * The year's casework, dated relative to today: cases opened (through a casework service on a clock set to each
 * event's time, so every date, chronology line and audit row is as the product would have written it then) from
 * older demo reports across the last 18 months, each with its first contact with the complainant, most closed with
 * an outcome, and the satisfaction check-ins residents answered after closure. Reports of the demo's regular
 * residents are left alone (subject access tests count their cases).
 */
async function seedCaseworkYear(deps: Parameters<DemoSeeder['seed']>[0], random: Parameters<DemoSeeder['seed']>[1]) {
  const db = deps.database.db
  const now = deps.clock.now().getTime()
  const clock = fixedClock(new Date(now))
  const audit = createAuditService({ db, clock })
  const casework = createCasework({ db, audit, clock })
  const team = await deps.accounts.repository.teamByCode('asb-investigations')
  if (!team) return { yearCases: 0, yearClosed: 0, checkins: 0 }
  const officers = (await deps.accounts.repository.listUsers()).filter(
    user => user.teamId === team.id && user.roles.some(role => role === 'officer' || role === 'supervisor'),
  )
  const candidates = await db
    .selectFrom('report')
    .select(['id', 'reference', 'category', 'hate', 'ward_code', 'received_at', 'priority', 'postcode'])
    .select(['reporter_name', 'reporter_email'])
    .where('status', 'in', ['assessed', 'in_progress', 'action_taken'])
    .where(eb => eb.or([eb('reporter_email', 'is', null), eb('reporter_email', 'not like', 'demo.resident%')]))
    .where('received_at', '<', new Date(now - 12 * DAY))
    .where(eb =>
      eb.not(
        eb.exists(eb.selectFrom('case_report').select('case_id').whereRef('case_report.report_id', '=', 'report.id')),
      ),
    )
    .orderBy('received_at')
    .execute()
  let yearCases = 0
  let yearClosed = 0
  let checkins = 0
  const step = Math.max(1, candidates.length / DEMO_YEAR_CASES)
  for (let n = 0; n < Math.min(DEMO_YEAR_CASES, candidates.length); n += 1) {
    const report = candidates[Math.floor(n * step)]
    if (!report) continue
    const lead = officers.length > 0 ? random.pick(officers) : undefined
    const actor: Actor = lead ? { type: 'user', id: lead.id } : systemActor
    const receivedAt = new Date(report.received_at).getTime()
    const openedAt = new Date(Math.min(now - DAY, receivedAt + random.int(1, 3) * DAY))
    clock.set(openedAt)
    let caseId = ''
    await deps.reporting.reports.changeStatus(
      report.reference,
      { status: 'in_progress', publicNote: 'An officer is now looking into your report.' },
      actor,
      {
        at: openedAt,
        within: async trx => {
          caseId = (
            await casework.openCase(
              {
                title: caseTitle(report.category, random.pick(STREETS)),
                category: report.category,
                priority: report.priority,
                sensitivity: sensitivityForCategory(report.category, report.hate),
                owningTeamId: team.id,
                owningPartnerId: team.partner_id,
                leadOfficerId: lead?.id ?? null,
                wardCode: report.ward_code,
                location: report.postcode,
                reportIds: [report.id],
                openedAt,
              },
              actor,
              trx,
            )
          ).id
        },
      },
    )
    yearCases += 1
    const row = await casework.repository.caseById(caseId)
    if (!row) continue
    const name = report.reporter_name ?? `${random.pick(FIRST)} ${random.pick(LAST)}`
    await casework.addParty(row, { role: report.reporter_name ? 'complainant' : 'victim', kind: 'person', name }, actor)
    await casework.addParty(
      row,
      {
        role: 'perpetrator',
        kind: 'person',
        name: `${random.pick(FIRST)} ${random.pick(LAST)}`,
        dateOfBirth: `${String(random.int(1965, 2004))}-0${String(random.int(1, 9))}-1${String(random.int(0, 9))}`,
        postcode: report.postcode,
      },
      actor,
    )
    // First contact with the complainant, usually within a few working days of the case opening.
    const contactAt = new Date(Math.min(now - DAY / 2, openedAt.getTime() + random.int(2, 96) * 3_600_000))
    clock.set(contactAt)
    await casework.addChronology(
      row.id,
      { kind: 'contact', summary: random.pick(NOTES.slice(0, 2)), occurredAt: contactAt },
      actor,
    )
    const lengthDays = random.int(14, 150)
    const closeAt = openedAt.getTime() + lengthDays * DAY
    if (closeAt > now - DAY || random.chance(0.1)) continue
    clock.set(new Date(closeAt))
    const fresh = await casework.repository.caseById(row.id)
    if (!fresh) continue
    const closure = random.weighted(CLOSURES)
    await casework.close(
      fresh,
      fresh.version,
      { outcome: closure.outcome, publicNote: closure.note, referredAgency: closure.agency ?? null },
      actor,
      async trx => {
        await deps.reporting.reports.changeStatus(
          report.reference,
          closure.outcome === 'referred'
            ? {
                status: 'closed',
                closureReason: 'referred',
                referredAgency: closure.agency ?? '',
                publicNote: closure.note,
              }
            : { status: 'closed', closureReason: closure.outcome, publicNote: closure.note },
          actor,
          { trx, at: new Date(closeAt) },
        )
        // A satisfaction check-in (since last year's survey) for a resident who can be contacted.
        if (!report.reporter_email || closeAt < now - DEMO_SPAN_DAYS * DAY) return
        await casework.createCheckin(row.id, report.id, trx)
      },
    )
    yearClosed += 1
    // Most answer within a fortnight.
    if (!report.reporter_email || closeAt < now - DEMO_SPAN_DAYS * DAY || !random.chance(0.6)) continue
    const answeredAt = new Date(Math.min(now - 3_600_000, closeAt + random.int(1, 14) * DAY))
    await db
      .updateTable('case_checkin')
      .set({
        answered_at: answeredAt,
        satisfaction: random.weighted(SATISFACTION),
        feels_safer: random.weighted([
          ['yes', 5],
          ['not_sure', 2],
          ['no', 1],
        ] as const),
        comment: random.chance(0.3) ? 'Demo: thank you for keeping me informed.' : null,
      })
      .where('case_id', '=', row.id)
      .where('answered_at', 'is', null)
      .execute()
    checkins += 1
  }
  return { yearCases, yearClosed, checkins }
}

/** How many cases the year's demo casework opens from older reports (on top of the 36 recent ones). */
export const DEMO_YEAR_CASES = 60

/**
 * Two waiting reports about the same problem as an open demo case's report, added to it as a resident adds theirs:
 * they joined the case with it (issue 16), so the case page and the staff report pages show the links in words.
 */
async function seedAddedReports(deps: Parameters<DemoSeeder['seed']>[0]): Promise<number> {
  const { casework, reporting } = deps
  const db = deps.database.db
  const parent = await db
    .selectFrom('case_report as cr')
    .innerJoin('asb_case as c', 'c.id', 'cr.case_id')
    .innerJoin('report as r', 'r.id', 'cr.report_id')
    .select(['c.id as case_id', 'c.lead_officer_id', 'r.id', 'r.category'])
    .where('c.status', '=', 'open')
    .where('c.sensitivity', 'is', null)
    .orderBy('c.opened_at', 'desc')
    .executeTakeFirst()
  if (!parent) return 0
  const waiting = await db
    .selectFrom('report')
    .select(['id', 'reference'])
    .where('status', 'in', ['received', 'assessed'])
    .where('category', '=', parent.category)
    .where('hate', '=', false)
    .where(eb =>
      eb.not(
        eb.exists(eb.selectFrom('case_report').select('case_id').whereRef('case_report.report_id', '=', 'report.id')),
      ),
    )
    .orderBy('received_at', 'desc')
    .limit(2)
    .execute()
  const actor: Actor = parent.lead_officer_id ? { type: 'user', id: parent.lead_officer_id } : systemActor
  for (const report of waiting) {
    await reporting.reports.changeStatus(
      report.reference,
      { status: 'in_progress', publicNote: 'Your report is part of a case an officer is working on.' },
      actor,
      {
        within: async trx => {
          const caseRow = await casework.repository.caseById(parent.case_id, trx)
          if (!caseRow) return
          await reporting.reports.markAddedTo(report.id, parent.id, actor, trx)
          await casework.linkReport(caseRow, report.id, report.reference, actor, trx)
        },
      },
    )
  }
  return waiting.length
}
