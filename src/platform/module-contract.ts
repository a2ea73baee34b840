/**
 * The module contract (ADR 0027, docs/architecture.md). Every `src/modules/<domain>/` exports `create<Domain>(deps)`,
 * which returns its services and a `module`: what it adds to the application, declared rather than wired by hand.
 * The composition root collects the declarations: `app.ts` registers the routes and builds the staff navigation,
 * the home page's tiles, the case page's panels and the record guards from them; `dependencies.ts` hands the indicator
 * sources to performance. A module never reaches into another's files to add itself.
 */
import type { FastifyPluginAsync, FastifyPluginOptions, FastifyTypeProvider, RawServerDefault } from 'fastify'

import type { ResourceGuard } from './resource-access.js'

/** A role name, as `accounts/roles.ts` defines them; the platform does not know the list. */
export type RoleName = string

/** An entry in the staff service navigation. Lower `order` comes first. */
export interface NavigationEntry {
  href: string
  text: string
  /** Shown only to users holding one of these roles; everyone signed in when absent. */
  roles?: readonly RoleName[]
  /** The path prefix of the section this entry stands for (it is current anywhere under it); the href when absent. */
  section?: string
  order: number
}

/** A tile on the public home page's "what you can do" list. */
export interface HomeTile {
  href: string
  title: string
  description: string
  order: number
}

/** A link in a case's "more about this case" panel, to a page another module keeps for the case. */
export interface CasePanel {
  text: string
  href: (caseId: string) => string
  /** Only users holding one of these roles see the link (default: everyone who can see the case). */
  roles?: readonly RoleName[]
  order: number
}

/** One month's count for a ward (or for no ward: records the module could not place). `month` is `YYYY-MM-01`. */
export interface MonthlyCount {
  wardCode: string | null
  month: string
  total: number
  /** For a percentage source (`unit: 'percent'`): the records `total` is a part of, in the same ward and month
   * (cases due a first contact, of which `total` were contacted in time). Absent for a plain count. */
  denominator?: number
}

/** A count an indicator can be computed from (docs/performance-sources.md). Aggregates only, never records. */
export interface IndicatorSource {
  /** `module:what`, lower case: `reports:all`, `police-street:anti-social-behaviour`, `cases:opened`. */
  key: string
  /** What is counted, in words: "ASB reports received". */
  name: string
  /** The module that owns the records. */
  module: string
  /**
   * What a figure means, in a sentence for the indicator's page and the API: where the records come from, which of
   * them count, by which date and which ward. "Counted from Safer's casework: ASB cases opened in the month, by the
   * ward of the case." Shown instead of `name` when given; every source Safer declares gives one.
   */
  description?: string
  /**
   * True when Safer is where these records are made as the work happens (cases, reports, powers), so a month with
   * none is a real 0 from the first month with records onwards. False or absent for imported records (police data):
   * a month no imported file covers is "no data", never 0. See docs/performance-sources.md, "No data or 0".
   */
  recordedInSafer?: boolean
  /** 'count' (the default): `total` is a number of records. 'percent': `total` is the numerator of a percentage and
   * every count carries its `denominator`, so months and wards add up as sum(numerators) / sum(denominators). */
  unit?: 'count' | 'percent'
  /** Counts by ward and month for months that start on or after `from` and end on or before `to`. */
  monthlyCounts(from: string, to: string): Promise<MonthlyCount[]>
  /** The last day of the latest month with records, or null. Optional. */
  latestMonthEnd?(): Promise<string | null>
}

/** A route plugin bound to its module's services: the app registers it as it is, under `prefix` when given. */
export interface ModuleRoutes {
  plugin: FastifyPluginAsync
  prefix?: string
  /** Under `/api/v1` (JSON for machines, documented in the OpenAPI description). */
  api?: boolean
}

export interface SaferModule {
  /** The folder name: `casework`, `case-review`. */
  name: string
  routes?: readonly ModuleRoutes[]
  navigation?: readonly NavigationEntry[]
  homeTiles?: readonly HomeTile[]
  casePanels?: readonly CasePanel[]
  indicatorSources?: readonly IndicatorSource[]
  /** Record guards for routes declaring `config.resource` of these types (ADR 0019). */
  resourceGuards?: Readonly<Record<string, ResourceGuard>>
}

/** Binds a plugin to its options now, so the app can register it without knowing what it needs. */
export function bindRoutes<Options extends FastifyPluginOptions, Provider extends FastifyTypeProvider>(
  plugin: FastifyPluginAsync<Options, RawServerDefault, Provider>,
  options: Options,
  where: Omit<ModuleRoutes, 'plugin'> = {},
): ModuleRoutes {
  const bound: FastifyPluginAsync = async app => {
    await app.register(plugin as unknown as FastifyPluginAsync<Options>, options)
  }
  return { plugin: bound, ...where }
}

function byOrder<T extends { order: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.order - b.order)
}

/** What the app needs from all modules together, in the order each list is shown. */
export function collectModules(modules: readonly SaferModule[]) {
  const names = new Set<string>()
  const guards: Record<string, ResourceGuard> = {}
  for (const module of modules) {
    if (names.has(module.name)) throw new Error(`Module declared twice: ${module.name}`)
    names.add(module.name)
    for (const [type, guard] of Object.entries(module.resourceGuards ?? {})) {
      if (type in guards) throw new Error(`Two modules guard the resource type "${type}"`)
      guards[type] = guard
    }
  }
  return {
    routes: modules.flatMap(module => module.routes ?? []),
    navigation: byOrder(modules.flatMap(module => module.navigation ?? [])),
    homeTiles: byOrder(modules.flatMap(module => module.homeTiles ?? [])),
    casePanels: byOrder(modules.flatMap(module => module.casePanels ?? [])),
    indicatorSources: modules.flatMap(module => module.indicatorSources ?? []),
    guards,
  }
}
