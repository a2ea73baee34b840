/**
 * The satisfaction check-in after a case closes: the resident follows the link in their notification and answers two
 * questions. The token in the link is stored only as a hash; it works once, until it expires. Public and rate-limited.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify'

import { errorSummary, field, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { oneOf } from './casework-forms.js'
import { hashToken, type CaseworkService } from './casework-service.js'

const SATISFACTION = ['very_satisfied', 'satisfied', 'neither', 'dissatisfied', 'very_dissatisfied'] as const
const SAFER = ['yes', 'no', 'not_sure'] as const

export const checkinRoutes: FastifyPluginAsync<{ casework: CaseworkService; ratePerMinute: number }> = async (
  app,
  { casework, ratePerMinute },
) => {
  const { db } = casework.repository
  const limit = { rateLimit: { max: ratePerMinute, timeWindow: '1 minute' } }

  async function findCheckin(token: string) {
    if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return undefined
    const row = await db
      .selectFrom('case_checkin as k')
      .innerJoin('report as r', 'r.id', 'k.report_id')
      .select(['k.id', 'k.expires_at', 'k.answered_at', 'r.reference'])
      .where('k.token_hash', '=', hashToken(token))
      .executeTakeFirst()
    return row && row.expires_at > casework.now() ? row : undefined
  }

  function form(reply: FastifyReply, reference: string, values: Record<string, string>, errors?: FieldErrors) {
    return reply.code(errors ? 400 : 200).view('casework/views/checkin.njk', {
      reference,
      values,
      errors,
      errorSummary: errors ? errorSummary(errors) : undefined,
      satisfactionItems: SATISFACTION.map(value => ({ value, text: t(`casework.checkin.satisfaction.${value}`) })),
      saferItems: SAFER.map(value => ({ value, text: t(`casework.checkin.safer.${value}`) })),
    })
  }

  app.get<{ Params: { token: string } }>(
    '/check-in/:token',
    { config: { access: 'public', audit: false, ...limit } },
    async (request, reply) => {
      const checkin = await findCheckin(request.params.token)
      if (!checkin) return reply.callNotFound()
      if (checkin.answered_at) return reply.view('casework/views/checkin-done.njk', { already: true })
      return form(reply, checkin.reference, {})
    },
  )

  app.post<{ Params: { token: string } }>(
    '/check-in/:token',
    { config: { access: 'public', audit: false, ...limit } },
    async (request, reply) => {
      const checkin = await findCheckin(request.params.token)
      if (!checkin) return reply.callNotFound()
      if (checkin.answered_at) return reply.view('casework/views/checkin-done.njk', { already: true })
      const values = {
        satisfaction: field(request.body, 'satisfaction'),
        feelsSafer: field(request.body, 'feelsSafer'),
        comment: field(request.body, 'comment'),
      }
      const errors: FieldErrors = {}
      const satisfaction = oneOf(SATISFACTION, values.satisfaction)
      if (!satisfaction) errors.satisfaction = t('casework.checkin.errors.satisfaction')
      const feelsSafer = oneOf(SAFER, values.feelsSafer)
      if (!feelsSafer) errors.feelsSafer = t('casework.checkin.errors.safer')
      if (values.comment.length > 2000) errors.comment = t('casework.checkin.errors.comment')
      if (!satisfaction || !feelsSafer || Object.keys(errors).length > 0)
        return form(reply, checkin.reference, values, errors)
      await db
        .updateTable('case_checkin')
        .set({ answered_at: casework.now(), satisfaction, feels_safer: feelsSafer, comment: values.comment || null })
        .where('id', '=', checkin.id)
        .where('answered_at', 'is', null)
        .execute()
      return reply.view('casework/views/checkin-done.njk', { already: false })
    },
  )
}
