/**
 * Demo data for performance: the CSP pack's indicator set, its historic figures (for Tower Hamlets, the 2019 deck's)
 * as manual periodic values, its demo plan actions and an invented resident survey, so the dashboard opens on the
 * deck's KPI table. Deterministic: no randomness at all. Seeded by `safer db seed`, never in production.
 */
import type { DemoSeeder } from '../../db/seeds/demo.js'
import { monthEnd, ytdWindows } from './kpi-engine.js'
import { boroughAreaOf, type PerformanceGeography } from './performance-observations.js'
import { EMPTY_PLAN, type PerformancePlan } from './performance-plan.js'
import { createPerformanceRepository, type PerformanceRepository } from './performance-repository.js'
import type { SurveyRow } from './survey-import.js'

export function createPerformanceDemo(deps: {
  repository: PerformanceRepository
  geography: PerformanceGeography
  plan?: PerformancePlan | undefined
}) {
  const { repository, geography } = deps
  const plan = deps.plan ?? EMPTY_PLAN
  const boroughArea = () => boroughAreaOf(geography)

  return {
    /** Demo plan actions (from the plan's commitments; owners, dates and statuses invented). */
    async seedDemoActions(): Promise<number> {
      if (plan.demoActions.length === 0) return 0
      await repository.plan.insertActions(plan.demoActions)
      return plan.demoActions.length
    },

    /**
     * Demo resident survey: "feel safe after dark" each quarter of 2016/17 to 2018/19, for each ward (about 60
     * respondents) and the borough (their sum). Invented, deterministic figures, marked as demo data.
     */
    async seedDemoSurvey(): Promise<number> {
      const survey = 'Demo resident survey (invented figures)'
      const rows: SurveyRow[] = []
      const wards = geography.wards()
      for (let quarter = 0; quarter < 12; quarter += 1) {
        const startYear = 2016 + Math.floor(quarter / 4)
        const q = quarter % 4
        const startMonth = 4 + q * 3
        const year = startMonth > 12 ? startYear + 1 : startYear
        const month = ((startMonth - 1) % 12) + 1
        const periodStart = `${String(year)}-${String(month).padStart(2, '0')}-01`
        const periodEnd = monthEnd(`${String(year)}-${String(month + 2).padStart(2, '0')}-01`)
        let boroughRespondents = 0
        let boroughAgreeing = 0
        wards.forEach((ward, index) => {
          const respondents = 50 + ((index * 7 + quarter * 3) % 21)
          const share = 0.5 + ((index * 13) % 20) / 100 + quarter * 0.004 + (((index + quarter) % 5) - 2) / 100
          const agreeing = Math.min(respondents, Math.round(respondents * share))
          boroughRespondents += respondents
          boroughAgreeing += agreeing
          rows.push({
            survey,
            measure: 'safe-after-dark',
            areaCode: ward.code,
            periodStart,
            periodEnd,
            respondents,
            agreeing,
          })
        })
        rows.push({
          survey,
          measure: 'safe-after-dark',
          areaCode: boroughArea().code,
          periodStart,
          periodEnd,
          respondents: boroughRespondents,
          agreeing: boroughAgreeing,
        })
      }
      await repository.transaction(trx => repository.survey.saveImport(survey, 'demo', rows, trx))
      return rows.length
    },

    /** The pack's historic figures (YTD and previous YTD) as manual borough values, for the demo. */
    async seedHistoricValues(): Promise<number> {
      const borough = boroughArea().code
      let count = 0
      await repository.transaction(async trx => {
        for (const set of plan.historicValues) {
          const windows = ytdWindows(set.asAt)
          for (const { indicatorId, ytd, previousYtd } of set.figures) {
            const periods: [typeof windows.current, number | null][] = [
              [windows.current, ytd],
              [windows.previous, previousYtd],
            ]
            for (const [window, value] of periods) {
              if (value === null) continue
              await repository.upsertValue(
                {
                  indicatorId,
                  areaCode: borough,
                  periodStart: window.start,
                  periodEnd: window.end,
                  value,
                  denominator: null,
                  evidence: set.evidence,
                },
                trx,
              )
              count += 1
            }
          }
        }
      })
      return count
    },
  }
}

export const performanceDemoSeeder: DemoSeeder = {
  name: 'performance',
  async seed(deps) {
    const demo = createPerformanceDemo({
      repository: createPerformanceRepository(deps.database.db),
      geography: deps.geography,
      plan: deps.pack.performance,
    })
    const defaults = await deps.performance.seedDefaults()
    const values = await demo.seedHistoricValues()
    const actions = await demo.seedDemoActions()
    const surveyResults = await demo.seedDemoSurvey()
    return { ...defaults, values, actions, surveyResults }
  },
}
