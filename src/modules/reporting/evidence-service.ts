/**
 * Evidence a resident attaches while reporting: checked and stripped of metadata (evidence.ts), stored in the
 * database against the journey draft, taken over by the report when it is submitted (in the intake statement), and
 * shown only to staff. The draft's answers list the files (id, name, kind, size), so the pages need no extra query.
 */
import { randomUUID } from 'node:crypto'

import type { Clock } from '../../platform/clock.js'
import { cleanEvidence, EVIDENCE_LIMITS, EvidenceError, safeFileName, type EvidenceKind } from './evidence.js'
import type { ReportingRepository } from './reporting-repository.js'

export interface EvidenceSummary {
  id: string
  name: string
  kind: EvidenceKind
  size: number
}

/** The files a draft's answers list (anything malformed is ignored). */
export function draftEvidence(answers: Record<string, unknown>): EvidenceSummary[] {
  const list = answers.evidence
  if (!Array.isArray(list)) return []
  return list.filter(
    (item): item is EvidenceSummary =>
      typeof item === 'object' &&
      item !== null &&
      typeof (item as EvidenceSummary).id === 'string' &&
      typeof (item as EvidenceSummary).name === 'string' &&
      ((item as EvidenceSummary).kind === 'photo' || (item as EvidenceSummary).kind === 'audio') &&
      typeof (item as EvidenceSummary).size === 'number',
  )
}

export function createEvidenceService(deps: { repository: ReportingRepository; clock: Clock }) {
  const { repository, clock } = deps
  return {
    /** Checks, cleans and stores a file for a draft. Throws EvidenceError for a file it cannot take. */
    async add(
      draftId: string,
      already: number,
      file: { content: Buffer; filename?: string },
    ): Promise<EvidenceSummary> {
      if (already >= EVIDENCE_LIMITS.files) throw new EvidenceError('tooMany')
      const clean = await cleanEvidence(file.content)
      const id = randomUUID()
      const name = safeFileName(file.filename, clean.extension)
      await repository.insertEvidence({
        id,
        draft_id: draftId,
        report_id: null,
        kind: clean.kind,
        content_type: clean.contentType,
        file_name: name,
        size_bytes: clean.content.length,
        sha256: clean.sha256,
        width: clean.width,
        height: clean.height,
        content: clean.content,
        created_at: clock.now(),
      })
      return { id, name, kind: clean.kind, size: clean.content.length }
    },

    async remove(draftId: string, id: string): Promise<boolean> {
      return repository.deleteDraftEvidence(id, draftId)
    },

    async forReport(reportId: number) {
      return repository.evidenceForReport(reportId)
    },

    async content(reportId: number, id: string) {
      return repository.evidenceContent(reportId, id)
    },
  }
}

export type EvidenceService = ReturnType<typeof createEvidenceService>
