/**
 * Every URL the performance module owns, as functions; routes, redirects, presenters and templates use these. The
 * route patterns (`…Route`) are the same URLs with Fastify parameters.
 */
const seg = (value: string) => encodeURIComponent(value)

export type ReportKind = 'quarterly' | 'annual'

export const performancePaths = {
  dashboard: '/performance',
  csv: '/performance.csv',
  indicator: (id: string) => `/performance/indicators/${seg(id)}`,
  /** An indicator's page at a date. */
  indicatorAt: (id: string, asAt: string) => `/performance/indicators/${seg(id)}?asAt=${asAt}`,
  /** An indicator's page after its definition was saved. */
  indicatorSaved: (id: string) => `/performance/indicators/${seg(id)}?saved=1`,
  indicatorTable: (id: string, table: 'wards' | 'months') => `/performance/indicators/${seg(id)}/${table}.csv`,
  plan: '/performance/plan',
  action: (id: number) => `/performance/plan/actions/${String(id)}`,
  /** The plan after an action was updated, scrolled to it. */
  actionUpdated: (id: number) => `/performance/plan?updated=${String(id)}#action-${String(id)}`,
  indicatorRoute: '/performance/indicators/:id',
  indicatorTableRoute: (table: 'wards' | 'months') => `/performance/indicators/:id/${table}.csv`,
  actionRoute: '/performance/plan/actions/:id',
  /** The JSON API, under the API prefix app.ts registers it with. */
  apiKpis: '/kpis',
}

/** Defining indicators, recording figures and importing surveys (analysts and administrators). */
export const editingPaths = {
  newIndicator: '/performance/indicators/new',
  edit: (id: string) => `/performance/indicators/${seg(id)}/edit`,
  values: (id: string) => `/performance/indicators/${seg(id)}/values`,
  survey: '/performance/survey-import',
  surveyImported: (count: number) => `/performance/survey-import?imported=${String(count)}`,
  editRoute: '/performance/indicators/:id/edit',
  valuesRoute: '/performance/indicators/:id/values',
}

/** The generated reports and the public figures page. */
export const reportRoutePaths = {
  index: '/performance/reports',
  transparency: '/community-safety-in-figures',
  reportRoute: '/performance/reports/:kind/:slug',
  tableRoute: '/performance/reports/:kind/:slug/:table',
}

/** One generated report's page, its PDF and each of its tables as CSV. */
export function reportPaths(period: { kind: ReportKind; slug: string }) {
  const base = `/performance/reports/${period.kind}/${period.slug}`
  return { html: base, pdf: `${base}.pdf`, csv: (table: string) => `${base}/${table}.csv` }
}
