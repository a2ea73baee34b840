/**
 * What the performance services refuse on purpose, as codes (ADR 0026). The words are `performance.errors.<code>` in
 * the locale file, put in by the route or presenter (`performanceErrorText`); a refusal no route catches is answered
 * by the platform's error handler with the same words.
 */
import { DomainError, type DomainStatus } from '../../platform/errors.js'

export type PerformanceErrorCode =
  | 'asat-invalid'
  | 'ward-unknown'
  | 'indicator-missing'
  | 'indicator-choose'
  | 'start-invalid'
  | 'end-invalid'
  | 'end-before-start'
  | 'value-invalid'
  | 'evidence-missing'
  | 'area-unknown'
  | 'action-missing'
  | 'status-missing'
  | 'narrative-missing'
  | 'narrative-too-long'
  | 'date-invalid'
  | 'value-number'
  | 'denominator-invalid'
  | 'range-too-long'
  | 'ward-staff-only'

const NOT_FOUND: ReadonlySet<PerformanceErrorCode> = new Set(['indicator-missing', 'action-missing'])

/** A refusal on one input (`field`), by code. Kept by this name so `instanceof PerformanceInputError` still works. */
export class PerformanceInputError extends DomainError<PerformanceErrorCode> {
  /** The input at fault (always set for this error). */
  declare readonly field: string

  constructor(code: PerformanceErrorCode, field: string) {
    const status: DomainStatus = NOT_FOUND.has(code) ? 404 : 400
    super(code, { status, field, messageKey: `performance.errors.${code}` })
    this.name = 'PerformanceInputError'
  }
}

/** A refused field of a form the service checks as a whole (a plan action's update). */
export interface PerformanceFieldError<Field extends string = string> {
  field: Field
  code: PerformanceErrorCode
}
