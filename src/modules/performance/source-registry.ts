/**
 * The indicator source registry: how an indicator takes its figures from another module's records without the
 * performance module knowing that module. A module (reporting, intelligence, and later cases, powers, panels, Case
 * Reviews) hands the composition root a *count source*: a key, a name and a function returning monthly counts by
 * ward. An indicator whose source is `{ kind: 'count', key }` is then computed from those counts like any other.
 * See docs/performance-sources.md.
 */

/** One month's count for a ward (or for no ward: records the module could not place). `month` is `YYYY-MM-01`. */
export interface MonthlyCount {
  wardCode: string | null
  month: string
  total: number
}

export interface CountSource {
  /** `module:what`, lower case: `reports:all`, `police-street:anti-social-behaviour`, `cases:opened`. */
  key: string
  /** What is counted, in words: "ASB reports received". */
  name: string
  /** The module that owns the records. */
  module: string
  /** Counts by ward and month for months that start on or after `from` and end on or before `to`. Aggregates only:
   * a source never returns people or records. */
  monthlyCounts(from: string, to: string): Promise<MonthlyCount[]>
  /** The last day of the latest month with records, or null. Optional. */
  latestMonthEnd?(): Promise<string | null>
}

const KEY = /^[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9-]*$/

export class SourceRegistryError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SourceRegistryError'
  }
}

export function createSourceRegistry() {
  const sources = new Map<string, CountSource>()
  return {
    /** Adds a source. Keys are unique: registering one twice is a programming error, found at start-up. */
    register(source: CountSource): void {
      if (!KEY.test(source.key)) throw new SourceRegistryError(`Source key must look like module:what: ${source.key}`)
      if (sources.has(source.key)) throw new SourceRegistryError(`Source already registered: ${source.key}`)
      sources.set(source.key, source)
    },
    get(key: string): CountSource | undefined {
      return sources.get(key)
    },
    list(): CountSource[] {
      return [...sources.values()].sort((a, b) => a.key.localeCompare(b.key))
    },
  }
}

export type SourceRegistry = ReturnType<typeof createSourceRegistry>
