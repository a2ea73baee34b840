/**
 * What every resident-journey route shares: the draft in progress (its id in a signed cookie, its answers in
 * `report_draft`), the loose form body schema, and the "change from check your answers" round trip.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'

import type { DraftService } from './draft-service.js'
import { text, type Answers, type Body } from './journey.js'
import { reportingPaths } from './reporting-paths.js'

export const DRAFT_COOKIE = 'safer_report'

export const view = (name: string) => `reporting/views/${name}.njk`

/**
 * A form post, taken loosely: any field, any value (a repeated field is a list, an upload an object). The journey's
 * own validators decide what is wrong and re-render the page with a GOV.UK error summary (ADR 0004), so a bad answer
 * never meets Fastify's JSON 400.
 */
export const FormBody = Type.Record(Type.String(), Type.Unknown())

/** `?change=check`: the page was opened from "Check your answers". A repeated parameter is a list, not an error. */
export const ChangeQuery = Type.Object({
  change: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
})

export const isChanging = (query: { change?: string | string[] } | undefined) => query?.change === 'check'

/** Where a step goes next: back to "check" when the resident came from there, else on. */
export const returnTo = (body: Body, next: string) =>
  text(body, 'returnTo') === 'check' ? reportingPaths.step('check') : next

/** The audit of a draft page being looked at. */
export const draftAudit = { action: 'REPORT_DRAFT_VIEWED', subjectType: 'report_draft' }

/** The answers that send a resident to "outside the borough": who to contact instead, and the postcode they gave. */
export function outsideAnswers(
  neighbour: { name: string; policeForce: { name: string } | null } | null,
  postcode: string,
): Answers {
  return {
    outside: { council: neighbour?.name ?? null, policeForce: neighbour?.policeForce?.name ?? null, postcode },
  }
}

export type DraftSession = ReturnType<typeof createDraftSession>

/** The browser's draft: found by its signed cookie, saved with a fresh cookie (24 hours from the last answer). */
export function createDraftSession(deps: { drafts: DraftService; secure: boolean }) {
  const { drafts, secure } = deps

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

  /** The draft this browser holds, submitted or not (the confirmation and "check" pages need both). */
  const anyDraft = (request: FastifyRequest) => drafts.find(draftId(request))

  /** Forget this browser's draft: the next save starts a new one. */
  function forget(request: FastifyRequest, reply: FastifyReply) {
    reply.clearCookie(DRAFT_COOKIE, { path: '/' })
    request.cookies[DRAFT_COOKIE] = undefined
  }

  return { activeDraft, anyDraft, save, forget }
}
