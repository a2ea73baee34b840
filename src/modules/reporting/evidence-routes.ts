/**
 * Evidence on the resident journey: an optional step after the description. A multipart form (works without
 * JavaScript): "Upload file" stores the chosen file and comes back here; "Continue" stores a chosen file too, then goes
 * on. The multipart parser is registered by the reporting plugin, which sets what an upload looks like (`Upload`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'

import { t } from '../../platform/i18n.js'
import { EVIDENCE_ACCEPT, EVIDENCE_LIMITS, EvidenceError } from './evidence.js'
import { draftEvidence } from './evidence-service.js'
import { errorSummary, firstMissingStep, text, type Answers, type Body } from './journey.js'
import { ChangeQuery, draftAudit, FormBody, isChanging, returnTo, view, type DraftSession } from './journey-session.js'
import type { Reporting } from './reporting.js'
import { reportingPaths } from './reporting-paths.js'
import { formatBytes, MB } from './reporting-presenters.js'

/** A file field of a multipart form, as the plugin's onFile leaves it on the body. */
export interface Upload {
  upload: true
  filename: string
  tooLarge: boolean
  content: Buffer
}

export const isUpload = (value: unknown): value is Upload =>
  typeof value === 'object' &&
  value !== null &&
  'upload' in value &&
  'content' in value &&
  Buffer.isBuffer(value.content)

/**
 * Uploads per client: generous for a person adding a few files, tight for a script. Counted after the form is read
 * (preHandler), so only posts that carry a file count: "Continue" without one is an ordinary journey step.
 */
const EVIDENCE_RATE_LIMIT = {
  max: 30,
  timeWindow: '10 minutes',
  hook: 'preHandler' as const,
  allowList: (request: FastifyRequest) => {
    const body = request.body
    const file = typeof body === 'object' && body !== null && 'evidence' in body ? body.evidence : undefined
    return !isUpload(file) || (file.filename === '' && file.content.length === 0 && !file.tooLarge)
  },
}

export interface EvidenceRoutesOptions {
  reporting: Reporting
  session: DraftSession
}

export const evidenceRoutes: FastifyPluginAsyncTypebox<EvidenceRoutesOptions> = async (app, options) => {
  const { session } = options
  const { evidence } = options.reporting

  const evidenceModel = (answers: Answers, back: string) => ({
    files: draftEvidence(answers).map(file => ({
      ...file,
      kindLabel: t(`report.evidence.${file.kind}`),
      size: formatBytes(file.size),
    })),
    maxFiles: EVIDENCE_LIMITS.files,
    photoMb: EVIDENCE_LIMITS.photoBytes / MB,
    audioMb: EVIDENCE_LIMITS.audioBytes / MB,
    accept: EVIDENCE_ACCEPT,
    returnTo: back,
  })
  const evidenceNext = (body: Body, answers: Answers) => {
    const next = returnTo(body, reportingPaths.step('impact'))
    const missing = firstMissingStep(answers)
    return next === reportingPaths.step('check') && missing ? reportingPaths.step(missing) : next
  }

  app.get(
    reportingPaths.step('evidence'),
    { config: { access: 'public', audit: draftAudit }, schema: { querystring: ChangeQuery } },
    async (request, reply) => {
      const draft = await session.activeDraft(request)
      return reply.view(view('evidence'), evidenceModel(draft?.answers ?? {}, isChanging(request.query) ? 'check' : ''))
    },
  )

  app.post(
    reportingPaths.step('evidence'),
    {
      config: {
        access: 'public',
        audit: { action: 'REPORT_EVIDENCE_ADDED', subjectType: 'report_draft' },
        rateLimit: EVIDENCE_RATE_LIMIT,
      },
      schema: { body: FormBody },
    },
    async (request, reply) => {
      const body = request.body
      const action = text(body, 'action') === 'upload' ? 'upload' : 'continue'
      const chosen = isUpload(body.evidence) ? body.evidence : undefined
      // A file input left empty still sends a part: no name and no bytes.
      const upload =
        chosen && (chosen.filename !== '' || chosen.content.length > 0 || chosen.tooLarge) ? chosen : undefined
      const current = await session.activeDraft(request)
      let answers = current?.answers ?? {}
      let problem: string | undefined
      if (upload) {
        const draft = current ?? (await session.save(request, reply, {}))
        const files = draftEvidence(draft.answers)
        try {
          if (upload.tooLarge) throw new EvidenceError('tooLarge')
          const added = await evidence.add(draft.id, files.length, upload)
          answers = (await session.save(request, reply, { evidence: [...files, added] })).answers
          request.auditContext.details = { evidenceId: added.id, kind: added.kind, bytes: added.size }
        } catch (error) {
          if (!(error instanceof EvidenceError)) throw error
          problem = t(`report.evidence.errors.${error.code}`, error.params)
          answers = draft.answers
        }
      } else if (action === 'upload') {
        problem = t('report.evidence.errors.required')
      }
      if (problem) {
        request.auditContext.skip = true
        const errors = { evidence: problem }
        return reply.code(400).view(view('evidence'), {
          ...evidenceModel(answers, text(body, 'returnTo')),
          errors,
          errorSummary: errorSummary(errors),
        })
      }
      if (!upload) request.auditContext.skip = true
      if (action === 'upload') {
        const back = text(body, 'returnTo') === 'check' ? '?change=check' : ''
        return reply.redirect(`${reportingPaths.step('evidence')}${back}`, 303)
      }
      return reply.redirect(evidenceNext(body, answers), 303)
    },
  )

  app.post(
    reportingPaths.evidenceRemove,
    {
      config: { access: 'public', audit: { action: 'REPORT_EVIDENCE_REMOVED', subjectType: 'report_draft' } },
      schema: { querystring: ChangeQuery, body: FormBody },
    },
    async (request, reply) => {
      const draft = await session.activeDraft(request)
      const id = text(request.body, 'remove')
      const back = isChanging(request.query) ? '?change=check' : ''
      if (!draft) return reply.redirect(reportingPaths.step('evidence'), 303)
      const files = draftEvidence(draft.answers)
      if (files.some(file => file.id === id)) {
        await evidence.remove(draft.id, id)
        await session.save(request, reply, { evidence: files.filter(file => file.id !== id) })
        request.auditContext.details = { evidenceId: id }
      } else request.auditContext.skip = true
      return reply.redirect(`${reportingPaths.step('evidence')}${back}`, 303)
    },
  )
}
