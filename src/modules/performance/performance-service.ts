/**
 * Partnership performance, composed from its parts: the observations (`performance-observations.ts`, every
 * indicator's figures), the KPI packs built on them (`performance-kpis.ts`, reads) and editing
 * (`performance-editing.ts`, audited writes). `createPerformanceService` keeps the one object routes, the
 * composition root and tests have always used; `createPerformance` gives the parts as well. Demo data is in
 * `performance-demo.ts`. Aggregate figures only: no personal data passes through here.
 */
import type { AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { createPerformanceEditing } from './performance-editing.js'
import { createKpiService } from './performance-kpis.js'
import type { ActivitySource, PerformanceGeography } from './performance-observations.js'
import type { PerformancePlan } from './performance-plan.js'
import type { PerformanceRepository } from './performance-repository.js'
import type { SourceRegistry } from './source-registry.js'

export { PerformanceInputError } from './performance-errors.js'
export {
  definitionFor,
  type ActivitySource,
  type AreaInfo,
  type PerformanceGeography,
} from './performance-observations.js'
export type {
  FinancialYearOption,
  IndicatorDetail,
  IndicatorSeries,
  KpiPack,
  KpiRow,
  OutputsFigures,
  PlanView,
  ReportFigures,
  SeriesPoint,
  SourceInfo,
  TrendYear,
} from './performance-kpis.js'

export interface PerformanceDependencies {
  repository: PerformanceRepository
  geography: PerformanceGeography
  audit: AuditService
  clock: Clock
  activity?: ActivitySource
  /** Count sources other modules registered (reports, police data, and later cases, powers, panels). */
  sources?: SourceRegistry
  /** The partnership's plan and indicator definitions, from the CSP pack; seeded by `seedDefaults`. */
  plan?: PerformancePlan
}

/** The performance module's services: the KPI packs (reads), editing (writes) and both as one `service`. */
export function createPerformance(deps: PerformanceDependencies) {
  const kpis = createKpiService(deps)
  const editing = createPerformanceEditing(deps, kpis)
  return { kpis, editing, service: { ...kpis, ...editing } }
}

export function createPerformanceService(deps: PerformanceDependencies) {
  return createPerformance(deps).service
}

export type PerformanceService = ReturnType<typeof createPerformanceService>
