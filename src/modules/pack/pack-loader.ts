/**
 * The CSP pack at startup: reads and validates the pack folder (`CSP_PACK`) once per process, failing fast with a
 * PackError that names every problem with its file and line, and hands each module its part. The geography files are
 * only checked to exist here; the geography import reads them when a database has no geography yet.
 */
import path from 'node:path'

import { PackError } from '../geography/index.js'
import type { PanelTypeConfig } from '../panels/index.js'
import type { PerformancePlan } from '../performance/index.js'
import type { CaseReviewPolicy } from '../case-review/index.js'
import type { PowersPolicy } from '../powers/index.js'
import type { CspManifest, DemoFile, PackLetterhead } from './pack-schema.js'
import { describeProblem, validatePack, type ValidatedPack } from './pack-validate.js'

export interface CspPack {
  /** The folder, absolute. */
  dir: string
  manifest: CspManifest
  /** The plan, indicator definitions and historic values (empty when the pack has none). */
  performance: PerformancePlan
  /** Whether the pack has postcodes (a pack without them locates by map and ward list only). */
  hasPostcodes: boolean
  /** The public pages' partnership-specific wording (`publicWording` in pack.json; absent: generic wording). */
  publicWording: { examplePostcode?: string; contact?: string }
  /** The panels the partnership runs (panels.json), in order; null when the pack does not name them. */
  panels: PanelTypeConfig[] | null
  /**
   * Names for the demo borough's partners and teams, by code (empty: the demo's own fallbacks), the demo partners
   * on each panel, by panel code (a panel not named has no members in the demo), and the allocation rules the demo
   * starts with (null: casework's own).
   */
  demo: {
    partnerNames: Record<string, string>
    teamNames: Record<string, string>
    panelMembers: Record<string, string[]>
    allocationRules: NonNullable<DemoFile['allocationRules']> | null
  }
  /** The ASB Case Review and powers policies the area runs: Safer's defaults with the pack's choices. */
  policies: { caseReview: CaseReviewPolicy; powers: PowersPolicy }
  /** Who letters come from (null: letters sign off as the Community Safety Partnership, as before packs had it). */
  letterhead: PackLetterhead | null
}

const DEFAULT_TOLERANCE_PCT = 5
const DEFAULT_STABLE_BAND_PCT = 2

function performancePlan(pack: ValidatedPack): PerformancePlan {
  return {
    priorities: pack.plan?.priorities ?? [],
    outcomes: pack.plan?.outcomes ?? [],
    demoActions: pack.plan?.demoActions ?? [],
    indicators: (pack.indicators?.indicators ?? []).map(indicator => ({
      id: indicator.id,
      name: indicator.name,
      priorityId: indicator.priorityId,
      unit: indicator.unit,
      polarity: indicator.polarity,
      target: indicator.target ?? null,
      tolerancePct: indicator.tolerancePct ?? DEFAULT_TOLERANCE_PCT,
      stableBandPct: indicator.stableBandPct ?? DEFAULT_STABLE_BAND_PCT,
      source: indicator.source ?? { kind: 'manual' },
      description: indicator.description,
      sortOrder: indicator.sortOrder,
    })),
    historicValues: pack.historicValues?.sets ?? [],
  }
}

const loaded = new Map<string, CspPack>()

/** The pack at `dir`, validated; throws PackError naming every problem. Cached per folder for the process. */
export function loadCspPack(dir: string): CspPack {
  const absolute = path.resolve(dir)
  const cached = loaded.get(absolute)
  if (cached) return cached
  const { problems, pack } = validatePack(absolute, { geography: false })
  if (!pack) {
    const lines = problems.slice(0, 20).map(problem => `  ${describeProblem(problem)}`)
    const more = problems.length > 20 ? [`  …and ${String(problems.length - 20)} more (safer pack validate)`] : []
    throw new PackError(`The CSP pack in ${absolute} has problems:\n${[...lines, ...more].join('\n')}`)
  }
  const result: CspPack = {
    dir: absolute,
    manifest: pack.manifest,
    performance: performancePlan(pack),
    hasPostcodes: pack.manifest.postcodes !== undefined,
    publicWording: {
      examplePostcode: pack.manifest.publicWording?.examplePostcode,
      contact: pack.manifest.publicWording?.contact,
    },
    panels: pack.panels?.panels ?? null,
    demo: {
      partnerNames: pack.demo?.partnerNames ?? {},
      teamNames: pack.demo?.teamNames ?? {},
      panelMembers: pack.demo?.panelMembers ?? {},
      allocationRules: pack.demo?.allocationRules ?? null,
    },
    policies: pack.policies,
    letterhead: pack.letterhead,
  }
  loaded.set(absolute, result)
  return result
}
