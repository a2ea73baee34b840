/**
 * The year's tasking decisions, dated relative to today: a fortnightly tasking meeting over the last twelve months
 * deciding who does what about the week's problems. Through the tasking service on a clock set to each meeting's
 * day, so the decision's week is the meeting's. No police data: the imports seed that. With `outputs`, about half also
 * record an output (an activity record, through the activity module as the tasking page does), as the default demo does.
 * Most are marked done between one and sixteen days after the meeting (when that day has come); some stay to do.
 */
import { DEMO_SPAN_DAYS, type DemoSeeder } from '../../db/seeds/demo.js'
import { createAuditService } from '../../platform/audit.js'
import { fixedClock } from '../../platform/clock.js'
import { addDays, londonDate } from '../../platform/working-days.js'
import { createReportAnalytics } from '../reporting/index.js'
import { createIntelligenceRepository } from './intelligence-repository.js'
import { createTaskingService } from './tasking-service.js'

const DAY = 86_400_000

const DECISIONS: readonly (readonly [string, string, string | null, number])[] = [
  ['High-visibility patrols at the hotspot on Friday and Saturday evenings', 'Safer Neighbourhood Team', null, 0],
  ['Redeploy a CCTV camera to cover the stairwell entrance', 'Council CCTV control room', 'cctv-incident', 3],
  ['Test purchase operation at shops selling knives', 'Trading Standards', 'test-purchase', 6],
  ['Joint visit to the address with the housing officer', 'ASB investigations team', null, 0],
  ['THEO patrols and fixed penalties for street drinking', 'THEOs', 'fixed-penalty', 4],
  [
    'Close an unlicensed music event reported for the weekend',
    'Noise and licensing team',
    'unlicensed-event-closed',
    1,
  ],
  ['Fit sanctuary measures for the repeat victim', 'Domestic abuse service', 'sanctuary-installation', 1],
  ['Clear fly-tipping and put up warning signs', 'Environmental enforcement', null, 0],
]

export function createTaskingDemoSeeder(options: { outputs: boolean }): DemoSeeder {
  return {
    name: 'tasking',
    async seed(deps, random) {
      const db = deps.database.db
      const now = deps.clock.now()
      const clock = fixedClock(now)
      const tasking = createTaskingService({
        repository: createIntelligenceRepository(db),
        intelligence: deps.intelligence,
        geography: deps.geography,
        reports: createReportAnalytics(db),
        activity: deps.activity,
        audit: createAuditService({ db, clock }),
        clock,
      })
      const wards = deps.geography.wards()
      const actor = { type: 'system' as const, id: 'demo-seeder' }
      let decisions = 0
      let outputs = 0
      let completed = 0
      // Fortnightly, on Tuesdays, from about twenty months ago (DEMO_SPAN_DAYS) to the last one on or before today.
      for (let week = 2 * Math.floor(DEMO_SPAN_DAYS / 14); week >= 0; week -= 2) {
        const meeting = new Date(now.getTime() - week * 7 * DAY)
        clock.set(meeting)
        const today = londonDate(meeting)
        for (let n = 0; n < random.int(1, 2); n += 1) {
          const [decision, owner, outputType, quantity] = random.pick(DECISIONS)
          const withOutput = outputType !== null && random.chance(0.7) && options.outputs
          const id = tasking.newDecisionId()
          const result = await tasking.recordDecision(
            {
              id,
              decision: `Demo: ${decision}`,
              owner,
              dueOn: addDays(today, 7),
              ...(withOutput
                ? {
                    outputType,
                    outputQuantity: String(random.int(1, Math.max(1, quantity))),
                    outputWard: random.pick(wards).code,
                  }
                : {}),
            },
            actor,
          )
          if (!result.ok) throw new Error(`demo tasking decision refused: ${JSON.stringify(result.errors)}`)
          decisions += 1
          if (withOutput) outputs += 1
          // Most decisions are carried out within about a fortnight; some late, a few never (or not yet).
          const doneAfterDays = random.int(1, 16)
          const doneOn = addDays(today, doneAfterDays)
          if (doneOn <= londonDate(now) && random.chance(0.85)) {
            // Midday UTC of the day it was done is on that London day whatever the season (a meeting's instant plus
            // whole days is not, across a change of the clocks late in the evening); never after now.
            clock.set(new Date(Math.min(Date.parse(`${doneOn}T12:00:00Z`), now.getTime())))
            const done = await tasking.completeDecision({ id, completedOn: doneOn }, actor)
            if (!done.ok) throw new Error(`demo tasking completion refused: ${done.error}`)
            clock.set(meeting)
            completed += 1
          }
        }
      }
      return { decisions, outputs, completed }
    },
  }
}

export const taskingDemoSeeder = createTaskingDemoSeeder({ outputs: true })
