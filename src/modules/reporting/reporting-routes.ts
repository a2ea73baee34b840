/**
 * The resident journey (/report), tracking (/track), the staff list (/staff/reports) and anonymised ward counts
 * (/wards/:code/reports). Handlers translate HTTP into service calls; every form re-renders with 400 and the answers
 * on a mistake, and redirects on success.
 */

import { randomBytes } from 'node:crypto'

import fastifyMultipart from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RawBuilder } from 'kysely'
import Type from 'typebox'

import { geographyPaths, presentAreaMap, type GeographyService } from '../geography/index.js'
import { t } from '../../platform/i18n.js'
import { notFoundError, RESTRICTIONS } from '../../platform/resource-access.js'
import type { StaffUser } from '../accounts/index.js'
import { draftIdempotencyKey } from './draft-service.js'
import { EVIDENCE_ACCEPT, EVIDENCE_LIMITS, EvidenceError } from './evidence.js'
import { draftEvidence } from './evidence-service.js'
import { IntakeError } from './intake-service.js'
import {
  CONTACT_PREFERENCES,
  FREQUENCIES,
  HOW_OFTEN,
  REPORTER_MODES,
  REPORTER_ROLES,
  TARGETED,
  YES_NO_PREFER,
} from './intake-schema.js'
import {
  CONSENT,
  errorSummary,
  firstMissingStep,
  PATTERNS,
  text,
  toIntakeInput,
  TRIAGE,
  validateCategory,
  validateDescription,
  validateImpact,
  validatePostcode,
  validateTriage,
  validateWard,
  validateWhen,
  validateWho,
  type Answers,
  type Body,
  type Errors,
  type StepResult,
} from './journey.js'
import { newTrackingCode, normaliseTrackingCode } from './reference.js'
import type { Reporting } from './reporting.js'
import { reportingPaths } from './reporting-paths.js'
import {
  categoryItems,
  categoryLabel,
  characteristicItems,
  formatTrackingCode,
  optionItems,
  presentCandidates,
  presentCheckAnswers,
  presentTracking,
  presentWardCounts,
} from './reporting-presenters.js'
import { CLOSURE_REASONS, STATUSES, StatusChangeError, type StatusChange } from './report-service.js'
import { findCategory } from './taxonomy.js'

export const DRAFT_COOKIE = 'safer_report'
const HONEYPOT = 'website'

interface Options {
  reporting: Reporting
  geography: GeographyService
  secure: boolean
  /** Where the Case Review notice on the tracking page links to: the application from this report. */
  caseReviewHref?: (reference: string, code: string) => string
  /** Public counts of sensitive types below this are suppressed (PUBLIC_SMALL_NUMBER_THRESHOLD). */
  smallNumberThreshold?: number
  /**
   * The reports a member of staff may see, as an SQL condition on alias `r` (the casework access policy, ADR 0019).
   * Single-report routes declare `config.resource` and are checked before their handler.
   */
  visibleReports: (user: StaffUser) => RawBuilder<boolean>
  /**
   * Whether the CSP pack has postcodes. Without them (the City of London pack) "Where is it happening?" offers the map
   * and the ward list instead of a postcode box.
   */
  postcodes?: boolean
}

const view = (name: string) => `reporting/views/${name}.njk`

/** A file field of a multipart form, as onFile leaves it on the body. */
interface Upload {
  upload: true
  filename: string
  tooLarge: boolean
  content: Buffer
}

const isUpload = (value: unknown): value is Upload =>
  typeof value === 'object' && value !== null && 'upload' in value && Buffer.isBuffer((value as Upload).content)

/** A similar report offered on "Is it one of these?": what the page showed, its token, and (server-side only) which. */
interface OfferedReport {
  token: string
  reference: string
  category: string
  where: string
  week: string
}

const similarOffered = (answers: Answers): OfferedReport[] =>
  Array.isArray(answers.similarOffered) ? (answers.similarOffered as OfferedReport[]) : []

/** The "will be added to" line: a similar report by what the page showed of it, the resident's own by reference. */
function linkedModel(answers: Answers) {
  const summary = answers.linkedSummary
  if (summary && typeof summary === 'object') return { linkedSummary: summary, linkedReference: '' }
  return {
    linkedSummary: null,
    linkedReference: typeof answers.linkedReference === 'string' ? answers.linkedReference : '',
  }
}

const MB = 1024 * 1024
/**
 * Uploads per client: generous for a person adding a few files, tight for a script. Counted after the form is read
 * (preHandler), so only posts that carry a file count: "Continue" without one is an ordinary journey step.
 */
