/**
 * Demo Case Reviews in different states, received on past dates so the dashboard's clocks show something real: one
 * just received, one overdue for its threshold decision, one "threshold not met" with its letter, and one in review
 * with an independent chair from an uninvolved agency and agencies asked for information. Invented people. The
 * council's panel coordinator (panels@council) works them; the police and housing, asked for information on the one
 * in review, see that one; staff who may see a linked report see its application.
 */
import { randomUUID } from 'node:crypto'

import type { DemoSeeder } from '../../db/seeds/demo.js'
import { createAuditService, systemActor } from '../../platform/audit.js'
import { fixedClock } from '../../platform/clock.js'
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../accounts/index.js'
import { createCasework } from '../casework/index.js'
import { createCaseReview } from './case-review.js'

const DAY = 86_400_000

export const caseReviewDemoSeeder: DemoSeeder = {
  name: 'case-review',
  async seed(deps) {
    const now = deps.clock.now().getTime()
    const chairEmail = 'chair@health.safer.example'
    if (!(await deps.accounts.repository.userByEmail(chairEmail))) {
      await deps.accounts.createUser(systemActor, {
        email: chairEmail,
        displayName: 'Priya Natarajan',
        partnerCode: 'health',
        roles: ['supervisor'],
        password: DEMO_PASSWORD,
        totpSecret: DEMO_TOTP_SECRET,
      })
    }
    // The council's panel coordinator is the demo's Case Review coordinator (ADR 0025): the one who works them.
    const coordinator = await deps.accounts.repository.userByEmail('panels@council.safer.example')
    const chair = await deps.accounts.repository.userByEmail(chairEmail)
    if (!coordinator || !chair) return { applications: 0 }
    const actor = { type: 'user' as const, id: coordinator.id }
    const { rows: recent } = await deps.reporting.repository.list({ limit: 4, offset: 0 })
    const people = [
      { name: 'Amina Rahman', daysAgo: 1, state: 'received' },
      { name: 'Tom Hughes', daysAgo: 20, state: 'overdue' },
      { name: 'Grace Okafor', daysAgo: 30, state: 'not-met' },
      { name: 'Delroy Campbell', daysAgo: 12, state: 'review' },
    ] as const
    let count = 0
    for (const [index, person] of people.entries()) {
      const clock = fixedClock(new Date(now - person.daysAgo * DAY))
      const service = createCaseReview({ ...deps, db: deps.database.db, clock })
      const applied = await service.apply(
        {
          submissionId: randomUUID(),
          applicantType: index === 2 ? 'representative' : 'victim',
          name: person.name,
          email: `${person.name.split(' ')[0]?.toLowerCase() ?? 'resident'}@example.org`,
          phone: null,
          address: null,
          victimName: index === 2 ? 'Joseph Okafor' : null,
          relationship: index === 2 ? 'Daughter and carer' : null,
          consent: index === 2,
          reportReference: null,
          trackingCode: null,
          description: 'Repeated noise and intimidation from the stairwell late at night.',
          dissatisfaction: 'I reported it several times and nobody came back to me.',
          hate: false,
          otherAgencies: ['police', 'housing'],
        },
        systemActor,
      )
      if (!applied.ok) continue
      count += 1
      const report = recent[index]
      let found = await service.get(applied.id)
      if (report && found) {
        await service.linkReport(coordinator, actor, found.row, found.row.version, report.reference)
      }
      if (person.state === 'received' || person.state === 'overdue') continue
      clock.advance(2 * DAY)
      found = await service.get(applied.id)
      if (!found) continue
      await service.acknowledge(coordinator, actor, found.row, found.row.version)
      found = await service.get(applied.id)
      if (!found) continue
      const eligibility = await service.currentEligibility(found.row)
      const decision = person.state === 'not-met' && !eligibility.met ? 'not-met' : 'met'
      await service.decideThreshold(coordinator, actor, found.row, found.row.version, {
        decision,
        persistence: 'Reported over four months, most weeks.',
        harm: 'The applicant says the family is afraid to use the stairs at night.',
        adequacy: 'Housing visited twice and police attended once.',
        reason:
          decision === 'met'
            ? 'The reports meet the threshold.'
            : 'Agencies are acting and the reports fall short of the threshold.',
      })
      if (decision === 'not-met') continue
      found = await service.get(applied.id)
      if (!found) continue
      await service.appointChair(coordinator, actor, found.row, found.row.version, chair.id)
      found = await service.get(applied.id)
      if (!found) continue
      const partners = await service.partners()
      await service.requestInformation(
        coordinator,
        actor,
        found.row,
        partners.filter(partner => partner.code === 'police' || partner.code === 'housing').map(partner => partner.id),
      )
    }
    const year = await seedCaseReviewYear(deps, coordinator, chair)
    return { applications: count, ...year }
  },
}

const YEAR_APPLICANTS = [
  ['Demo Applicant Noor', 330, 'met', true],
  ['Demo Applicant Wells', 295, 'not-met', false],
  ['Demo Applicant Osei', 250, 'met', false],
  ['Demo Applicant Baker', 205, 'met', true],
  ['Demo Applicant Ferreira', 170, 'not-met', false],
  ['Demo Applicant Kaur', 130, 'met', true],
  ['Demo Applicant Lewis', 95, 'not-met', false],
  ['Demo Applicant Mensah', 70, 'met', false],
  // Last financial year, so its figures to date have Case Reviews behind them too.
  ['Demo Applicant Ahmed', 560, 'met', true],
  ['Demo Applicant Price', 500, 'not-met', false],
  ['Demo Applicant Chowdhury', 450, 'met', false],
  ['Demo Applicant Evans', 400, 'met', false],
] as const

