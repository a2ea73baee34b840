/**
 * Editing the partnership's performance data: indicator definitions, manual figures with their evidence, resident
 * survey imports (all-or-nothing, through the platform CSV pipeline), plan action updates, and loading the pack's
 * plan. Every change is audited in its transaction. Refusals are codes (`PerformanceInputError`), put into words by
 * the presenters.
 */
import type { AuditService, Actor } from '../../platform/audit.js'
import { runCsvImport } from '../../platform/csv-import.js'
import { indicatorIdFrom, validateIndicator, type FieldError, type IndicatorForm } from './indicator-validation.js'
import { parseIsoDate } from './kpi-engine.js'
import { PerformanceInputError, type PerformanceFieldError } from './performance-errors.js'
import type { KpiService } from './performance-kpis.js'
import { boroughAreaOf, type ObservationDependencies } from './performance-observations.js'
import { EMPTY_PLAN, type PerformancePlan } from './performance-plan.js'
import type { StoredValue } from './performance-repository.js'
import { isActionStatus } from './plan-status.js'
import { surveyCsvFormat, type SurveyProblem } from './survey-import.js'

export interface EditingDependencies extends ObservationDependencies {
  audit: AuditService
  /** The partnership's plan and indicator definitions, from the CSP pack; seeded by `seedDefaults`. */
  plan?: PerformancePlan | undefined
}

