/**
 * The demo borough's panels: the pack's panels with their member partners (the pack's demo file, `panelMembers`), a Community MARAC meeting held last
 * month (attendance, an agenda built from referrals, minutes and owned actions that are tasks on the cases) and the
 * next one scheduled, hate incidents (one referred to the Hate Incident Panel), and a fortnight of the Tension
 * Monitoring Group's tension log. Invented people and events, marked as demo data.
 */
import { randomUUID } from 'node:crypto'

import { DEMO_SEED, DEMO_SPAN_DAYS, type DemoSeeder } from '../../db/seeds/demo.js'
import { createRandom, type Random } from '../../db/seeds/random.js'
import { createAuditService } from '../../platform/audit.js'
import { fixedClock } from '../../platform/clock.js'
import { addDays, londonDate } from '../../platform/working-days.js'
import type { StaffUser } from '../accounts/index.js'
import { createCasework } from '../casework/index.js'
import { createRisk } from '../risk/index.js'
import { nextMeetingOn, previousMeetingOn } from './cadence.js'
import { weekStart } from './community-service.js'
import { DASH_TOPICS } from './marac-rules.js'
import { connectRiskReferrals, createPanels } from './panels.js'

export const panelsDemoSeeder: DemoSeeder = {
  name: 'panels',
  async seed(deps, random): Promise<Record<string, number>> {
    const db = deps.database.db
    const { panels, casework } = deps
    const partners = await db.selectFrom('partner').select(['id', 'code']).execute()
    const partnerId = (code: string) => partners.find(partner => partner.code === code)?.id
    const running = (await panels.service.panels()).filter(panel => panel.active)
    for (const panel of running) {
      const ids = (deps.pack.demo.panelMembers[panel.code] ?? [])
        .map(partnerId)
        .filter((id): id is string => id !== undefined)
      await panels.repository.setMembers(panel.id, ids)
    }
    const userByEmail = async (email: string) => {
      const id = (await db.selectFrom('staff_user').select('id').where('email', '=', email).executeTakeFirst())?.id
      return id ? deps.accounts.repository.userById(id) : undefined
    }
    const coordinator = await userByEmail('panels@council.safer.example')
    const officer = await userByEmail('officer@council.safer.example')
    const police = (
      await db.selectFrom('staff_user').select('id').where('email', 'like', '%@police.%').executeTakeFirst()
    )?.id
    const housing = (
      await db
        .selectFrom('staff_user')
        .select('id')
        .where('email', '=', 'partner@housing.safer.example')
        .executeTakeFirst()
    )?.id
    if (!coordinator || !officer?.teamId) return { panels: running.length }
    const coordinatorActor = { type: 'user' as const, id: coordinator.id }
    const officerActor = { type: 'user' as const, id: officer.id }
    const today = londonDate(deps.clock.now())
    const wards = deps.geography.wards()
    // The year before the demo's own meeting, with its own random numbers so what follows is as it was.
    const year = await seedPanelsYear(deps, createRandom(DEMO_SEED + 1_000), coordinator, officer)

    // Two vulnerable victims on cases the council's ASB team works, referred to the Community MARAC.
    const victims = [
      ['Demo: targeted harassment of a disabled resident', 'Mrs Demo Ahmed', 'harassment'],
      ['Demo: repeated intimidation on a housing estate', 'Mr Demo Clarke', 'intimidation'],
    ] as const
    const referred: { caseId: string; referralId: string }[] = []
    for (const [title, name, category] of victims) {
      const ward = random.pick(wards)
      const opened = await casework.openCase(
        {
          title,
          category,
          priority: 'high',
          sensitivity: null,
          owningTeamId: officer.teamId,
          owningPartnerId: officer.partnerId,
          leadOfficerId: officer.id,
          wardCode: ward.code,
          location: null,
        },
        officerActor,
      )
      const caseRow = await casework.repository.caseById(opened.id)
      if (!caseRow) continue
      await casework.addParty(caseRow, { role: 'victim', kind: 'person', name }, officerActor)
      const result = await panels.service.referCase(officer, officerActor, caseRow, {
        panelCode: 'community-marac',
        partyId: (await casework.repository.parties(caseRow.id))[0]?.id ?? '',
        reason: 'High risk: repeated targeting, a disability, and the victim is afraid to leave home.',
        submissionId: randomUUID(),
      })
      if (result.ok) referred.push({ caseId: caseRow.id, referralId: result.id })
    }

    // Last month's meeting: attendance, minutes and actions; then the next meeting, its agenda built the same way.
    const cm = await panels.repository.panelByCode('community-marac')
    let actions = 0
    if (cm?.active) {
      // Dated by the panel's cadence (the pack's "Monthly, second Thursday"), not so many days from today.
      const heldOn = previousMeetingOn(cm.meeting_cadence, addDays(today, -14)) ?? addDays(today, -21)
      const held = await panels.service.createMeeting(coordinator, coordinatorActor, cm, {
        meetsOn: heldOn,
        chair: 'Inspector Demo Hughes (Metropolitan Police)',
        location: 'Mulberry Place, Clove Crescent',
        submissionId: randomUUID(),
      })
      const meeting = held.ok ? await panels.repository.meeting(held.id) : undefined
      if (meeting) {
        const members = await panels.service.memberPartners(cm)
        await panels.service.recordAttendance(
          coordinatorActor,
          cm,
          meeting,
          members.map((partner, index) => ({
            partnerId: partner.id,
            present: index !== members.length - 1,
            representative: index !== members.length - 1 ? `Demo representative, ${partner.name}` : '',
          })),
        )
        for (const item of await panels.service.agenda(meeting)) {
          const found = await panels.service.item(meeting, item.id)
          if (!found) continue
          const entry = { id: found.item.id, referral: found.referral }
          await panels.service.saveMinutes(
            coordinator,
            coordinatorActor,
            cm,
            meeting,
            entry,
            'Partners shared what they know. Housing to check the victim’s tenancy support; police to increase patrols; ' +
              'Victim Support to make contact within a week. Review at the next meeting.',
          )
          for (const [title, owner, days] of [
            ['Visit the victim with the housing officer and review safety measures', officer.id, 7],
            ['Add the address to the neighbourhood team’s patrol plan', police ?? officer.id, 14],
            ['Check the victim’s tenancy support and any repairs outstanding', housing ?? officer.id, 10],
          ] as const) {
            // A partner's owner gets the case shared with their partner under the recorded basis (ADR 0053).
            const added = await panels.service.addAction(coordinator, coordinatorActor, cm, meeting, entry, {
              title,
              ownerUserId: owner,
              dueDate: addDays(today, days),
              submissionId: randomUUID(),
              share: { lawfulBasis: 'cda-1998-s115', consentStatus: 'not-required', note: '' },
            })
            if (added.ok) actions += 1
          }
        }
      }
      await panels.service.createMeeting(coordinator, coordinatorActor, cm, {
        meetsOn: nextMeetingOn(cm.meeting_cadence, addDays(today, 1)) ?? addDays(today, 7),
        chair: 'Inspector Demo Hughes (Metropolitan Police)',
        location: 'Mulberry Place, Clove Crescent',
        submissionId: randomUUID(),
      })
    }

    // Hate incidents for the Hate Incident Panel's counts; one referred to the panel.
    const characteristics = ['race', 'religion', 'disability', 'sexual_orientation', 'transgender_identity'] as const
    let incidents = 0
    for (let index = 0; index < 12; index += 1) {
      const result = await panels.community.recordHateIncident(officer, officerActor, {
        caseRow: null,
        reportId: null,
        wardCode: random.pick(wards).code,
        validWard: true,
        occurredOn: addDays(today, -random.int(1, 300)),
        characteristics: [random.pick(characteristics)],
        crime: random.chance(0.4) ? 'yes' : 'no',
        summary: 'Demo: verbal abuse in the street aimed at the victim’s identity.',
        refer: index === 0,
        submissionId: randomUUID(),
      })
      if (result.ok) incidents += 1
    }

    // This week's and last week's tension log.
    const tmg = await panels.repository.panelByCode('tension-monitoring')
    let tensions = 0
    if (tmg?.active) {
      const monday = weekStart(today)
      const entries: [number, 'evidenced' | 'experienced' | 'potential', number, string[], string, string][] = [
        [
          -6,
          'experienced',
          2,
          ['community', 'councillor'],
          'Residents report unease after graffiti on a place of worship.',
          'Graffiti removed within 24 hours; faith leaders briefed.',
        ],
        [
          -4,
          'potential',
          3,
          ['social-media'],
          'Social media posts calling for a protest outside a hotel housing asylum seekers.',
          'Police to monitor; community leaders engaged.',
        ],
        [
          0,
          'evidenced',
          4,
          ['police', 'council'],
          'Two hate incidents reported near the market after a football match.',
          'Extra THEO patrols on match days.',
        ],
        [
          1,
          'potential',
          3,
          ['social-media', 'schools'],
          'Rumours between two school groups of a fight after school.',
          'Schools and youth service to share messages; police presence at the station.',
        ],
        [
          2,
          'experienced',
          2,
          ['faith', 'community'],
          'Worshippers feel unsafe walking home after evening prayers.',
          'Community walk with ward councillors.',
        ],
      ]
      for (const [offset, category, level, sources, summary, actionText] of entries) {
        const reportedOn = addDays(monday, offset)
        if (reportedOn > today) continue
        const result = await panels.community.recordTension(coordinator, coordinatorActor, tmg, {
          wardCode: random.pick(wards).code,
          validWard: true,
          reportedOn,
          category,
          level: String(level),
          sources,
          summary: `Demo: ${summary}`,
          actions: actionText,
          submissionId: randomUUID(),
        })
        if (result.ok) tensions += 1
      }
    }
    return {
      panels: running.length,
      referrals: referred.length,
      actions,
      hateIncidents: incidents,
      tensions,
      ...year,
    }
  },
}

