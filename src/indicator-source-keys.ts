/**
 * Every count source key Safer's modules declare (docs/performance-sources.md), known without a database: for
 * `safer pack validate`, which refuses an indicator whose source key nothing registers. The declarations are built
 * over counts that are never called (a source only reads its counts when figures are asked for), so the keys are
 * exactly the ones the composition root registers; `performance-integration.test.ts` checks that they agree.
 * A module that declares a new list of sources adds its function here as well as to its `<domain>-module.ts`.
 */
import { caseReviewIndicatorSources } from './modules/case-review/index.js'
import { caseworkIndicatorSources } from './modules/casework/index.js'
import { intelligenceIndicatorSources, recordedCrimeIndicatorSources } from './modules/intelligence/index.js'
import { panelIndicatorSources } from './modules/panels/index.js'
import { powersIndicatorSources } from './modules/powers/index.js'
import { reportingIndicatorSources } from './modules/reporting/index.js'
import { riskIndicatorSources } from './modules/risk/index.js'
import type { IndicatorSource } from './platform/module-contract.js'

/** Counts that are never read: building a declaration does not call them. */
const NEVER_READ = new Proxy(
  {},
  {
    get: () => () => {
      throw new Error('A source declaration was read without a database')
    },
  },
) as never

export function declaredIndicatorSources(): IndicatorSource[] {
  return [
    ...reportingIndicatorSources(NEVER_READ),
    ...intelligenceIndicatorSources(NEVER_READ),
    ...recordedCrimeIndicatorSources(NEVER_READ),
    ...caseworkIndicatorSources(NEVER_READ),
    ...riskIndicatorSources(NEVER_READ),
    ...powersIndicatorSources(NEVER_READ),
    ...panelIndicatorSources(NEVER_READ),
    ...caseReviewIndicatorSources(NEVER_READ),
  ]
}

export function declaredSourceKeys(): ReadonlySet<string> {
  return new Set(declaredIndicatorSources().map(source => source.key))
}
