import type { DemoSeeder } from '../../db/seeds/demo.js'

/**
 * Demo data for performance: the default Tower Hamlets indicator set, the deck's own figures as manual periodic
 * values and an invented resident survey, so the dashboard opens on the deck's KPI table. Deterministic: no randomness at all.
 */
export const performanceDemoSeeder: DemoSeeder = {
  name: 'performance',
  async seed(deps) {
    const defaults = await deps.performance.seedDefaults()
    const values = await deps.performance.seedDeckFigures()
    const actions = await deps.performance.seedDemoActions()
    const surveyResults = await deps.performance.seedDemoSurvey()
    return { ...defaults, values, actions, surveyResults }
  },
}
