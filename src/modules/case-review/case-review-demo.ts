/**
 * Demo Case Reviews in different states, received on past dates so the dashboard's clocks show something real: one
 * just received, one overdue for its threshold decision, one "threshold not met" with its letter, and one in review
 * with an independent chair from an uninvolved agency and agencies asked for information. Invented people. The
 * council's panel coordinator (panels@council) works them; the police and housing, asked for information on the one
 * in review, see that one; staff who may see a linked report see its application.
 */
import { randomUUID } from 'node:crypto'

import type { DemoSeeder } from '../../db/seeds/demo.js'
import { systemActor } from '../../platform/audit.js'
import { fixedClock } from '../../platform/clock.js'
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../accounts/index.js'
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
    return { applications: count }
  },
}
