/**
 * The year's victim risk assessments, dated relative to today (after casework's seeder): victims and complainants on
 * the demo cases opened in the last twenty months (DEMO_SPAN_DAYS) are assessed soon after the case opened, at standard, medium and
 * high risk, some reviewed later. Recorded through the risk service on a clock set to each assessment's day, so the
 * stored record, chronology line, review task and audit row are dated as the product would have written them. The
 * Community MARAC referrals of the high-risk victims are made by the panels demo, month by month, before each meeting.
 */
import { randomUUID } from 'node:crypto'

import { DEMO_SPAN_DAYS, type DemoSeeder } from '../../db/seeds/demo.js'
import { createAuditService } from '../../platform/audit.js'
import { fixedClock } from '../../platform/clock.js'
import { londonDate } from '../../platform/working-days.js'
import { createCasework } from '../casework/index.js'
import type { Random } from '../../db/seeds/random.js'
import { createRisk } from './risk.js'
import type { RiskPolicy } from './risk-policy.js'

const DAY = 86_400_000

/** Answers that tend to the level: each yes-no question "yes" and each scale high with the level's likelihood. */
export function demoAnswers(policy: RiskPolicy, level: 'standard' | 'medium' | 'high', random: Random) {
  const likelihood = { standard: 0.05, medium: 0.3, high: 0.65 }[level]
  const answers: Record<string, string> = {}
  for (const question of policy.questions) {
    if (question.kind === 'scale') {
      const options = question.options ?? []
      const index = random.chance(likelihood) ? options.length - 1 : random.int(0, Math.max(0, options.length - 2))
      answers[question.id] = options[index]?.value ?? 'not-known'
    } else if (question.redFlag && level !== 'high') answers[question.id] = 'no'
    else answers[question.id] = random.chance(0.05) ? 'not-known' : random.chance(likelihood) ? 'yes' : 'no'
  }
  return answers
}

export const riskDemoSeeder: DemoSeeder = {
  name: 'risk',
  async seed(deps, random) {
    const db = deps.database.db
    const now = deps.clock.now()
    const clock = fixedClock(now)
    const audit = createAuditService({ db, clock })
    const casework = createCasework({ db, audit, clock })
    const risk = createRisk({ db, casework, audit, clock, policy: deps.risk.policy })
    const today = londonDate(now)
    const cases = await db
      .selectFrom('asb_case as c')
      .innerJoin('case_party as p', 'p.case_id', 'c.id')
      .select(['c.id', 'c.opened_at', 'c.closed_at', 'c.lead_officer_id', 'p.id as party_id'])
      .where('c.opened_at', '>=', new Date(now.getTime() - DEMO_SPAN_DAYS * DAY))
      .where('c.lead_officer_id', 'is not', null)
      .where('p.kind', '=', 'person')
      .where('p.role', 'in', ['victim', 'complainant'])
      .orderBy('c.opened_at')
      .orderBy('p.id')
      .execute()
    let assessed = 0
    const levels: Record<string, number> = { standard: 0, medium: 0, high: 0 }
    const seen = new Set<string>()
    for (const row of cases) {
      if (seen.has(row.id) || !random.chance(0.5)) continue
      seen.add(row.id)
      const user = row.lead_officer_id ? await deps.accounts.repository.userById(row.lead_officer_id) : undefined
      const caseRow = await casework.repository.caseById(row.id)
      if (!user || !caseRow) continue
      const openedAt = new Date(row.opened_at).getTime()
      const end = Math.min(now.getTime(), row.closed_at ? new Date(row.closed_at).getTime() : now.getTime())
      const target = random.weighted([
        ['standard', 4],
        ['medium', 3],
        ['high', 3],
      ] as const)
      // The first assessment within ten days of the case opening; a review a month or two later for some.
      const dates = [openedAt + random.int(1, 10) * DAY]
      if (random.chance(0.3)) dates.push((dates[0] ?? openedAt) + random.int(28, 70) * DAY)
      for (const at of dates) {
        if (at > end) break
        clock.set(new Date(at))
        const assessedOn = londonDate(new Date(at))
        if (assessedOn > today) break
        const answers = demoAnswers(risk.policy, target, random)
        const result = await risk.record(user, { type: 'user', id: user.id }, caseRow, {
          partyId: row.party_id,
          answers,
          assessedOn,
          overrideLevel: '',
          overrideReason: '',
          notes: 'Demo: assessment with the victim by phone.',
          submissionId: randomUUID(),
        })
        if (!result.ok) continue
        assessed += 1
        const stored = await db
          .selectFrom('risk_assessment')
          .select('level')
          .where('id', '=', result.id)
          .executeTakeFirst()
        if (stored) levels[stored.level] = (levels[stored.level] ?? 0) + 1
      }
    }
    return { assessments: assessed, ...levels }
  },
}