const EVIDENCE_RATE_LIMIT = {
  max: 30,
  timeWindow: '10 minutes',
  hook: 'preHandler' as const,
  allowList: (request: FastifyRequest) => {
    const file = (request.body as Record<string, unknown> | undefined)?.evidence
    return !isUpload(file) || (file.filename === '' && file.content.length === 0 && !file.tooLarge)
  },
}

export const reportingRoutes: FastifyPluginAsyncTypebox<Options> = async (app, options) => {
  const { reporting, geography, secure, visibleReports } = options
  const postcodes = options.postcodes ?? true
  const { drafts, intake, reports, evidence } = reporting

  // Evidence uploads: multipart forms in this module only. Fields land on request.body (so the CSRF check reads
  // `_csrf` as for any form); a file becomes an Upload, cut off (and marked) past the largest size we take.
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: {
      fileSize: EVIDENCE_LIMITS.audioBytes + 1,
      files: 1,
      fields: 10,
      fieldSize: 4096,
      parts: 12,
    },
    async onFile(part) {
      const chunks: Buffer[] = []
      for await (const chunk of part.file) if (!part.file.truncated) chunks.push(chunk as Buffer)
      const upload: Upload = {
        upload: true,
        filename: part.filename,
        tooLarge: part.file.truncated,
        content: part.file.truncated ? Buffer.alloc(0) : Buffer.concat(chunks),
      }
      ;(part as unknown as { value: Upload }).value = upload
    },
  })

  const wardName = (code: string) => geography.ward(code)?.name ?? code
  const wardItems = (selected: unknown) => [
    { value: '', text: t('report.whereWard.choose') },
    ...geography.wards().map(ward => ({ value: ward.code, text: ward.name, selected: selected === ward.code })),
  ]

  function draftId(request: FastifyRequest): string | undefined {
    const raw = request.cookies[DRAFT_COOKIE]
    if (!raw) return undefined
    const unsigned = request.unsignCookie(raw)
    return unsigned.valid && unsigned.value ? unsigned.value : undefined
  }

  /** The draft in progress; a submitted draft is finished, so a new journey starts afresh. */
  async function activeDraft(request: FastifyRequest) {
    const draft = await drafts.find(draftId(request))
    return draft?.reportId === null ? draft : undefined
  }

  async function save(request: FastifyRequest, reply: FastifyReply, answers: Answers) {
    const current = await activeDraft(request)
    const draft = await drafts.save(current?.id, answers)
    reply.setCookie(DRAFT_COOKIE, draft.id, {
      signed: true,
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
      maxAge: 24 * 60 * 60,
    })
    request.auditContext.subjectType = 'report_draft'
    request.auditContext.subjectId = draft.id
    return draft
  }

  const changing = (request: FastifyRequest) => (request.query as { change?: string } | undefined)?.change === 'check'
  const bodyOf = (request: FastifyRequest): Body => (request.body ?? {}) as Body
  const returnTo = (request: FastifyRequest, next: string) =>
    text(bodyOf(request), 'returnTo') === 'check' ? reportingPaths.step('check') : next

  // Step pages: each has a template, a way to build its view model, and a validator.
  interface Step {
    name: string
    template: string
    model(values: Answers): Record<string, unknown>
    validate(body: Body): StepResult | Promise<StepResult>
    next(values: Answers): string
    /** Extra answers derived after validation (for example the located ward). Returns a redirect or an error. */
    resolve?(
      result: StepResult,
      request: FastifyRequest,
    ): Promise<{ answers?: Answers; redirect?: string; errors?: Errors }>
  }

  const steps: Step[] = [
    {
      name: 'triage',
      template: 'triage',
      model: values => ({ items: optionItems(TRIAGE, 'triage.options', values.triage) }),
      validate: validateTriage,
      next: values => (values.triage === 'asb' ? reportingPaths.step('what') : reportingPaths.step('advice')),
    },
    {
      name: 'what',
      template: 'what',
      model: values => ({ items: categoryItems(values.category) }),
      validate: validateCategory,
      next: () => reportingPaths.step('where'),
    },
    {
      name: 'where',
      template: 'where',
      model: () => ({ postcodes }),
      validate: body => validatePostcode(body, { postcodes }),
      next: () => reportingPaths.step('when'),
      async resolve(result) {
        const { point } = result as ReturnType<typeof validatePostcode>
        const postcode = String(result.values.postcode)
        if (point) {
          const where = geography.whereIs(point)
          if (!where.inBorough)
            return { answers: outsideAnswers(where.neighbour, ''), redirect: reportingPaths.step('outside') }
          return {
            answers: {
              locationMode: 'point',
              latitude: point.latitude,
              longitude: point.longitude,
              wardCode: where.location.ward.code,
              postcode: '',
              outside: null,
            },
          }
        }
        const found = await geography.lookupPostcode(postcode)
        if (found.status === 'invalid') return { errors: { postcode: t('report.where.errors.postcodeInvalid') } }
        if (found.status === 'unknown')
          return {
            errors: {
              postcode: t('report.where.errors.postcodeUnknown', {
                postcode: found.postcode,
                borough: geography.borough().shortName,
              }),
            },
          }
        if (!found.location) {
          const where = geography.whereIs(found.point)
          return {
            answers: outsideAnswers(where.inBorough ? null : where.neighbour, found.postcode),
            redirect: reportingPaths.step('outside'),
          }
        }
        return {
          answers: {
            locationMode: 'postcode',
            postcode: found.postcode,
            latitude: null,
            longitude: null,
            wardCode: found.location.ward.code,
            outside: null,
          },
        }
      },
    },
    {
      name: 'where-ward',
      template: 'where-ward',
      model: values => ({ wardItems: wardItems(values.wardCode), postcodes }),
      validate: body =>
        validateWard(
          body,
          geography.wards().map(ward => ward.code),
        ),
      next: () => reportingPaths.step('when'),
      async resolve() {
        return { answers: { locationMode: 'ward', postcode: '', latitude: null, longitude: null, outside: null } }
      },
    },
    {
      name: 'when',
      template: 'when',
      model: values => ({
        patternItems: optionItems(PATTERNS, 'options.pattern', values.pattern),
        frequencyItems: optionItems(FREQUENCIES, 'options.frequency', values.frequency),
      }),
      validate: body => validateWhen(body, reporting.clockNow()),
      next: () => reportingPaths.step('description'),
    },
    {
      name: 'description',
      template: 'description',
      model: () => ({}),
      validate: validateDescription,
      next: () => reportingPaths.step('evidence'),
    },
    {
      name: 'impact',
      template: 'impact',
      model: values => ({
        reporterRoleItems: optionItems(REPORTER_ROLES, 'options.reporterRole', values.reporterRole),
        howOftenItems: optionItems(HOW_OFTEN, 'options.howOften', values.howOften),
        unsafeAtHomeItems: optionItems(YES_NO_PREFER, 'options.yesNoPrefer', values.unsafeAtHome),
        healthAffectedItems: optionItems(YES_NO_PREFER, 'options.yesNoPrefer', values.healthAffected),
        targetedItems: optionItems(TARGETED, 'options.targeted', values.targeted),
        characteristicItems: characteristicItems(values.characteristics),
      }),
      validate: validateImpact,
      next: () => reportingPaths.step('who'),
    },
    {
      name: 'who',
      template: 'who',
      model: values => ({
        modeItems: optionItems(REPORTER_MODES, 'options.modeLong', values.mode),
        contactItems: optionItems(CONTACT_PREFERENCES, 'options.contactPreference', values.contactPreference),
        consentItems: optionItems(CONSENT, 'options.consent', values.consent),
      }),
      validate: validateWho,
      next: () => reportingPaths.step('similar'),
    },
  ]

  function outsideAnswers(
    neighbour: { name: string; policeForce: { name: string } | null } | null,
    postcode: string,
  ): Answers {
    return {
      outside: { council: neighbour?.name ?? null, policeForce: neighbour?.policeForce?.name ?? null, postcode },
    }
  }

  const draftAudit = { action: 'REPORT_DRAFT_VIEWED', subjectType: 'report_draft' }

  for (const step of steps) {
    const url = reportingPaths.step(step.name)
    app.get(
      url,
      { config: { access: 'public', audit: step.name === 'triage' || step.name === 'what' ? false : draftAudit } },
      async (request, reply) => {
        const draft = await activeDraft(request)
        const values = draft?.answers ?? {}
        return reply.view(view(step.template), {
          ...step.model(values),
          values,
          returnTo: changing(request) ? 'check' : '',
        })
      },
    )

    app.post(
      url,
      { config: { access: 'public', audit: { action: 'REPORT_DRAFT_UPDATED', subjectType: 'report_draft' } } },
      async (request, reply) => {
        const body = bodyOf(request)
        const result = await step.validate(body)
        let errors = result.errors
        let extra: Answers = {}
        let redirect: string | undefined
        if (Object.keys(errors).length === 0 && step.resolve) {
          const resolved = await step.resolve(result, request)
          if (resolved.errors) errors = resolved.errors
          extra = resolved.answers ?? {}
          redirect = resolved.redirect
        }
        if (Object.keys(errors).length > 0) {
          request.auditContext.skip = true
          return reply.code(400).view(view(step.template), {
            ...step.model(result.values),
            values: result.values,
            errors,
            errorSummary: errorSummary(errors),
            returnTo: text(body, 'returnTo'),
          })
        }
        const answers = { ...result.values, ...extra }
        const draft = await save(request, reply, answers)
        if (redirect) return reply.redirect(redirect, 303)
        const next = returnTo(request, step.next(draft.answers))
        // After changing an answer, go back to "check" only when everything is still answered.
        const missing = firstMissingStep(draft.answers)
        if (next === reportingPaths.step('check') && missing) return reply.redirect(reportingPaths.step(missing), 303)
        return reply.redirect(next, 303)
      },
    )
  }

  // Evidence: an optional step after the description. A multipart form (works without JavaScript): "Upload file"
  // stores the chosen file and comes back here; "Continue" stores a chosen file too, then goes on.
  const evidenceModel = (answers: Answers, returnTo: string) => ({
    files: draftEvidence(answers).map(file => ({
      ...file,
      kindLabel: t(`report.evidence.${file.kind}`),
      size: formatBytes(file.size),
    })),
    maxFiles: EVIDENCE_LIMITS.files,
    photoMb: EVIDENCE_LIMITS.photoBytes / MB,
    audioMb: EVIDENCE_LIMITS.audioBytes / MB,
    accept: EVIDENCE_ACCEPT,
    returnTo,
  })
  const evidenceNext = (request: FastifyRequest, answers: Answers) => {
    const next = returnTo(request, reportingPaths.step('impact'))
    const missing = firstMissingStep(answers)
    return next === reportingPaths.step('check') && missing ? reportingPaths.step(missing) : next
  }

  app.get(
    reportingPaths.step('evidence'),
    { config: { access: 'public', audit: draftAudit } },
    async (request, reply) => {
      const draft = await activeDraft(request)
      return reply.view(view('evidence'), evidenceModel(draft?.answers ?? {}, changing(request) ? 'check' : ''))
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
    },
    async (request, reply) => {
      const body = bodyOf(request)
      const action = text(body, 'action') === 'upload' ? 'upload' : 'continue'
      const chosen = isUpload(body.evidence) ? body.evidence : undefined
      // A file input left empty still sends a part: no name and no bytes.
      const upload =
        chosen && (chosen.filename !== '' || chosen.content.length > 0 || chosen.tooLarge) ? chosen : undefined
      const current = await activeDraft(request)
      let answers = current?.answers ?? {}
      let problem: string | undefined
      if (upload) {
        const draft = current ?? (await save(request, reply, {}))
        const files = draftEvidence(draft.answers)
        try {
          if (upload.tooLarge) throw new EvidenceError('tooLarge')
          const added = await evidence.add(draft.id, files.length, upload)
          answers = (await save(request, reply, { evidence: [...files, added] })).answers
          request.auditContext.details = { evidenceId: added.id, kind: added.kind, bytes: added.size }
        } catch (error) {
          if (!(error instanceof EvidenceError)) throw error
          problem = t(`report.evidence.errors.${error.problem}`, {
            photoMb: EVIDENCE_LIMITS.photoBytes / MB,
            audioMb: EVIDENCE_LIMITS.audioBytes / MB,
            max: EVIDENCE_LIMITS.files,
          })
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
      return reply.redirect(evidenceNext(request, answers), 303)
    },
  )

  app.post(
    `${reportingPaths.step('evidence')}/remove`,
    { config: { access: 'public', audit: { action: 'REPORT_EVIDENCE_REMOVED', subjectType: 'report_draft' } } },
    async (request, reply) => {
      const draft = await activeDraft(request)
      const id = text(bodyOf(request), 'remove')
      const back = changing(request) ? '?change=check' : ''
      if (!draft) return reply.redirect(reportingPaths.step('evidence'), 303)
      const files = draftEvidence(draft.answers)
      if (files.some(file => file.id === id)) {
        await evidence.remove(draft.id, id)
        await save(request, reply, { evidence: files.filter(file => file.id !== id) })
        request.auditContext.details = { evidenceId: id }
      } else request.auditContext.skip = true
      return reply.redirect(`${reportingPaths.step('evidence')}${back}`, 303)
    },
  )

  app.get(reportingPaths.start, { config: { access: 'public', audit: false } }, async (_request, reply) =>
    reply.view(view('start'), { borough: geography.borough() }),
  )

  app.get(reportingPaths.step('advice'), { config: { access: 'public', audit: false } }, async (request, reply) => {
    const draft = await activeDraft(request)
    const triage = typeof draft?.answers.triage === 'string' ? draft.answers.triage : 'not_sure'
    return reply.view(view('advice'), { triage, borough: geography.borough() })
  })

  app.get(reportingPaths.step('outside'), { config: { access: 'public', audit: false } }, async (request, reply) => {
    const draft = await activeDraft(request)
    const outside = (draft?.answers.outside ?? null) as {
      council: string | null
      policeForce: string | null
      postcode: string
    } | null
    if (!outside) return reply.redirect(reportingPaths.step('where'), 303)
    return reply.view(view('outside'), { outside, borough: geography.borough() })
  })

  // "Is it one of these?": nearby similar reports before submitting; linking adds to one, nothing is discarded.
  app.get(
    reportingPaths.step('similar'),
    { config: { access: 'public', audit: draftAudit } },
    async (request, reply) => {
      const draft = await activeDraft(request)
      const missing = draft ? firstMissingStep(draft.answers) : 'what'
      if (!draft || missing) return reply.redirect(reportingPaths.step(missing ?? 'what'), 303)
      const candidates = await candidatesFor(draft.answers)
      if (candidates.length === 0) return reply.redirect(reportingPaths.step('check'), 303)
      // The page carries opaque tokens, never references: which report each token means stays in the draft.
      const offered = presentCandidates(candidates, wardName).map((shown, index) => ({
        ...shown,
        token: randomBytes(12).toString('base64url'),
        reference: candidates[index]?.reference ?? '',
      }))
      await save(request, reply, { similarOffered: offered })
      return reply.view(view('similar'), {
        candidates: offered.map(({ category, where, week, token }) => ({ category, where, week, token })),
      })
    },
  )

  app.post(
    reportingPaths.step('similar'),
    { config: { access: 'public', audit: { action: 'REPORT_DRAFT_UPDATED', subjectType: 'report_draft' } } },
    async (request, reply) => {
      const draft = await activeDraft(request)
      if (!draft) return reply.redirect(reportingPaths.step('what'), 303)
      const choice = text(bodyOf(request), 'choice')
      const offered = similarOffered(draft.answers).find(entry => choice !== '' && entry.token === choice)
      // Still a candidate now (same type, nearby, recent), or the choice is dropped.
      const stillCandidate =
        offered !== undefined &&
        (await candidatesFor(draft.answers)).some(candidate => candidate.reference === offered.reference)
      const linked = stillCandidate ? offered : undefined
      await save(request, reply, {
        linkedReference: linked ? linked.reference : '',
        linkedSummary: linked ? { category: linked.category, where: linked.where, week: linked.week } : null,
        similarOffered: [],
        similarSeen: true,
      })
      return reply.redirect(reportingPaths.step('check'), 303)
    },
  )

  async function candidatesFor(answers: Answers) {
    const category = typeof answers.category === 'string' ? answers.category : ''
    const wardCode = typeof answers.wardCode === 'string' ? answers.wardCode : ''
    if (!findCategory(category) || !wardCode) return []
    let point: { latitude: number; longitude: number } | null = null
    if (typeof answers.latitude === 'number' && typeof answers.longitude === 'number')
      point = { latitude: answers.latitude, longitude: answers.longitude }
    else if (answers.locationMode === 'postcode' && typeof answers.postcode === 'string') {
      const found = await geography.lookupPostcode(answers.postcode)
      if (found.status === 'found') point = found.point
    }
    return intake.findDuplicateCandidates({ category, point, wardCode })
  }

  const checkModel = (answers: Answers) => ({
    rows: presentCheckAnswers(answers, wardName),
    ...linkedModel(answers),
  })

  app.get(reportingPaths.step('check'), { config: { access: 'public', audit: draftAudit } }, async (request, reply) => {
    const draft = await drafts.find(draftId(request))
    if (draft?.reportId) return reply.redirect(reportingPaths.confirmation, 303)
    const missing = draft ? firstMissingStep(draft.answers) : 'triage'
    if (!draft || missing) return reply.redirect(reportingPaths.step(missing ?? 'triage'), 303)
    return reply.view(view('check'), checkModel(draft.answers))
  })

  app.post(
    reportingPaths.step('check'),
    { config: { access: 'public', audit: { action: 'REPORT_SUBMITTED', subjectType: 'report' } } },
    async (request, reply) => {
      if (text(bodyOf(request), HONEYPOT) !== '') {
        request.auditContext.skip = true
        return reply.code(400).view('errors/400.njk', { message: t('report.check.rejected') })
      }
      const draft = await drafts.find(draftId(request))
      if (!draft) return reply.redirect(reportingPaths.step('triage'), 303)
      if (draft.reportId) return reply.redirect(reportingPaths.confirmation, 303)
      const missing = firstMissingStep(draft.answers)
      if (missing) return reply.redirect(reportingPaths.step(missing), 303)
      const trackingCode = newTrackingCode({ secret: reporting.secret, key: draft.id })
      try {
        const result = await intake.submit(
          toIntakeInput(draft.answers, { idempotencyKey: draftIdempotencyKey(draft.id), trackingCode }),
          request.actor,
          { correlationId: request.id, evidenceIds: draftEvidence(draft.answers).map(file => file.id) },
        )
        request.auditContext.subjectId = String(result.report.id)
        return await reply.redirect(reportingPaths.confirmation, 303)
      } catch (error) {
        if (!(error instanceof IntakeError)) throw error
        request.auditContext.skip = true
        if (error.kind === 'outside_borough') {
          await save(
            request,
            reply,
            outsideAnswers(error.neighbour, typeof draft.answers.postcode === 'string' ? draft.answers.postcode : ''),
          )
          return reply.redirect(reportingPaths.step('outside'), 303)
        }
        const errors = { submit: t('report.check.errors.problem') }
        return reply.code(400).view(view('check'), {
          ...checkModel(draft.answers),
          errors,
          errorSummary: [{ text: errors.submit, href: '#check-answers' }],
        })
      }
    },
  )

  app.get(
    reportingPaths.confirmation,
    { config: { access: 'public', audit: { action: 'REPORT_CONFIRMATION_VIEWED', subjectType: 'report' } } },
    async (request, reply) => {
      const draft = await drafts.find(draftId(request))
      if (!draft?.reportId) return reply.redirect(reportingPaths.start, 303)
      const report = await reporting.repository.findById(draft.reportId)
      if (!report) return reply.redirect(reportingPaths.start, 303)
      request.auditContext.subjectId = String(report.id)
      const code = newTrackingCode({ secret: reporting.secret, key: draft.id })
      const category = findCategory(report.category)
      return reply.view(view('confirmation'), {
        reference: report.reference,
        trackingCode: formatTrackingCode(code),
        trackingUrl: reportingPaths.tracking(report.reference, code),
        owner: category?.owner ?? 'council',
        ...linkedModel(draft.answers),
        contactPreference: report.contact_preference,
        borough: geography.borough(),
      })
    },
  )

  // Tracking
  app.get(reportingPaths.track, { config: { access: 'public', audit: false } }, async (_request, reply) =>
    reply.view(view('track-start'), { values: {} }),
  )

  app.post(reportingPaths.track, { config: { access: 'public', audit: false } }, async (request, reply) => {
    const body = bodyOf(request)
    const values = { reference: text(body, 'reference'), code: text(body, 'code') }
    const errors: Errors = {}
    if (values.reference === '') errors.reference = t('report.track.errors.referenceRequired')
    if (values.code === '') errors.code = t('report.track.errors.codeRequired')
    if (Object.keys(errors).length === 0) {
      const found = await reports.findForTracking(values.reference, values.code)
      if (found)
        return reply.redirect(reportingPaths.tracking(found.report.reference, normaliseTrackingCode(values.code)), 303)
      errors.reference = t('report.track.errors.notFound')
    }
    return reply.code(400).view(view('track-start'), { values, errors, errorSummary: errorSummary(errors) })
  })

  const TrackParams = Type.Object({ reference: Type.String({ maxLength: 20 }), code: Type.String({ maxLength: 20 }) })

  app.get(
    '/track/:reference/:code',
    {
      config: { access: 'public', audit: { action: 'REPORT_TRACKED', subjectType: 'report' } },
      schema: { params: TrackParams },
    },
    async (request, reply) => {
      const found = await reports.findForTracking(request.params.reference, request.params.code)
      if (!found) {
        request.auditContext.skip = true
        return reply.callNotFound()
      }
      request.auditContext.subjectId = String(found.report.id)
      return reply.view(view('track'), {
        tracking: presentTracking(found.report, found.updates),
        caseReview: found.caseReview,
        caseReviewUrl:
          options.caseReviewHref?.(found.report.reference, normaliseTrackingCode(request.params.code)) ?? null,
        againUrl: `${reportingPaths.tracking(found.report.reference, normaliseTrackingCode(request.params.code))}/again`,
        borough: geography.borough(),
      })
    },
  )

  // "Report it again": a new draft with what is still true (what and where), linked to the earlier report.
  app.post(
    '/track/:reference/:code/again',
    {
      config: { access: 'public', audit: { action: 'REPORT_DRAFT_UPDATED', subjectType: 'report_draft' } },
      schema: { params: TrackParams },
    },
    async (request, reply) => {
      const found = await reports.findForTracking(request.params.reference, request.params.code)
      if (!found) return reply.callNotFound()
      const { report } = found
      reply.clearCookie(DRAFT_COOKIE, { path: '/' })
      request.cookies[DRAFT_COOKIE] = undefined
      await save(request, reply, {
        triage: 'asb',
        category: report.category,
        locationMode:
          report.latitude !== null && report.postcode === null ? 'point' : report.postcode ? 'postcode' : 'ward',
        postcode: report.postcode ?? '',
        latitude: report.postcode === null ? report.latitude : null,
        longitude: report.postcode === null ? report.longitude : null,
        wardCode: report.ward_code,
        locationDescription: report.location_description ?? '',
        linkedReference: report.reference,
      })
      return reply.redirect(reportingPaths.step('when'), 303)
    },
  )

  // Staff pages: officers and supervisors (see the accounts module's access control).
  const staffAccess = { roles: ['officer', 'supervisor'] } as const

  const ListQuery = Type.Object({
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    ward: Type.Optional(Type.String({ maxLength: 20 })),
    status: Type.Optional(Type.String({ maxLength: 20 })),
  })

  app.get(
    reportingPaths.staffReports,
    { config: { access: staffAccess, audit: 'STAFF_REPORTS_LISTED' }, schema: { querystring: ListQuery } },
    async (request, reply) => {
      const user = request.user
      if (!user) return reply.callNotFound()
      const status = STATUSES.find(value => value === request.query.status)
      const ward = request.query.ward && geography.ward(request.query.ward) ? request.query.ward : undefined
      const page = request.query.page ?? 1
      const list = await reports.listForStaff({ page, wardCode: ward, status, visible: visibleReports(user) })
      return reply.view(view('staff-reports'), {
        rows: list.rows.map(row => ({
          reference: row.reference,
          href: reportingPaths.staffReport(row.reference),
          receivedAt: row.received_at,
          category: categoryLabel(row.category),
          qualifier: row.nsir_qualifier,
          ward: wardName(row.ward_code),
          priority: row.priority,
          status: row.status,
          hate: row.hate,
          flags: row.flags,
        })),
        total: list.total,
        page,
        pages: Math.max(1, Math.ceil(list.total / list.pageSize)),
        filters: { ward: ward ?? '', status: status ?? '' },
        wardItems: [
          { value: '', text: t('report.staff.allWards') },
          ...geography.wards().map(w => ({ value: w.code, text: w.name, selected: w.code === ward })),
        ],
        statusItems: [
          { value: '', text: t('report.staff.allStatuses') },
          ...STATUSES.map(s => ({ value: s, text: t(`report.status.${s}.label`), selected: s === status })),
        ],
      })
    },
  )

  const RefParams = Type.Object({ reference: Type.String({ maxLength: 20 }) })

  /** Only after the resource check (config.resource): it shows what the decision lets this user see. */
  async function staffReportPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const found = await reports.findByReference((request.params as { reference: string }).reference)
    if (!found) throw notFoundError(app, request)
    const withheld = request.resourceDecision?.restrictions.includes(RESTRICTIONS.reporterContact) ?? true
    const report = withheld ? { ...found, reporter_name: null, reporter_email: null, reporter_phone: null } : found
    const updates = await reporting.repository.updatesFor(report.id)
    const files = await evidence.forReport(report.id)
    return reply.code(status).view(view('staff-report'), {
      report,
      evidence: files.map(file => ({
        href: reportingPaths.staffEvidence(report.reference, file.id),
        name: file.file_name,
        kind: file.kind,
        size: formatBytes(file.size_bytes),
        linkText: t(file.kind === 'photo' ? 'report.staff.viewPhoto' : 'report.staff.playRecording'),
      })),
      categoryLabel: categoryLabel(report.category),
      ward: wardName(report.ward_code),
      tracking: presentTracking(report, updates),
      flags: report.flags,
      impact: report.impact,
      statusItems: STATUSES.filter(s => s !== 'received').map(s => ({ value: s, text: t(`report.status.${s}.label`) })),
      closureItems: CLOSURE_REASONS.map(reason => ({ value: reason, text: t(`report.closureReasons.${reason}`) })),
      values: {},
      reporterWithheld: withheld,
      ...extra,
    })
  }

  app.get(
    '/staff/reports/:reference',
    {
      config: {
        access: staffAccess,
        audit: { action: 'STAFF_REPORT_VIEWED', subjectType: 'report' },
        resource: { type: 'report', param: 'reference', action: 'view' },
      },
      schema: { params: RefParams },
    },
    async (request, reply) => staffReportPage(request, reply),
  )

  // Evidence files: staff only, never public; every opening is an audit event naming the file.
  app.get(
    '/staff/reports/:reference/evidence/:id',
    {
      config: {
        access: staffAccess,
        audit: { action: 'REPORT_EVIDENCE_VIEWED', subjectType: 'report' },
        resource: { type: 'report', param: 'reference', action: 'view' },
      },
      schema: {
        params: Type.Object({ reference: Type.String({ maxLength: 20 }), id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => {
      const report = await reports.findByReference(request.params.reference)
      const file = report ? await evidence.content(report.id, request.params.id) : undefined
      if (!report || !file) {
        request.auditContext.skip = true
        throw notFoundError(app, request)
      }
      // The subject (the report, or the case holding it) was set by the resource check.
      request.auditContext.details = { ...request.auditContext.details, evidenceId: file.id, kind: file.kind }
      return reply
        .header('content-type', file.content_type)
        .header('content-disposition', `inline; filename="${file.file_name.replace(/"/g, '')}"`)
        .header('content-security-policy', "default-src 'none'; img-src 'self'; media-src 'self'; sandbox")
        .header('cross-origin-resource-policy', 'same-origin')
        .send(file.content)
    },
  )

  app.post(
    '/staff/reports/:reference/status',
    {
      config: {
        access: staffAccess,
        audit: { action: 'STAFF_REPORT_STATUS_POSTED', subjectType: 'report' },
        resource: { type: 'report', param: 'reference', action: 'change' },
      },
      schema: { params: RefParams },
    },
    async (request, reply) => {
      const body = bodyOf(request)
      const values = {
        status: text(body, 'status'),
        closureReason: text(body, 'closureReason'),
        referredAgency: text(body, 'referredAgency'),
        publicNote: text(body, 'publicNote'),
      }
      const change = toStatusChange(values)
      let problem = change ? undefined : t('report.staff.errors.status')
      if (change) {
        try {
          await reports.changeStatus(request.params.reference, change, request.actor)
        } catch (error) {
          if (!(error instanceof StatusChangeError)) throw error
          problem = t(`report.staff.errors.${error.code}`)
        }
      }
      if (problem) {
        const errors = { status: problem }
        return staffReportPage(request, reply, { values, errors, errorSummary: errorSummary(errors) }, 400)
      }
      return reply.redirect(reportingPaths.staffReport(request.params.reference), 303)
    },
  )

  // Public, anonymised counts for a ward: categories only, no points, no people, and small counts of sensitive types
  // suppressed (with secondary suppression so the total cannot give them away: docs/public-data.md).
  app.get(
    '/wards/:code/reports',
    {
      config: { access: 'public', audit: false },
      schema: { params: Type.Object({ code: Type.String({ maxLength: 20 }) }) },
    },
    async (request, reply) => {
      const ward = geography.ward(request.params.code)
      if (!ward) return reply.callNotFound()
      const borough = geography.borough()
      const { since, counts } = await reports.wardCounts(ward.code, 12)
      const threshold = options.smallNumberThreshold ?? 3
      const table = presentWardCounts(counts, threshold)
      return reply.view(view('ward-reports'), {
        borough,
        ward,
        since,
        ...table,
        lsoas: geography.lsoas(2021).filter(lsoa => lsoa.wardCode === ward.code),
        map: presentAreaMap(geography.wardGeometries(), {
          title: `Map of ${borough.shortName} with ${ward.name} highlighted`,
          href: geographyPaths.ward,
          highlight: ward.code,
          width: 480,
        }),
      })
    },
  )
}

/** 1.2 MB, 340 KB: file sizes as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${(bytes / MB).toFixed(1)} MB`
  return `${String(Math.max(1, Math.round(bytes / 1024)))} KB`
}

function toStatusChange(values: {
  status: string
  closureReason: string
  referredAgency: string
  publicNote: string
}): StatusChange | undefined {
  const note = values.publicNote === '' ? undefined : values.publicNote
  switch (values.status) {
    case 'assessed':
    case 'in_progress':
    case 'action_taken':
      return { status: values.status, publicNote: note }
    case 'closed':
      if (values.closureReason === 'resolved') return { status: 'closed', closureReason: 'resolved', publicNote: note }
      if (values.closureReason === 'no_further_action' || values.closureReason === 'not_asb')
        return { status: 'closed', closureReason: values.closureReason, publicNote: values.publicNote }
      if (values.closureReason === 'referred')
        return { status: 'closed', closureReason: 'referred', referredAgency: values.referredAgency, publicNote: note }
      return undefined
    default:
      return undefined
  }
}
