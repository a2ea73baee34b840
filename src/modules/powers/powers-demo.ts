/**
 * The year's ASB powers, dated relative to today (after casework's seeder): on demo cases opened in the last twenty
 * months (DEMO_SPAN_DAYS), warning letters, Community Protection Warnings (some followed by a Notice on the same case once the time to
 * comply ended), PSPO fixed penalties, acceptable behaviour contracts, a closure notice and order, civil injunctions
 * and a criminal behaviour order, with some breaches. Issued through the powers service on a clock set to each
 * action's day, so its guardrails, deadlines, reminder tasks and audit rows are as the product would have made them.
 */
import { randomUUID } from 'node:crypto'

import { DEMO_SPAN_DAYS, type DemoSeeder } from '../../db/seeds/demo.js'
import { createAuditService } from '../../platform/audit.js'
import { fixedClock } from '../../platform/clock.js'
import { addDays, londonDate } from '../../platform/working-days.js'
import { createCasework } from '../casework/index.js'
import type { PowerCode } from './powers-policy.js'
import { createPowers } from './powers.js'

const DAY = 86_400_000
const NOON = 12 * 3_600_000

function dated(name: string, iso: string): Record<string, string> {
  const [year = '', month = '', day = ''] = iso.split('-')
  return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year }
}

type Scenario =
  'warning-letter' | 'cpw' | 'cpw-cpn' | 'cpw-late' | 'pspo-fpn' | 'abc' | 'closure' | 'civil-injunction' | 'cbo'

