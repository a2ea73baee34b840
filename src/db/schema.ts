/**
 * Kysely's view of the schema: every module's tables, each kept in `src/db/schema/<module>.ts` beside the others of its
 * owner. A migration that adds a table adds its interface to its module's file and to that file's `…Tables`.
 * `schema-integration.test.ts` checks this against the migrated database.
 */
import type { PlatformTables } from './schema/platform.js'
import type { AccountsTables } from './schema/accounts.js'
import type { GeographyTables } from './schema/geography.js'
import type { ReportingTables } from './schema/reporting.js'
import type { Open311Tables } from './schema/open311.js'
import type { IntelligenceTables } from './schema/intelligence.js'
import type { PerformanceTables } from './schema/performance.js'
import type { ActivityTables } from './schema/activity.js'
import type { CaseworkTables } from './schema/casework.js'
import type { RiskTables } from './schema/risk.js'
import type { PowersTables } from './schema/powers.js'
import type { CaseReviewTables } from './schema/case-review.js'
import type { PanelsTables } from './schema/panels.js'
import type { PeopleTables } from './schema/people.js'
import type { EnforcementTables } from './schema/enforcement.js'

export type * from './schema/platform.js'
export type * from './schema/accounts.js'
export type * from './schema/geography.js'
export type * from './schema/reporting.js'
export type * from './schema/open311.js'
export type * from './schema/intelligence.js'
export type * from './schema/performance.js'
export type * from './schema/activity.js'
export type * from './schema/casework.js'
export type * from './schema/risk.js'
export type * from './schema/powers.js'
export type * from './schema/case-review.js'
export type * from './schema/panels.js'
export type * from './schema/people.js'
export type * from './schema/enforcement.js'
export type { DateColumn, Timestamp } from './schema/columns.js'

export interface Database
  extends
    PlatformTables,
    AccountsTables,
    GeographyTables,
    ReportingTables,
    Open311Tables,
    IntelligenceTables,
    PerformanceTables,
    ActivityTables,
    CaseworkTables,
    RiskTables,
    PowersTables,
    CaseReviewTables,
    PanelsTables,
    PeopleTables,
    EnforcementTables {}