const HOUR = 3_600_000
const DAY = 24 * HOUR

/**
 * Twenty months of MARAC meetings before the demo's own (dated relative to today): month by month, the high-risk victims the
 * risk demo assessed are referred to the Community MARAC, DASH checklists are recorded on other cases (those meeting
 * the criteria referred to the DA MARAC), then each panel meets: attendance, minutes, one owned action per item (a
 * task on the case, done on time or late) and the referral closed. Everything through the modules' services on a
 * clock set to each event's time, so it is dated and audited as the product would have written it then.
 */
async function seedPanelsYear(
  deps: Parameters<DemoSeeder['seed']>[0],
  random: Random,
  coordinator: StaffUser,
  officer: StaffUser,
) {
  const db = deps.database.db
  const now = deps.clock.now().getTime()
  const today = londonDate(new Date(now))
  const clock = fixedClock(new Date(now))
  const audit = createAuditService({ db, clock })
  const casework = createCasework({ db, audit, clock })
  const panels = createPanels({ db, casework, audit, clock })
  const risk = createRisk({ db, casework, audit, clock, policy: deps.risk.policy })
  connectRiskReferrals(panels, risk, casework)
  const coordinatorActor = { type: 'user' as const, id: coordinator.id }
  const at = (iso: string, hour: number) => clock.set(new Date(new Date(`${iso}T00:00:00Z`).getTime() + hour * HOUR))
  const userOf = async (id: string | null) => (id ? deps.accounts.repository.userById(id) : undefined)
  const counts = { maracReferrals: 0, dashChecklists: 0, meetings: 0, panelActions: 0, actionsLate: 0 }

  const highs = await db
    .selectFrom('risk_assessment as a')
    .innerJoin('asb_case as c', 'c.id', 'a.case_id')
    .select(['a.id', 'a.case_id', 'a.assessed_on', 'c.lead_officer_id'])
    .where('a.level', '=', 'high')
    .orderBy('a.assessed_on')
    .orderBy('a.id')
    .execute()
  const dashCases = await db
    .selectFrom('asb_case as c')
    .innerJoin('case_party as p', 'p.case_id', 'c.id')
    .select(['c.id', 'c.opened_at', 'c.lead_officer_id', 'p.id as party_id'])
    .where('c.opened_at', '>=', new Date(now - DEMO_SPAN_DAYS * DAY))
    .where('c.category', 'in', ['harassment', 'neighbour_nuisance', 'noise_music', 'intimidation'])
    .where('p.kind', '=', 'person')
    .where('p.role', 'in', ['victim', 'complainant'])
    .orderBy('c.opened_at')
    .orderBy('p.id')
    .execute()
  const referredCases = new Set<string>()
  // Monthly meetings, the last a little over a month before the demo's own meeting three weeks ago.
  // From about twenty months back (DEMO_SPAN_DAYS), so last year's figures to date have meetings behind them too.
  const months = Math.floor((DEMO_SPAN_DAYS - 5) / 30) - 1
  let previous = addDays(today, -30 * (months + 1) - 5)
  for (let month = months; month >= 2; month -= 1) {
    const windowEnd = addDays(today, -30 * month - 5)
    // High-risk victims assessed since the last meeting: referred the day after their assessment.
    for (const high of highs) {
      if (high.assessed_on <= previous || high.assessed_on > addDays(windowEnd, -2) || referredCases.has(high.case_id))
        continue
      if (!random.chance(0.9)) continue
      const user = await userOf(high.lead_officer_id)
      const caseRow = await casework.repository.caseById(high.case_id)
      if (!user || !caseRow) continue
      at(addDays(high.assessed_on, 1), 11)
      const result = await risk.referToMarac(user, { type: 'user', id: user.id }, caseRow, high.id)
      if (result.ok) {
        counts.maracReferrals += 1
        referredCases.add(high.case_id)
      }
    }
    // A DASH checklist or two on cases opened since the last meeting.
    const opened = dashCases.filter(row => {
      const on = londonDate(new Date(row.opened_at))
      return on > previous && on <= addDays(windowEnd, -7) && !referredCases.has(row.id)
    })
    for (const row of opened.slice(0, random.int(1, 2))) {
      const user = await userOf(row.lead_officer_id)
      const caseRow = await casework.repository.caseById(row.id)
      if (!user || !caseRow) continue
      const assessedOn = addDays(londonDate(new Date(row.opened_at)), random.int(1, 5))
      if (assessedOn > today) continue
      at(assessedOn, 15)
      const likely = random.chance(0.5) ? 0.75 : 0.2
      const answers = Object.fromEntries(DASH_TOPICS.map(topic => [topic, random.chance(likely) ? 'yes' : 'no']))
      const base = {
        partyId: row.party_id,
        answers,
        incidentOn: addDays(assessedOn, -1),
        calloutDates: [],
        invalidCallouts: [],
        safePhone: '',
        safeEmail: '',
        safeTimes: 'Demo: weekday mornings',
        avoid: '',
      }
      let recorded = await panels.marac.record(user, { type: 'user', id: user.id }, caseRow, {
        ...base,
        refer: 'no',
        judgementReasons: '',
        submissionId: randomUUID(),
      })
      if (!recorded.ok)
        recorded = await panels.marac.record(user, { type: 'user', id: user.id }, caseRow, {
          ...base,
          refer: 'yes',
          judgementReasons: '',
          submissionId: randomUUID(),
        })
      if (recorded.ok) {
        counts.dashChecklists += 1
        referredCases.add(row.id)
      }
    }
    // The meetings: each referral heard, minuted, one owned action, then closed.
    for (const code of ['community-marac', 'da-marac']) {
      const panel = await panels.repository.panelByCode(code)
      if (!panel?.active) continue
      // On the panel's own cadence (second Thursday, every other Tuesday): the first meeting day after the referrals,
      // and before the demo's own meeting (seeded after the year, on the last meeting day a fortnight ago).
      const ownMeeting = previousMeetingOn(panel.meeting_cadence, addDays(today, -14))
      let meetsOn = nextMeetingOn(panel.meeting_cadence, windowEnd) ?? windowEnd
      if (ownMeeting && meetsOn >= ownMeeting)
        meetsOn = previousMeetingOn(panel.meeting_cadence, addDays(ownMeeting, -1)) ?? windowEnd
      at(meetsOn, 10)
      const held = await panels.service.createMeeting(coordinator, coordinatorActor, panel, {
        meetsOn,
        chair:
          code === 'da-marac' ? 'DI Demo Shah (Metropolitan Police)' : 'Inspector Demo Hughes (Metropolitan Police)',
        location: 'Demo: council offices',
        submissionId: randomUUID(),
      })
      const meeting = held.ok ? await panels.repository.meeting(held.id) : undefined
      if (!meeting) continue
      counts.meetings += 1
      const members = await panels.service.memberPartners(panel)
      await panels.service.recordAttendance(
        coordinatorActor,
        panel,
        meeting,
        members.map(partner => ({
          partnerId: partner.id,
          present: random.chance(0.85),
          representative: `Demo representative, ${partner.name}`,
        })),
      )
      for (const item of await panels.service.agenda(meeting)) {
        const found = await panels.service.item(meeting, item.id)
        if (!found) continue
        const entry = { id: found.item.id, referral: found.referral }
        await panels.service.saveMinutes(
          coordinator,
          coordinatorActor,
          panel,
          meeting,
          entry,
          'Demo: partners shared what they know and agreed a safety plan.',
        )
        const due = addDays(meetsOn, 14)
        // The case's lead officer owns the action (a task they can open); the council officer when it has none.
        const leadId = entry.referral.case_id
          ? (await casework.repository.caseById(entry.referral.case_id))?.lead_officer_id
          : null
        const ownerId = leadId ?? officer.id
        const added = await panels.service.addAction(coordinator, coordinatorActor, panel, meeting, entry, {
          title: random.pick([
            'Joint visit with the housing officer',
            'Fit additional locks through the sanctuary scheme',
            'Add the address to the patrol plan',
            'Victim Support to make contact',
          ]),
          ownerUserId: ownerId,
          dueDate: due,
          submissionId: randomUUID(),
          share: { lawfulBasis: 'cda-1998-s115', consentStatus: 'not-required', note: '' },
        })
        if (!added.ok) continue
        counts.panelActions += 1
        const late = random.chance(0.3)
        const doneOn = addDays(due, late ? random.int(2, 20) : -random.int(0, 10))
        const caseRow = entry.referral.case_id ? await casework.repository.caseById(entry.referral.case_id) : undefined
        if (added.taskId && caseRow && doneOn < today) {
          at(doneOn, 16)
          await casework.completeTask(caseRow, added.taskId, { type: 'user', id: ownerId })
          if (late) counts.actionsLate += 1
        }
        at(meetsOn, 12)
        const referral = await panels.service.referral(panel, entry.referral.id)
        if (referral?.status === 'open')
          await panels.service.closeReferral(
            coordinator,
            coordinatorActor,
            panel,
            referral,
            'Demo: safety plan agreed; risk reduced.',
          )
      }
    }
    previous = windowEnd
  }
  return counts
}
