/**
 * Signing in and out, the second factor (and setting it up on first sign-in), forgotten passwords, and the user's own
 * account page. The half-signed-in state between password and code lives in its own short-lived cookie scoped to
 * /sign-in; the session cookie is issued only when both factors are done, with a fresh id.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'

import { errorSummary, field, safeNext, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { accountsPaths } from './accounts-paths.js'
import { AccountsError, EMAIL_PATTERN, type AccountsService } from './accounts-service.js'
import { SESSION_COOKIE, sessionCookieOptions } from './auth-plugin.js'
import {
  STAFF_ALERT_DELIVERIES,
  STAFF_ALERT_EVENTS,
  type StaffAlertDelivery,
  type StaffAlertEvent,
} from './staff-alerts.js'

const SIGN_IN_COOKIE = 'safer_sign_in'

/*
 * Form fields are accepted as any string: what a person typed is checked by the handler, which shows the form again
 * with an error summary (400), never a bare validation error. Passwords are never trimmed.
 */
const Text = Type.Optional(Type.String())
const NextQuery = Type.Object({ next: Text })
const SignInQuery = Type.Object({ next: Text, expired: Text, 'signed-out': Text })
const SignInBody = Type.Object({ email: Text, password: Text, next: Text })
const CodeBody = Type.Object({ code: Text, next: Text })
const ForgottenBody = Type.Object({ email: Text })
const TokenQuery = Type.Object({ token: Text })
const ResetBody = Type.Object({ token: Text, password: Text, confirmPassword: Text })
const SavedQuery = Type.Object({ saved: Text })
const ChangePasswordBody = Type.Object({ currentPassword: Text, newPassword: Text, confirmPassword: Text })
const view = (name: string) => `accounts/views/${name}.njk`

export interface AccountsRoutesOptions {
  accounts: AccountsService
  secure: boolean
  /** Where staff land after signing in when no page was asked for. */
  homePath: string
  publicBaseUrl: string
  idleMinutes: number
  /** Attempts a minute from one client at each sign-in step. */
  signInPerMinute: number
  /** How long a refusal for too many failures lasts (ADR 0021), for the message. */
  throttleMinutes: number
}

