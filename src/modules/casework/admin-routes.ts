/**
 * Allocation rules for the triage queue (administrators and supervisors): the first active rule, by position, whose
 * category, ward and channel all match (an empty condition matches anything) allocates a report to a team and,
 * optionally, a lead officer.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify'

import { errorSummary, field, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import type { AccountsService } from '../accounts/index.js'
import type { GeographyService } from '../geography/index.js'
import { CATEGORIES } from '../reporting/index.js'
import { categoryItems, categoryLabel } from './casework-forms.js'
import { caseworkPaths } from './casework-paths.js'
import type { CaseworkService } from './casework-service.js'
import { declareRecords } from '../../platform/resource-access.js'

const access = { roles: ['administrator', 'supervisor'] } as const
const CHANNELS = ['web', 'open311', 'phone', 'partner'] as const

export const allocationAdminRoutes: FastifyPluginAsync<{
  casework: CaseworkService
  accounts: AccountsService
  geography: GeographyService
}> = async (app, { casework, accounts, geography }) => {
  declareRecords(app, { none: 'allocation rules: configuration, no personal records' })
  async function page(reply: FastifyReply, values: Record<string, string>, errors?: FieldErrors) {
    const [rules, teams, users] = await Promise.all([
      casework.repository.allocationRules(),
      accounts.repository.listTeams(),
      accounts.repository.listUsers(),
    ])
    return reply.code(errors ? 400 : 200).view('casework/views/allocation-rules.njk', {
      rules: rules.map(rule => ({
        id: rule.id,
        position: rule.position,
        category: rule.category ? categoryLabel(rule.category) : t('casework.allocation.any'),
        ward: rule.ward_code ? (geography.ward(rule.ward_code)?.name ?? rule.ward_code) : t('casework.allocation.any'),
        channel: rule.channel ? t(`casework.channel.${rule.channel}`) : t('casework.allocation.any'),
        team: `${rule.partner_name}: ${rule.team_name}`,
        lead: rule.lead_officer_name ?? '',
        deleteHref: caseworkPaths.allocationRuleDelete(rule.id),
      })),
      values,
      errors,
      errorSummary: errors ? errorSummary(errors) : undefined,
      categoryItems: [{ value: '', text: t('casework.allocation.any') }, ...categoryItems(values.category)],
      wardItems: [
        { value: '', text: t('casework.allocation.any') },
        ...geography.wards().map(w => ({ value: w.code, text: w.name, selected: w.code === values.wardCode })),
      ],
      channelItems: [
        { value: '', text: t('casework.allocation.any') },
        ...CHANNELS.map(value => ({ value, text: t(`casework.channel.${value}`), selected: value === values.channel })),
      ],
      teamItems: [
        { value: '', text: '' },
        ...teams.map(team => ({
          value: team.id,
          text: `${team.partner_name}: ${team.name}`,
          selected: team.id === values.teamId,
        })),
      ],
      leadItems: [
        { value: '', text: t('casework.details.noLead') },
        ...users
          .filter(u => !u.disabledAt && u.roles.some(role => role === 'officer' || role === 'supervisor'))
          .map(u => ({
            value: u.id,
            text: `${u.displayName} (${u.partnerName})`,
            selected: u.id === values.leadOfficerId,
          })),
      ],
    })
  }

  app.get(caseworkPaths.allocationRules, { config: { access, audit: false } }, async (_request, reply) =>
    page(reply, { position: '' }),
  )

  app.post(caseworkPaths.allocationRules, { config: { access, audit: false } }, async (request, reply) => {
    const values = {
      position: field(request.body, 'position'),
      category: field(request.body, 'category'),
      wardCode: field(request.body, 'wardCode'),
      channel: field(request.body, 'channel'),
      teamId: field(request.body, 'teamId'),
      leadOfficerId: field(request.body, 'leadOfficerId'),
    }
    const errors: FieldErrors = {}
    const position = Number(values.position)
    if (!/^\d{1,4}$/.test(values.position)) errors.position = t('casework.allocation.errors.position')
    if (values.category && !CATEGORIES.some(category => category.code === values.category))
      errors.category = t('casework.errors.category')
    if (values.wardCode && !geography.ward(values.wardCode)) errors.wardCode = t('casework.allocation.errors.ward')
    if (values.channel && !(CHANNELS as readonly string[]).includes(values.channel))
      errors.channel = t('casework.allocation.errors.channel')
    const team = (await accounts.repository.listTeams()).find(item => item.id === values.teamId)
    if (!team) errors.teamId = t('casework.errors.team')
    const lead = values.leadOfficerId ? await accounts.repository.userById(values.leadOfficerId) : undefined
    if (values.leadOfficerId && !lead) errors.leadOfficerId = t('casework.errors.leadOfficer')
    if (Object.keys(errors).length > 0 || !team) return page(reply, values, errors)
    await casework.addAllocationRule(
      {
        position,
        category: values.category || null,
        wardCode: values.wardCode || null,
        channel: values.channel || null,
        teamId: team.id,
        leadOfficerId: lead?.id ?? null,
      },
      request.actor,
    )
    return reply.redirect(caseworkPaths.allocationRules, 303)
  })

  app.post<{ Params: { id: string } }>(
    '/admin/allocation-rules/:id/delete',
    { config: { access, audit: false } },
    async (request, reply) => {
      if (!(await casework.deleteAllocationRule(request.params.id, request.actor))) return reply.callNotFound()
      return reply.redirect(caseworkPaths.allocationRules, 303)
    },
  )
}
