/**
 * Emerging hotspots: is the count for the latest period a significant rise on the periods before it?
 *
 * The test (documented in docs/hotspots.md): if an area's events are a Poisson process with a steady rate, then given
 * the total n = now + before over one latest period and k earlier periods of the same length, the count in the latest
 * period is Binomial(n, 1 / (k + 1)). An area is emerging when the one-sided exact binomial p-value P(X ≥ now) is
 * below `alpha` (0.05), `now` is at least `minimum` (5: a rise from 0 to 2 is not a hotspot), and `now` is above the
 * earlier periods' mean. No I/O.
 */
export interface EmergingOptions {
  /** Earlier periods compared against (their counts are summed in `before`). */
  periods: number
  alpha?: number
  minimum?: number
}

/** log(n choose x) through log-gamma by summation (n here is at most a few thousand). */
function logChoose(n: number, x: number): number {
  let sum = 0
  for (let i = 1; i <= x; i++) sum += Math.log(n - x + i) - Math.log(i)
  return sum
}

/** P(X ≥ observed) for X ~ Binomial(n, p). */
export function binomialUpperTail(observed: number, n: number, p: number): number {
  if (observed <= 0) return 1
  if (observed > n) return 0
  let total = 0
  for (let x = observed; x <= n; x++) total += Math.exp(logChoose(n, x) + x * Math.log(p) + (n - x) * Math.log1p(-p))
  return Math.min(1, total)
}

export interface RiseTest {
  now: number
  before: number
  /** Mean count of the earlier periods. */
  baseline: number
  pValue: number
  emerging: boolean
}

export function testRise(now: number, before: number, options: EmergingOptions): RiseTest {
  const alpha = options.alpha ?? 0.05
  const minimum = options.minimum ?? 5
  const baseline = before / options.periods
  const pValue = binomialUpperTail(now, now + before, 1 / (options.periods + 1))
  return { now, before, baseline, pValue, emerging: now >= minimum && now > baseline && pValue < alpha }
}
