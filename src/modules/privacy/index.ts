/**
 * Data protection requests: subject access (UK GDPR Art. 15) and erasure (Art. 17). Used by the CLI only
 * (`safer sar export`, `safer sar erase`); see docs/subject-access.md.
 */
export { createPrivacy, type ExportResult, type Privacy } from './privacy.js'
export {
  auditSubject,
  BUNDLE_FORMAT,
  CASE_RETENTION_DEFAULT,
  createPrivacyService,
  parseSubject,
  PrivacyError,
  type PrivacyErrorCode,
  type ErasureResult,
  type PrivacyService,
  type Subject,
  type SubjectAccessBundle,
} from './privacy-service.js'
export { ERASURE_INCOMPLETE_EXIT_CODE, registerPrivacyCommands } from './privacy-cli.js'