export const accountsRoutes: FastifyPluginAsyncTypebox<AccountsRoutesOptions> = async (app, options) => {
  const { accounts, secure, homePath } = options
  const signInLimit = { max: options.signInPerMinute, timeWindow: '1 minute' }
  const signInCookie = { path: accountsPaths.signIn, httpOnly: true, sameSite: 'strict' as const, secure, maxAge: 600 }

  function pendingToken(request: FastifyRequest): string | undefined {
    return request.cookies[SIGN_IN_COOKIE]
  }

  function finish(reply: FastifyReply, token: string, next: string) {
    reply.clearCookie(SIGN_IN_COOKIE, { path: accountsPaths.signIn })
    reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(secure))
    return reply.redirect(safeNext(next, homePath), 303)
  }

  /** The refusal after too many failures: the same words whether or not the email has an account (ADR 0021). */
  function throttledMessage(): string {
    return t('accounts.errors.throttled', { minutes: options.throttleMinutes })
  }

  /** The sign-in page again, refusing this client for now (429, like the per-minute limit). */
  function throttledPage(reply: FastifyReply, email: string, next: string) {
    reply.clearCookie(SIGN_IN_COOKIE, { path: accountsPaths.signIn })
    const errors = { email: throttledMessage() }
    return reply
      .code(429)
      .view(view('sign-in'), { values: { email }, next, errors, errorSummary: errorSummary(errors) })
  }

  app.get(
    accountsPaths.signIn,
    { config: { access: 'public', audit: false }, schema: { querystring: SignInQuery } },
    async (request, reply) => {
      const query = request.query
      if (request.user) return reply.redirect(safeNext(query.next, homePath), 303)
      return reply.view(view('sign-in'), {
        values: {},
        next: safeNext(query.next, ''),
        expired: query.expired === '1',
        signedOut: query['signed-out'] === '1',
        idleMinutes: options.idleMinutes,
      })
    },
  )

  app.post(
    accountsPaths.signIn,
    { config: { access: 'public', audit: false, rateLimit: signInLimit }, schema: { body: SignInBody } },
    async (request, reply) => {
      const email = field(request.body, 'email')
      const password = request.body.password ?? ''
      const next = safeNext(field(request.body, 'next'), '')
      const errors: FieldErrors = {}
      if (!email) errors.email = t('accounts.errors.emailMissing')
      else if (!EMAIL_PATTERN.test(email)) errors.email = t('accounts.errors.email')
      if (!password) errors.password = t('accounts.errors.passwordMissing')
      if (Object.keys(errors).length === 0) {
        const result = await accounts.signInWithPassword(email, password, request.ip)
        if (result.kind === 'ok') {
          reply.setCookie(SIGN_IN_COOKIE, result.token, signInCookie)
          const step = result.enrolled ? accountsPaths.code : accountsPaths.setUp
          return reply.redirect(next ? `${step}?next=${encodeURIComponent(next)}` : step, 303)
        }
        if (result.kind === 'throttled') return throttledPage(reply, email, next)
        errors.email = t('accounts.errors.credentials')
      }
      return reply.code(400).view(view('sign-in'), {
        values: { email },
        next,
        errors,
        errorSummary: errorSummary(errors),
      })
    },
  )

  app.get(
    accountsPaths.code,
    { config: { access: 'public', audit: false }, schema: { querystring: NextQuery } },
    async (request, reply) => {
      if (!pendingToken(request)) return reply.redirect(accountsPaths.signIn, 303)
      return reply.view(view('code'), { next: safeNext(request.query.next, '') })
    },
  )

  app.post(
    accountsPaths.code,
    { config: { access: 'public', audit: false, rateLimit: signInLimit }, schema: { body: CodeBody } },
    async (request, reply) => {
      const token = pendingToken(request)
      const next = safeNext(field(request.body, 'next'), '')
      if (!token) return reply.redirect(accountsPaths.signIn, 303)
      const code = field(request.body, 'code')
      const errors: FieldErrors = {}
      if (!code) errors.code = t('accounts.errors.codeMissing')
      else if (!/^\d{6}$/.test(code.replace(/[\s-]/g, ''))) errors.code = t('accounts.errors.codeFormat')
      else {
        const result = await accounts.verifyCode(token, code, request.ip)
        if (result.kind === 'ok') return finish(reply, result.token, next)
        if (result.kind === 'throttled') return throttledPage(reply, '', next)
        errors.code = t('accounts.errors.codeWrong')
      }
      return reply.code(400).view(view('code'), { next, errors, errorSummary: errorSummary(errors) })
    },
  )

  /** The authenticator set-up page; `next` from the form posted, or the address's query. */
  async function setUpPage(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    next: string | undefined,
    errors?: FieldErrors,
  ) {
    const token = pendingToken(request)
    const enrolment = token ? await accounts.enrolmentFor(token) : undefined
    if (!enrolment) return reply.redirect(accountsPaths.signIn, 303)
    return reply.code(status).view(view('set-up'), {
      enrolment,
      next: safeNext(next, ''),
      errors,
      errorSummary: errors ? errorSummary(errors) : undefined,
    })
  }

  app.get(
    accountsPaths.setUp,
    { config: { access: 'public', audit: false }, schema: { querystring: NextQuery } },
    async (request, reply) => setUpPage(request, reply, 200, request.query.next),
  )

  app.post(
    accountsPaths.setUp,
    {
      config: { access: 'public', audit: false, rateLimit: signInLimit },
      schema: { querystring: NextQuery, body: CodeBody },
    },
    async (request, reply) => {
      const token = pendingToken(request)
      if (!token) return reply.redirect(accountsPaths.signIn, 303)
      const code = field(request.body, 'code')
      const next = safeNext(field(request.body, 'next'), '')
      const shownNext = field(request.body, 'next') || request.query.next
      if (!/^\d{6}$/.test(code.replace(/[\s-]/g, ''))) {
        return setUpPage(request, reply, 400, shownNext, {
          code: code ? t('accounts.errors.codeFormat') : t('accounts.errors.codeMissing'),
        })
      }
      const result = await accounts.confirmEnrolment(token, code, request.ip)
      if (result.kind === 'ok') return finish(reply, result.token, next)
      if (result.kind === 'throttled') return throttledPage(reply, '', next)
      return setUpPage(request, reply, 400, shownNext, { code: t('accounts.errors.codeWrong') })
    },
  )

  app.post(accountsPaths.signOut, { config: { access: 'public', audit: false } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE]
    if (token) await accounts.signOut(token)
    reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(secure))
    return reply.redirect(`${accountsPaths.signIn}?signed-out=1`, 303)
  })

  app.get(accountsPaths.forgotten, { config: { access: 'public', audit: false } }, async (_request, reply) =>
    reply.view(view('forgotten'), { values: {} }),
  )

  app.post(
    accountsPaths.forgotten,
    { config: { access: 'public', audit: false, rateLimit: signInLimit }, schema: { body: ForgottenBody } },
    async (request, reply) => {
      const email = field(request.body, 'email')
      if (!EMAIL_PATTERN.test(email)) {
        const errors = { email: email ? t('accounts.errors.email') : t('accounts.errors.emailMissing') }
        return reply
          .code(400)
          .view(view('forgotten'), { values: { email }, errors, errorSummary: errorSummary(errors) })
      }
      await accounts.requestPasswordReset(
        email,
        token => `${options.publicBaseUrl}${accountsPaths.reset}?token=${encodeURIComponent(token)}`,
      )
      return reply.view(view('forgotten-sent'), {})
    },
  )

  app.get(
    accountsPaths.reset,
    { config: { access: 'public', audit: false }, schema: { querystring: TokenQuery } },
    async (request, reply) => {
      const token = request.query.token ?? ''
      if (!(await accounts.resetTokenValid(token))) return reply.code(400).view(view('reset-expired'), {})
      return reply.view(view('reset'), { token })
    },
  )

  app.post(
    accountsPaths.reset,
    { config: { access: 'public', audit: false, rateLimit: signInLimit }, schema: { body: ResetBody } },
    async (request, reply) => {
      const body = request.body
      const token = field(body, 'token')
      const password = body.password ?? ''
      const confirm = body.confirmPassword ?? ''
      const errors: FieldErrors = {}
      if (!password) errors.password = t('accounts.errors.passwordMissing')
      else if (password !== confirm) errors.confirmPassword = t('accounts.errors.passwordMismatch')
      if (Object.keys(errors).length === 0) {
        try {
          await accounts.resetPassword(token, password)
          return await reply.redirect(`${accountsPaths.signIn}?reset=1`, 303)
        } catch (error) {
          if (!(error instanceof AccountsError)) throw error
          if (error.field === 'token') return reply.code(400).view(view('reset-expired'), {})
          errors.password = t(error.messageKey)
        }
      }
      return reply.code(400).view(view('reset'), { token, errors, errorSummary: errorSummary(errors) })
    },
  )

  app.get(
    accountsPaths.account,
    { config: { access: 'staff', audit: false }, schema: { querystring: SavedQuery } },
    async (request, reply) => reply.view(view('account'), { user: request.user, saved: request.query.saved === '1' }),
  )

  // Staff notifications: each event at once, in the daily digest, or off (ADR 0053).
  const NotificationsBody = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]))
  const notificationsPage = (
    reply: FastifyReply,
    choices: Record<string, string>,
    status = 200,
    errors?: FieldErrors,
    saved = false,
  ) =>
    reply.code(status).view(view('notifications'), {
      saved,
      errors,
      errorSummary: errors ? errorSummary(errors) : undefined,
      events: STAFF_ALERT_EVENTS.map(event => ({
        name: `event-${event}`,
        legend: t(`staffAlerts.events.${event}.name`),
        hint: t(`staffAlerts.events.${event}.hint`),
        error: errors?.[`event-${event}`],
        items: STAFF_ALERT_DELIVERIES.map(delivery => ({
          value: delivery,
          text: t(`staffAlerts.deliveries.${delivery}`),
          checked: choices[event] === delivery,
        })),
      })),
    })

  app.get(
    accountsPaths.notifications,
    { config: { access: 'staff', audit: false }, schema: { querystring: SavedQuery } },
    async (request, reply) => {
      const user = request.user
      if (!user) return reply.callNotFound()
      return notificationsPage(
        reply,
        await accounts.staffAlerts.preferences(user.id),
        200,
        undefined,
        request.query.saved === '1',
      )
    },
  )

  app.post(
    accountsPaths.notifications,
    { config: { access: 'staff', audit: false }, schema: { body: NotificationsBody } },
    async (request, reply) => {
      const user = request.user
      if (!user) return reply.callNotFound()
      const errors: FieldErrors = {}
      const choices: Record<string, string> = {}
      for (const event of STAFF_ALERT_EVENTS) {
        const value = field(request.body, `event-${event}`)
        choices[event] = value
        if (!STAFF_ALERT_DELIVERIES.some(delivery => delivery === value))
          errors[`event-${event}`] = t('staffAlerts.errors.choose', { event: t(`staffAlerts.events.${event}.name`) })
      }
      if (Object.keys(errors).length > 0) return notificationsPage(reply, choices, 400, errors)
      await accounts.staffAlerts.savePreferences(
        user.id,
        choices as Record<StaffAlertEvent, StaffAlertDelivery>,
        request.actor,
      )
      return reply.redirect(`${accountsPaths.notifications}?saved=1`, 303)
    },
  )

  app.post(
    accountsPaths.changePassword,
    { config: { access: 'staff', audit: false, rateLimit: signInLimit }, schema: { body: ChangePasswordBody } },
    async (request, reply) => {
      const body = request.body
      const current = body.currentPassword ?? ''
      const next = body.newPassword ?? ''
      const confirm = body.confirmPassword ?? ''
      const errors: FieldErrors = {}
      if (!current) errors.currentPassword = t('accounts.errors.passwordMissing')
      if (!next) errors.newPassword = t('accounts.errors.passwordMissing')
      else if (next !== confirm) errors.confirmPassword = t('accounts.errors.passwordMismatch')
      const user = request.user
      const sessionToken = request.cookies[SESSION_COOKIE]
      if (Object.keys(errors).length === 0 && user && sessionToken) {
        try {
          // Every other session of the user ends; this one continues under a new id.
          const rotated = await accounts.changePassword(sessionToken, current, next, request.ip)
          reply.setCookie(SESSION_COOKIE, rotated, sessionCookieOptions(secure))
          return await reply.redirect(`${accountsPaths.account}?saved=1`, 303)
        } catch (error) {
          if (!(error instanceof AccountsError)) throw error
          errors[error.field] = t(error.messageKey)
        }
      }
      return reply.code(400).view(view('account'), { user, errors, errorSummary: errorSummary(errors) })
    },
  )
}
