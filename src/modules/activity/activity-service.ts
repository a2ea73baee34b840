/**
 * The outputs register: what the partnership did (patrols, operations, arrests, training, installations), one
 * generic record per activity, entered by form or imported from CSV. Aggregate counts only: no people.
 */
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { DEFAULT_ACTIVITY_TYPES } from './default-types.js'
import { runCsvImport } from '../../platform/csv-import.js'
import { activityCsvFormat, type ImportProblem } from './activity-import.js'
import type { ActivityRepository } from './activity-repository.js'
import {
  validateActivity,
  type ActivityInput,
  type FieldError,
  type ValidActivity,
  type ValidationContext,
} from './activity-validation.js'

export interface ActivityGeography {
  wards(): { code: string; name: string }[]
}

function monthEnd(date: string): string {
  const [year, month] = date.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10)
}

export function createActivityService(deps: {
  repository: ActivityRepository
  geography: ActivityGeography
  audit: AuditService
  clock: Clock
  priorities: () => Promise<{ id: string; name: string }[]>
}) {
  const { repository, geography, audit, clock } = deps
  const today = () => clock.now().toISOString().slice(0, 10)

  async function context(): Promise<ValidationContext> {
    return {
      types: await repository.listTypes(),
      wards: geography.wards(),
      priorities: await deps.priorities(),
      today: today(),
    }
  }

  return {
    listTypes: () => repository.listTypes(),
    recent: (limit = 50, typeCode?: string) => repository.recent(limit, typeCode),
    totalsByType: (from: string, to: string) => repository.totalsByType(from, to),
    context,

    /** Saves one record from the form. The form's submission id makes a double post save it once. */
    async record(
      input: ActivityInput,
      submissionId: string,
      actor: Actor,
    ): Promise<{ ok: true; id: number | null } | { ok: false; errors: FieldError[] }> {
      const result = validateActivity(input, await context())
      if (!result.ok) return result
      const id = await repository.transaction(async trx => {
        const [saved] = await repository.insertRecords([{ ...result.value, source: 'form', submissionId }], trx)
        if (saved !== undefined) {
          await audit.record(
            {
              actor,
              action: 'ACTIVITY_RECORDED',
              subjectType: 'activity_record',
              subjectId: String(saved),
              details: { type: result.value.typeCode, quantity: result.value.quantity },
            },
            trx,
          )
        }
        return saved ?? null
      })
      return { ok: true, id }
    },

    /** Imports a CSV all-or-nothing: any problem on any line saves nothing and returns the line-by-line report. */
    async importCsv(
      text: string,
      actor: Actor,
    ): Promise<{ ok: true; imported: number } | { ok: false; problems: ImportProblem[] }> {
      const result = await runCsvImport(text, activityCsvFormat(await context()), records =>
        repository.transaction(async trx => {
          const ids = await repository.insertRecords(
            records.map(record => ({ ...record, source: 'import' as const })),
            trx,
          )
          await audit.record(
            {
              actor,
              action: 'ACTIVITY_IMPORTED',
              subjectType: 'activity_import',
              details: { records: ids.length, firstId: ids[0] ?? null, lastId: ids[ids.length - 1] ?? null },
            },
            trx,
          )
          return ids.length
        }),
      )
      if (!result.ok) return result
      const imported = result.written
      return { ok: true, imported }
    },

    async seedDefaults(): Promise<number> {
      await repository.upsertTypes(DEFAULT_ACTIVITY_TYPES)
      return DEFAULT_ACTIVITY_TYPES.length
    },

    async insertDemo(records: ValidActivity[]): Promise<number> {
      return repository.transaction(
        async trx =>
          (
            await repository.insertRecords(
              records.map(r => ({ ...r, source: 'demo' as const })),
              trx,
            )
          ).length,
      )
    },

    /** Monthly sums for the performance module's indicators whose source is the register. */
    source: {
      monthlyTotals: (types: string[], from: string, to: string) => repository.monthlyTotals(types, from, to),
      /** The configured activity types, in their order (for the delivery report). */
      types: () => repository.listTypes(),
      /** The last complete month with records, never after today. */
      async latestMonthEnd(): Promise<string | null> {
        const latest = await repository.latestDate()
        if (latest === null) return null
        const end = monthEnd(latest)
        if (end <= today()) return end
        const previous = new Date(Date.UTC(Number(latest.slice(0, 4)), Number(latest.slice(5, 7)) - 1, 0))
        return previous.toISOString().slice(0, 10)
      },
    },
  }
}

export type ActivityService = ReturnType<typeof createActivityService>
