/**
 * Retention: the schedule per record type (configuration, RETENTION_*), `safer retention run [--dry-run]`, and the
 * nightly run inside `safer serve`. See docs/retention.md.
 */
export { createRetention } from './retention.js'
export {
  createRetentionService,
  cutoffFor,
  RETENTION_AUDIT_ACTION,
  startRetentionSchedule,
  type RetentionLine,
  type RetentionResult,
  type RetentionService,
} from './retention-service.js'
export { AUDIT_PURGE_FUNCTION, REDACTED } from './retention-repository.js'
export { describeRun, registerRetentionCommands } from './retention-cli.js'
export { retentionDemoSeeder } from './retention-demo.js'
