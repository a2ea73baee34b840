/**
 * Journey answers live server-side in `report_draft`, keyed by a random id the browser holds in a signed cookie, for
 * 24 hours from the last answer. Losing the session mid-journey loses nothing within that time.
 */
import { randomUUID } from 'node:crypto'

import type { Clock } from '../../platform/clock.js'
import type { ReportingRepository } from './reporting-repository.js'

export const DRAFT_LIFETIME_MS = 24 * 60 * 60 * 1000
/** A draft is submitted with the idempotency key `web:<draft id>`: the same draft twice is the same report. */
export const DRAFT_KEY_PREFIX = 'web:'
export const draftIdempotencyKey = (draftId: string) => `${DRAFT_KEY_PREFIX}${draftId}`
const PURGE_INTERVAL_MS = 60 * 60 * 1000

export type Answers = Record<string, unknown>

export interface Draft {
  id: string
  answers: Answers
  reportId: number | null
}

export function createDraftService(deps: { repository: ReportingRepository; clock: Clock }) {
  const { repository, clock } = deps
  let lastPurge = 0
  return {
    async find(id: string | undefined): Promise<Draft | undefined> {
      if (!id) return undefined
      const row = await repository.findDraft(id, clock.now(), DRAFT_KEY_PREFIX)
      return row ? { id: row.id, answers: row.answers, reportId: row.report_id } : undefined
    },

    /** Merges answers into the draft (creating it when needed) and extends its life by 24 hours. */
    async save(id: string | undefined, answers: Answers): Promise<Draft> {
      const existing = await this.find(id)
      const draftId = existing?.id ?? randomUUID()
      const merged = { ...(existing?.answers ?? {}), ...answers }
      const now = clock.now()
      // Drafts hold personal data: expired ones are deleted, at most once an hour, by whichever save comes next.
      if (now.getTime() - lastPurge >= PURGE_INTERVAL_MS) {
        lastPurge = now.getTime()
        await repository.deleteExpiredDrafts(now)
      }
      await repository.saveDraft({
        id: draftId,
        answers: merged,
        now,
        expiresAt: new Date(now.getTime() + DRAFT_LIFETIME_MS),
      })
      return { id: draftId, answers: merged, reportId: existing?.reportId ?? null }
    },

    async purgeExpired(): Promise<number> {
      return repository.deleteExpiredDrafts(clock.now())
    },
  }
}

export type DraftService = ReturnType<typeof createDraftService>