export function createPerformanceEditing(
  deps: EditingDependencies,
  kpis: Pick<KpiService, 'activityTypes' | 'surveyMeasures'>,
) {
  const { repository, geography, audit } = deps
  const plan = deps.plan ?? EMPTY_PLAN
  const boroughArea = () => boroughAreaOf(geography)
  const service = kpis

  return {
    /**
     * Saves an indicator from the staff form: `id` undefined creates one (its id made from the name). An indicator
     * without polarity cannot be saved. Audited.
     */
    async saveIndicator(
      id: string | undefined,
      form: IndicatorForm,
      actor: Actor,
    ): Promise<{ ok: true; id: string } | { ok: false; errors: FieldError[] }> {
      const priorities = await repository.listPriorities()
      const result = validateIndicator(form, {
        priorities: new Set(priorities.map(p => p.id)),
        activityTypes: new Set((await service.activityTypes()).map(type => type.code)),
        countSources: new Set((deps.sources?.list() ?? []).map(source => source.key)),
      })
      if (!result.ok) return result
      const existing = id === undefined ? undefined : await repository.findIndicator(id)
      if (id !== undefined && !existing) throw new PerformanceInputError('indicator-missing', 'id')
      let savedId = id
      if (savedId === undefined) {
        const base = indicatorIdFrom(result.value.name)
        const taken = new Set((await repository.listIndicators()).map(indicator => indicator.id))
        savedId = base
        for (let n = 2; taken.has(savedId); n += 1) savedId = `${base}-${String(n)}`
      }
      const finalId = savedId
      await repository.transaction(async trx => {
        await repository.saveIndicator(finalId, result.value, trx)
        await audit.record(
          {
            actor,
            action: existing ? 'PERFORMANCE_INDICATOR_UPDATED' : 'PERFORMANCE_INDICATOR_CREATED',
            subjectType: 'performance_indicator',
            subjectId: finalId,
            details: { polarity: result.value.polarity, source: result.value.source.kind },
          },
          trx,
        )
      })
      return { ok: true, id: finalId }
    },

    /** Records a manual periodic figure with its evidence (idempotent: the same period again replaces it). */
    async recordValue(input: StoredValue, actor: Actor): Promise<void> {
      const indicator = await repository.findIndicator(input.indicatorId)
      if (!indicator) throw new PerformanceInputError('indicator-choose', 'indicatorId')
      if (!parseIsoDate(input.periodStart)) throw new PerformanceInputError('start-invalid', 'periodStart')
      if (!parseIsoDate(input.periodEnd)) throw new PerformanceInputError('end-invalid', 'periodEnd')
      if (input.periodEnd < input.periodStart) {
        throw new PerformanceInputError('end-before-start', 'periodEnd')
      }
      if (!Number.isFinite(input.value)) throw new PerformanceInputError('value-invalid', 'value')
      if (input.evidence.trim() === '') throw new PerformanceInputError('evidence-missing', 'evidence')
      const areas = [boroughArea().code, ...geography.wards().map(ward => ward.code)]
      if (!areas.includes(input.areaCode)) throw new PerformanceInputError('area-unknown', 'areaCode')
      await repository.transaction(async trx => {
        await repository.upsertValue(input, trx)
        await audit.record(
          {
            actor,
            action: 'PERFORMANCE_VALUE_RECORDED',
            subjectType: 'performance_indicator',
            subjectId: input.indicatorId,
            details: { areaCode: input.areaCode, periodStart: input.periodStart, periodEnd: input.periodEnd },
          },
          trx,
        )
      })
    },

    /**
     * Imports resident survey results all-or-nothing: the header must be exact, every line is checked, and any
     * problem saves nothing and returns the line-by-line report. A result for a measure, area and period already
     * held is replaced (importing the same file twice changes nothing).
     */
    async importSurvey(
      text: string,
      fileName: string,
      actor: Actor,
    ): Promise<{ ok: true; imported: number } | { ok: false; problems: SurveyProblem[] }> {
      const measures = new Set((await service.surveyMeasures()).map(item => item.measure))
      const areaCodes = new Set([boroughArea().code, ...geography.wards().map(ward => ward.code)])
      const result = await runCsvImport(text, surveyCsvFormat({ areaCodes, measures }), rows => {
        const surveys = [...new Set(rows.map(row => row.survey))]
        return repository.transaction(async trx => {
          const importId = await repository.survey.saveImport(surveys.join('; '), fileName, rows, trx)
          await audit.record(
            {
              actor,
              action: 'PERFORMANCE_SURVEY_IMPORTED',
              subjectType: 'performance_survey_import',
              subjectId: String(importId),
              details: { rows: rows.length, surveys },
            },
            trx,
          )
        })
      })
      return result.ok ? { ok: true, imported: result.rows } : result
    },

    /** Updates an action's status and narrative. Amber and red need a narrative: the board will ask why. */
    async updateAction(
      id: number,
      input: { status: string; narrative: string },
      actor: Actor,
    ): Promise<{ ok: true } | { ok: false; errors: PerformanceFieldError<'status' | 'narrative'>[] }> {
      const errors: PerformanceFieldError<'status' | 'narrative'>[] = []
      const narrative = input.narrative.trim()
      if (!isActionStatus(input.status)) errors.push({ field: 'status', code: 'status-missing' })
      if ((input.status === 'at-risk' || input.status === 'off-track') && narrative === '') {
        errors.push({ field: 'narrative', code: 'narrative-missing' })
      }
      if (narrative.length > 2000) errors.push({ field: 'narrative', code: 'narrative-too-long' })
      if (errors.length > 0 || !isActionStatus(input.status)) return { ok: false, errors }
      const status = input.status
      const updated = await repository.transaction(async trx => {
        const changed = await repository.plan.updateStatus(id, status, narrative, trx)
        if (changed) {
          await audit.record(
            {
              actor,
              action: 'PLAN_ACTION_UPDATED',
              subjectType: 'performance_action',
              subjectId: String(id),
              details: { status },
            },
            trx,
          )
        }
        return changed
      })
      if (!updated) throw new PerformanceInputError('action-missing', 'id')
      return { ok: true }
    },

    /** Loads the pack's priorities, indicators and outcomes (never overwriting a partnership's own edits). */
    async seedDefaults(): Promise<{ priorities: number; indicators: number; outcomes: number }> {
      return repository.transaction(async trx => {
        await repository.upsertPriorities(plan.priorities, trx)
        const indicators = await repository.insertIndicatorsIfMissing(plan.indicators, trx)
        await repository.plan.insertOutcomes(plan.outcomes, trx)
        return { priorities: plan.priorities.length, indicators, outcomes: plan.outcomes.length }
      })
    },
  }
}

export type PerformanceEditing = ReturnType<typeof createPerformanceEditing>
