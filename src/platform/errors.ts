/**
 * One error type for everything a service refuses on purpose (ADR 0026). A service throws a `DomainError` with a
 * stable `code`, the HTTP `status` it means and, when one input is at fault, the `field`. It never carries copy: the
 * route or presenter that catches it turns the code into words from the locale file, and anything no route catches is
 * answered by `platform/error-handling.ts` in one place (a GOV.UK page for people, JSON for machines).
 *
 * A database outage is never a domain error: it stays a thrown driver error and becomes a 503, so it can never be
 * mistaken for "choose a partner" or "not found".
 */

/** The statuses a deliberate refusal may carry. 5xx are not refusals: they are failures. */
export type DomainStatus = 400 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429

export interface DomainErrorOptions {
  /** The HTTP status this refusal means when nothing translates it first (400 unless said). */
  status?: DomainStatus
  /** The form field or input at fault, for an inline error and the summary link. */
  field?: string
  /** A locale key for the message shown when the error reaches the generic handler. */
  messageKey?: string
  /** Values for the locale message's placeholders. */
  params?: Record<string, string | number>
  cause?: unknown
}

export class DomainError<Code extends string = string> extends Error {
  readonly code: Code
  readonly status: DomainStatus
  readonly field: string | undefined
  readonly messageKey: string | undefined
  readonly params: Record<string, string | number>

  constructor(code: Code, options: DomainErrorOptions = {}) {
    // The message is the code: it reaches logs, and a code carries no personal data.
    super(code, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'DomainError'
    this.code = code
    this.status = options.status ?? 400
    this.field = options.field
    this.messageKey = options.messageKey
    this.params = options.params ?? {}
  }
}

/**
 * The one optimistic-locking refusal: the record changed since the user loaded the form (its version moved on). The
 * form is shown again with the current record and a message; nothing the user typed is lost.
 */
export class VersionConflictError extends DomainError<'version-conflict'> {
  constructor(readonly record = 'record') {
    super('version-conflict', { status: 409, messageKey: 'errors.versionConflict' })
    this.name = 'VersionConflictError'
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError
}

/** True for a domain error with one of these codes: `if (hasCode(error, 'closed', 'forbidden')) ...`. */
export function hasCode<Code extends string>(error: unknown, ...codes: Code[]): error is DomainError<Code> {
  if (!(error instanceof DomainError)) return false
  const code: string = (error as DomainError).code
  return (codes as string[]).includes(code)
}