/**
 * The year's Case Reviews, dated relative to today: applications through the year about demo cases, each
 * acknowledged and decided; those meeting the threshold reviewed with an independent chair, minuted, and the outcome
 * sent; some with recommendations, tasks on a case the coordinator's team opened for the review. Through the service on a clock set to each step's day.
 */
async function seedCaseReviewYear(
  deps: Parameters<DemoSeeder['seed']>[0],
  coordinator: NonNullable<
    Awaited<ReturnType<Parameters<DemoSeeder['seed']>[0]['accounts']['repository']['userByEmail']>>
  >,
  chair: NonNullable<Awaited<ReturnType<Parameters<DemoSeeder['seed']>[0]['accounts']['repository']['userByEmail']>>>,
) {
  const db = deps.database.db
  const now = deps.clock.now().getTime()
  const clock = fixedClock(new Date(now))
  const audit = createAuditService({ db, clock })
  const casework = createCasework({ db, audit, clock })
  const service = createCaseReview({ ...deps, db, clock, audit, casework })
  const actor = { type: 'user' as const, id: coordinator.id }
  const wards = deps.geography.wards()
  const counts = { yearApplications: 0, thresholdMet: 0, thresholdNotMet: 0, reviewsHeld: 0, recommendations: 0 }
  for (const [index, [name, daysAgo, decision, recommend]] of YEAR_APPLICANTS.entries()) {
    clock.set(new Date(now - daysAgo * DAY))
    // Recommendations are tasks on a case: the coordinator's team opens one for the review to hang them on.
    const reviewCase =
      recommend && coordinator.teamId
        ? await casework.openCase(
            {
              title: `Demo: ASB Case Review for ${name}`,
              category: 'neighbour_nuisance',
              priority: 'standard',
              sensitivity: null,
              owningTeamId: coordinator.teamId,
              owningPartnerId: coordinator.partnerId,
              leadOfficerId: coordinator.id,
              wardCode: wards[index % Math.max(1, wards.length)]?.code ?? null,
            },
            { type: 'user', id: coordinator.id },
          )
        : undefined
    const applied = await service.apply(
      {
        submissionId: randomUUID(),
        applicantType: 'victim',
        name,
        email: `${name.split(' ').at(-1)?.toLowerCase() ?? 'applicant'}.case-review@example.org`,
        phone: null,
        address: null,
        victimName: null,
        relationship: null,
        consent: false,
        reportReference: null,
        trackingCode: null,
        description: 'Demo: months of noise and abuse from a neighbour.',
        dissatisfaction: 'Demo: I do not think my reports were taken seriously.',
        hate: false,
        otherAgencies: ['police', 'housing'],
      },
      systemActor,
    )
    if (!applied.ok) continue
    counts.yearApplications += 1
    const fresh = async () => (await service.get(applied.id))?.row
    let row = await fresh()
    if (row && reviewCase) await service.linkCase(coordinator, actor, row, row.version, reviewCase.reference)
    clock.advance(2 * DAY)
    row = await fresh()
    if (!row) continue
    await service.acknowledge(coordinator, actor, row, row.version)
    clock.advance(8 * DAY)
    row = await fresh()
    if (!row) continue
    await service.decideThreshold(coordinator, actor, row, row.version, {
      decision,
      persistence: 'Reported over several months.',
      harm: 'The applicant describes real harm to the family.',
      adequacy: 'Agencies responded, but not together.',
      reason: decision === 'met' ? 'The reports meet the threshold.' : 'Agencies acted and the reports fall short.',
    })
    if (decision === 'not-met') {
      counts.thresholdNotMet += 1
      continue
    }
    counts.thresholdMet += 1
    row = await fresh()
    if (!row) continue
    await service.appointChair(coordinator, actor, row, row.version, chair.id)
    clock.advance(20 * DAY)
    row = await fresh()
    if (!row) continue
    await service.recordMinutes(coordinator, actor, row, row.version, {
      attendees: 'Demo: council, police, housing, health; the applicant attended.',
      minutes: 'Demo: partners reviewed the response and agreed what would change.',
    })
    row = await fresh()
    if (recommend && row?.case_id) {
      const added = await service.addRecommendation(coordinator, actor, row, {
        text: 'Demo: a joint visit by housing and police, and one named officer for the applicant.',
        ownerUserId: coordinator.id,
        dueOn: new Date(clock.now().getTime() + 28 * DAY).toISOString().slice(0, 10),
        updateFrequency: 'monthly',
      })
      if (added.ok) counts.recommendations += 1
    }
    clock.advance(DAY)
    row = await fresh()
    if (!row) continue
    const sent = await service.sendOutcome(
      coordinator,
      actor,
      row,
      row.version,
      'Demo: the review found the agencies should have acted together sooner.',
      () => '<p>Demo outcome letter.</p>',
    )
    if (sent.ok) counts.reviewsHeld += 1
  }
  return counts
}
