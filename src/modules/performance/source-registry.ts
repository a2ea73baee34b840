/**
 * The indicator source registry: how an indicator takes its figures from another module's records without the
 * performance module knowing that module. A module (reporting, intelligence, panels, ...) declares its *count
 * sources* (`indicatorSources` in its `SaferModule`) and the composition root registers them here: a key, a name and a function returning monthly counts by
 * ward. An indicator whose source is `{ kind: 'count', key }` is then computed from those counts like any other.
 * See docs/performance-sources.md.
 */

import type { IndicatorSource, MonthlyCount } from '../../platform/module-contract.js'

/** A count source is what the module contract calls an indicator source (src/platform/module-contract.ts). */
export type CountSource = IndicatorSource
export type { MonthlyCount }

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
    /** In the order the modules declared them (a module declares its sources in its own order, e.g. the powers ladder). */
    inDeclaredOrder(): CountSource[] {
      return [...sources.values()]
    },
  }
}

export type SourceRegistry = ReturnType<typeof createSourceRegistry>
