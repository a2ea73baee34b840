import type { DemoSeeder } from '../../db/seeds/demo.js'

/**
 * Demo data for performance: the CSP pack's indicator set, its historic figures (for Tower Hamlets, the 2019 deck's)
 * as manual periodic values, its demo plan actions and an invented resident survey, so the dashboard opens on the
 * deck's KPI table. Deterministic: no randomness at all.
 */
export const performanceDemoSeeder: DemoSeeder = {
  name: 'performance',
  async seed(deps) {
    const defaults = await deps.performance.seedDefaults()
    const values = await deps.performance.seedHistoricValues()
    const actions = await deps.performance.seedDemoActions()
    const surveyResults = await deps.performance.seedDemoSurvey()
    return { ...defaults, values, actions, surveyResults }
  },
}
