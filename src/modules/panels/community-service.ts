/**
 * The Tension Monitoring Group's tension log (ward-level entries: evidenced, experienced or potential, a level on
 * the three-tier six-level scale, sources and actions, and a weekly summary) and hate incidents (the hate flag with
 * protected characteristics, referral to the Hate Incident Panel, and monthly counts for the KPIs).
 */
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import type { FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { addDays, londonDate, weekday } from '../../platform/working-days.js'
import type { Casework, CaseRow } from '../casework/index.js'
import { PROTECTED_CHARACTERISTICS } from '../reporting/index.js'
import type { PanelUser } from './panel-access.js'
import type { PanelRow, PanelsRepository, TensionRow } from './panels-repository.js'
import type { PanelsService } from './panels-service.js'

export const TENSION_CATEGORIES = ['evidenced', 'experienced', 'potential'] as const
export const TENSION_SOURCES = [
  'police',
  'council',
  'housing',
  'community',
  'faith',
  'councillor',
  'schools',
  'social-media',
  'other',
] as const
export const TENSION_LEVELS = [1, 2, 3, 4, 5, 6] as const

/** The three tiers of the six-level scale. */
export function tensionTier(level: number): 'low' | 'medium' | 'high' {
  return level >= 5 ? 'high' : level >= 3 ? 'medium' : 'low'
}

/** Monday of the week a date is in. */
export function weekStart(iso: string): string {
  return addDays(iso, -((weekday(iso) + 6) % 7))
}

export interface WardSummary {
  wardCode: string
  entries: number
  highest: number
  previousHighest: number | null
  categories: Record<(typeof TENSION_CATEGORIES)[number], number>
}

/** Ward by ward for one week, with the highest level the previous week for comparison. */
export function summariseWeek(week: readonly TensionRow[], previous: readonly TensionRow[]): WardSummary[] {
  const wards = new Map<string, WardSummary>()
  for (const entry of week) {
    const summary = wards.get(entry.ward_code) ?? {
      wardCode: entry.ward_code,
      entries: 0,
      highest: 0,
      previousHighest: null,
      categories: { evidenced: 0, experienced: 0, potential: 0 },
    }
    summary.entries += 1
    summary.highest = Math.max(summary.highest, entry.level)
    summary.categories[entry.category] += 1
    wards.set(entry.ward_code, summary)
  }
  for (const entry of previous) {
    const summary = wards.get(entry.ward_code)
    if (summary) summary.previousHighest = Math.max(summary.previousHighest ?? 0, entry.level)
  }
  return [...wards.values()].sort((a, b) => b.highest - a.highest || a.wardCode.localeCompare(b.wardCode))
}

export function createCommunityService(deps: {
  repository: PanelsRepository
  panels: PanelsService
  casework: Casework
  audit: AuditService
  clock: Clock
}) {
  const { repository, panels, casework, audit, clock } = deps
  const today = () => londonDate(clock.now())

  return {
    today,

    async recordTension(
      user: PanelUser,
      actor: Actor,
      panel: PanelRow,
      input: {
        wardCode: string
        validWard: boolean
        reportedOn: string | null
        category: string
        level: string
        sources: string[]
        summary: string
        actions: string
        submissionId: string
      },
    ): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
      const errors: FieldErrors = {}
      if (!input.validWard) errors.ward = t('panels.tension.errors.ward')
      if (!input.reportedOn) errors['reported-day'] = t('panels.tension.errors.date')
      else if (input.reportedOn > today()) errors['reported-day'] = t('panels.tension.errors.dateFuture')
      if (!(TENSION_CATEGORIES as readonly string[]).includes(input.category)) {
        errors.category = t('panels.tension.errors.category')
      }
      const level = Number(input.level)
      if (!(TENSION_LEVELS as readonly number[]).includes(level)) errors.level = t('panels.tension.errors.level')
      if (input.sources.length === 0 || !input.sources.every(s => (TENSION_SOURCES as readonly string[]).includes(s))) {
        errors.sources = t('panels.tension.errors.sources')
      }
      if (input.summary === '') errors.summary = t('panels.tension.errors.summary')
      else if (input.summary.length > 4000) errors.summary = t('panels.errors.tooLong')
      if (input.actions.length > 4000) errors.actions = t('panels.errors.tooLong')
      if (!panels.isMember(user, panel)) errors.summary = t('panels.errors.member')
      if (Object.keys(errors).length > 0 || !input.reportedOn) return { ok: false, errors }
      const reportedOn = input.reportedOn
      await repository.transaction(async trx => {
        const id = await repository.insertTension(
          {
            ward_code: input.wardCode,
            reported_on: reportedOn,
            category: input.category as (typeof TENSION_CATEGORIES)[number],
            level,
            sources: JSON.stringify(input.sources),
            summary: input.summary,
            actions: input.actions === '' ? null : input.actions,
            recorded_by: user.id,
            recorded_at: clock.now(),
            submission_id: input.submissionId,
          },
          trx,
        )
        if (id) {
          await audit.record(
            {
              actor,
              action: 'TENSION_ENTRY_RECORDED',
              subjectType: 'tension_entry',
              subjectId: id,
              details: { ward: input.wardCode, level },
            },
            trx,
          )
        }
      })
      return { ok: true }
    },

    async week(start: string) {
      const monday = weekStart(start)
      const sunday = addDays(monday, 6)
      const [entries, previous] = await Promise.all([
        repository.tensionsBetween(monday, sunday),
        repository.tensionsBetween(addDays(monday, -7), addDays(monday, -1)),
      ])
      return { monday, sunday, entries, wards: summariseWeek(entries, previous) }
    },

    /** Hate-flagged reports linked to the case, to prefill a hate incident. */
    async hateReportsForCase(caseRow: CaseRow) {
      return repository.hateReportsForCase(caseRow.id)
    },

    canRecordForCase(user: PanelUser, caseRow: CaseRow): boolean {
      return casework.can(user, caseRow, 'chronology', 'change')
    },

    async recordHateIncident(
      user: PanelUser,
      actor: Actor,
      input: {
        caseRow: CaseRow | null
        reportId: number | null
        wardCode: string | null
        validWard: boolean
        occurredOn: string | null
        characteristics: string[]
        crime: string
        summary: string
        refer: boolean
        submissionId: string
      },
    ): Promise<{ ok: true; id: string; referralId: string | null } | { ok: false; errors: FieldErrors }> {
      const already = await repository.hateIncidentBySubmission(input.submissionId)
      if (already) return { ok: true, id: already.id, referralId: null }
      const errors: FieldErrors = {}
      if (!input.validWard) errors.ward = t('panels.hate.errors.ward')
      if (!input.occurredOn) errors['occurred-day'] = t('panels.hate.errors.date')
      else if (input.occurredOn > today()) errors['occurred-day'] = t('panels.hate.errors.dateFuture')
      if (
        input.characteristics.length === 0 ||
        !input.characteristics.every(c => (PROTECTED_CHARACTERISTICS as readonly string[]).includes(c))
      ) {
        errors.characteristics = t('panels.hate.errors.characteristics')
      }
      if (input.crime !== 'yes' && input.crime !== 'no') errors.crime = t('panels.hate.errors.crime')
      if (input.summary === '') errors.summary = t('panels.hate.errors.summary')
      else if (input.summary.length > 4000) errors.summary = t('panels.errors.tooLong')
      if (Object.keys(errors).length > 0 || !input.occurredOn) return { ok: false, errors }
      const occurredOn = input.occurredOn
      const caseRow = input.caseRow
      return repository.transaction(async trx => {
        const id = await repository.insertHateIncident(
          {
            case_id: caseRow?.id ?? null,
            report_id: input.reportId,
            occurred_on: occurredOn,
            ward_code: input.wardCode,
            characteristics: JSON.stringify([...new Set(input.characteristics)]),
            crime: input.crime === 'yes',
            summary: input.summary,
            referral_id: null,
            recorded_by: user.id,
            recorded_at: clock.now(),
            submission_id: input.submissionId,
          },
          trx,
        )
        const characteristicsText = input.characteristics
          .map(c => t(`panels.hate.characteristics.${c}`).toLowerCase())
          .join(', ')
        if (caseRow) {
          await casework.addChronology(
            caseRow.id,
            {
              kind: 'hate-incident',
              summary: t('panels.hate.chronology', { characteristics: characteristicsText }),
              sourceModule: 'panels',
              sourceId: id,
            },
            actor,
            trx,
          )
        }
        let referralId: string | null = null
        if (input.refer) {
          const referral = await panels.refer(
            {
              panel: 'hate-incident',
              caseId: caseRow?.id ?? null,
              subject: caseRow
                ? t('panels.subject.hateCase', { reference: caseRow.reference, characteristics: characteristicsText })
                : t('panels.subject.hate', { characteristics: characteristicsText, date: occurredOn }),
              reason: input.summary,
              sourceModule: 'panels-hate',
              sourceId: id,
              wardCode: input.wardCode,
              criteria: input.characteristics,
              referredBy: { userId: user.id, partnerId: user.partnerId },
            },
            actor,
            trx,
          )
          referralId = referral.id
          await repository.setHateReferral(id, referral.id, trx)
        }
        await audit.record(
          {
            actor,
            action: 'HATE_INCIDENT_RECORDED',
            subjectType: 'hate_incident',
            subjectId: id,
            details: { caseId: caseRow?.id ?? null, characteristics: input.characteristics, referred: input.refer },
          },
          trx,
        )
        return { ok: true as const, id, referralId }
      })
    },

    async hateIncidents(from: string, to: string) {
      return repository.hateIncidents(from, to)
    },
  }
}

export type CommunityService = ReturnType<typeof createCommunityService>

/**
 * Aggregate counts for the performance module's indicator sources: hate incidents recorded, and referrals to each
 * kind of panel, by ward and month. Counts only: no person, case or text leaves these functions.
 */
export function createPanelCounts(repository: PanelsRepository, clock?: Clock) {
  const today = () => londonDate((clock ?? { now: () => new Date() }).now())
  return {
    hateIncidents: (from: string, to: string) => repository.monthlyHateIncidents(from, to),
    referrals: (kind: PanelRow['kind'] | null, from: string, to: string) => repository.monthlyReferrals(kind, from, to),
    /** Tension log entries; with levels, only entries at one of them. */
    tensionEntries: (levels: readonly number[] | null, from: string, to: string) =>
      repository.monthlyTensionEntries(levels, from, to),
    actionsCompleted: (from: string, to: string) => repository.monthlyActionsCompleted(from, to),
    actionsOnTime: (from: string, to: string) => repository.monthlyActionsOnTime(from, to, today()),
  }
}

export type PanelCounts = ReturnType<typeof createPanelCounts>