export const powersDemoSeeder: DemoSeeder = {
  name: 'powers',
  async seed(deps, random) {
    const db = deps.database.db
    const now = deps.clock.now()
    const today = londonDate(now)
    const clock = fixedClock(now)
    const audit = createAuditService({ db, clock })
    const casework = createCasework({ db, audit, clock })
    const powers = createPowers({ db, casework, audit, clock, pdf: deps.pdf, policy: deps.powers.policy })
    const rows = await db
      .selectFrom('asb_case as c')
      .innerJoin('case_party as p', 'p.case_id', 'c.id')
      .select(['c.id', 'c.opened_at', 'c.closed_at', 'c.lead_officer_id', 'c.location', 'p.id as party_id'])
      .where('c.opened_at', '>=', new Date(now.getTime() - DEMO_SPAN_DAYS * DAY))
      .where('c.lead_officer_id', 'is not', null)
      .where('p.kind', '=', 'person')
      .where('p.role', '=', 'perpetrator')
      .where('p.date_of_birth', 'is not', null)
      .orderBy('c.opened_at')
      .orderBy('p.id')
      .execute()
    // Each case once, and one case in four at most: most ASB cases end without a formal power.
    const seen = new Set<string>()
    const counts: Record<string, number> = {}
    let breaches = 0
    // The last: a warning recorded ten days after it was given, waiting for a supervisor's approval (on an open case).
    const scenarios: Scenario[] = ['cpw-cpn', 'closure', 'civil-injunction', 'cbo', 'cpw-cpn']
    let lateShown = false
    for (const row of rows) {
      if (seen.has(row.id)) continue
      seen.add(row.id)
      if (!random.chance(0.45)) continue
      const user = row.lead_officer_id ? await deps.accounts.repository.userById(row.lead_officer_id) : undefined
      const caseRow = await casework.repository.caseById(row.id)
      if (!user || !caseRow) continue
      const actor = { type: 'user' as const, id: user.id }
      const end = londonDate(new Date(row.closed_at ? new Date(row.closed_at).getTime() : now.getTime()))
      const lateFits =
        !lateShown && !row.closed_at && addDays(londonDate(new Date(row.opened_at)), 2) <= addDays(today, -10)
      const scenario: Scenario = lateFits
        ? 'cpw-late'
        : (scenarios.shift() ??
          random.weighted<Scenario>([
            ['warning-letter', 6],
            ['cpw', 3],
            ['cpw-cpn', 2],
            ['pspo-fpn', 4],
            ['abc', 1],
          ]))
      if (scenario === 'cpw-late') lateShown = true
      let date = addDays(londonDate(new Date(row.opened_at)), random.int(3, 25))
      const issue = async (power: PowerCode, on: string, fields: Record<string, string>, enteredLater = 0) => {
        if (on > end || on > today) return undefined
        clock.set(new Date(new Date(`${addDays(on, enteredLater)}T00:00:00Z`).getTime() + NOON))
        const result = await powers.issue(
          user,
          actor,
          caseRow,
          power,
          { ...dated('actionDate', on), ...fields },
          randomUUID(),
        )
        if (!result.ok) throw new Error(`demo ${power} refused: ${JSON.stringify(result.errors)}`)
        counts[power] = (counts[power] ?? 0) + 1
        return result.id
      }
      const person = { party: row.party_id }
      const conduct = 'Demo: repeated noise, abuse and intimidation of neighbours.'
      let breachable: string | undefined
      switch (scenario) {
        case 'warning-letter':
          breachable = await issue('warning-letter', date, { ...person, conduct, requirements: 'Stop the behaviour.' })
          break
        case 'pspo-fpn':
          await issue('pspo-fpn', date, { ...person, pspoReference: 'PSPO 2024/1 (alcohol)', conduct })
          break
        case 'abc':
          breachable = await issue('abc', date, { ...person, conduct, requirements: 'Keep to the terms.', months: '6' })
          break
        case 'cpw':
        case 'cpw-cpn': {
          const days = 14
          const cpw = await issue('cpw', date, {
            ...person,
            conduct,
            requirements: 'No amplified music after 11pm.',
            complianceDays: String(days),
          })
          breachable = cpw
          if (cpw && scenario === 'cpw-cpn') {
            date = addDays(date, days + random.int(1, 10))
            breachable =
              (await issue('cpn', date, {
                ...person,
                conduct,
                requirements: 'No amplified music.',
                complianceDays: '14',
              })) ?? cpw
          }
          break
        }
        case 'cpw-late': {
          date = addDays(today, -10)
          await issue(
            'cpw',
            date,
            {
              ...person,
              conduct,
              requirements: 'No amplified music after 11pm.',
              complianceDays: '14',
              lateReason: 'Demo: the warning was handed over on a visit and the paperwork was entered on return.',
            },
            10,
          )
          break
        }
        case 'closure': {
          const premises = `Flat ${String(random.int(1, 60))}, ${caseRow.location ?? 'Demo House'}`
          const notice = await issue('closure-notice', date, {
            premises,
            time: '09:00',
            authorisationLevel: 'senior',
            conduct: 'Demo: drug dealing and violence at the premises.',
          })
          if (notice)
            breachable = await issue('closure-order', addDays(date, 1), {
              prior: notice,
              time: '10:00',
              months: '3',
              court: 'Thames Magistrates’ Court',
              conduct: 'Demo: drug dealing and violence at the premises.',
            })
          break
        }
        case 'civil-injunction':
          breachable = await issue('civil-injunction', date, {
            ...person,
            court: 'County Court at Central London',
            ...dated('endDate', addDays(date, 365)),
            powerOfArrest: 'yes',
            conduct,
            requirements: 'Not to enter the estate.',
          })
          break
        case 'cbo':
          breachable = await issue('cbo', date, {
            ...person,
            ...dated('convictionDate', date),
            court: 'Thames Magistrates’ Court',
            durationYears: '2',
            conduct,
            requirements: 'Not to be in the market area.',
          })
          break
      }
      if (!breachable || !random.chance(0.35)) continue
      const action = await powers.actionFor(user, caseRow, breachable)
      const on = addDays(action?.action_date ?? date, random.int(5, 40))
      if (!action || on > end || on > today) continue
      clock.set(new Date(new Date(`${on}T00:00:00Z`).getTime() + NOON))
      const breach = await powers.recordBreach(user, actor, caseRow, action, {
        occurredOn: on,
        description: 'Demo: the behaviour started again.',
        response: random.pick(['warning', 'fixed-penalty', 'court', 'no-further-action'] as const),
        submissionId: randomUUID(),
      })
      if (breach.ok) breaches += 1
    }
    return { ...counts, breaches }
  },
}
