/**
 * Administration of partners, teams and staff users (administrators only). Creating a user emails them a link to
 * set their password; they set up their authenticator at first sign-in. Editing uses optimistic locking: a form
 * saved over someone else's change is refused with the "changed by someone else" page, and nothing is overwritten.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import Type, { type Static } from 'typebox'

import { errorSummary, field, fields, type FieldErrors } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { accountsPaths } from './accounts-paths.js'
import { VersionConflictError } from '../../platform/errors.js'
import type { UserRecord } from './accounts-repository.js'
import { userStatus } from './accounts-presenters.js'
import { AccountsError, type AccountsService } from './accounts-service.js'
import { PARTNER_KINDS, ROLES } from './roles.js'
import { declareRecords } from '../../platform/resource-access.js'

const view = (name: string) => `accounts/views/${name}.njk`

/** After a save or a creation the user's page says so; any other value is ignored. */
const UserPageQuery = Type.Object({ created: Type.Optional(Type.String()), saved: Type.Optional(Type.String()) })
const admin = { roles: ['administrator'] } as const

export const accountsAdminRoutes: FastifyPluginAsync<{
  accounts: AccountsService
  publicBaseUrl: string
  clock: { now(): Date }
}> = async (app, { accounts, publicBaseUrl }) => {
  declareRecords(app, { none: 'staff accounts: administrators only, audited by the accounts module' })
  const { repository } = accounts

  async function formOptions() {
    const [partners, teams] = await Promise.all([repository.listPartners(), repository.listTeams()])
    return {
      partnerItems: partners.filter(p => p.active).map(p => ({ value: p.code, text: p.name })),
      teamItems: [
        { value: '', text: t('accounts.admin.noTeam') },
        ...teams.map(team => ({ value: team.code, text: `${team.partner_name}: ${team.name}` })),
      ],
      roleItems: ROLES.map(role => ({
        value: role,
        text: t(`accounts.roles.${role}`),
        hint: { text: t(`accounts.roleHints.${role}`) },
      })),
    }
  }

  async function userForm(
    reply: FastifyReply,
    status: number,
    values: Record<string, unknown>,
    errors?: FieldErrors,
    user?: UserRecord,
  ) {
    return reply.code(status).view(view('admin-user-form'), {
      ...(await formOptions()),
      values,
      user,
      status: user ? userStatus(user) : undefined,
      errors,
      errorSummary: errors ? errorSummary(errors) : undefined,
    })
  }

  app.get(
    accountsPaths.adminUsers,
    { config: { access: admin, audit: 'accounts.users-listed' } },
    async (_request, reply) => {
      const users = await repository.listUsers()
      return reply.view(view('admin-users'), {
        users: users.map(user => ({
          href: accountsPaths.adminUser(user.id),
          displayName: user.displayName,
          email: user.email,
          partnerName: user.partnerName,
          teamName: user.teamName,
          roles: user.roles.map(role => t(`accounts.roles.${role}`)).join(', '),
          status: userStatus(user),
          lastSignInAt: user.lastSignInAt,
        })),
        created: undefined,
      })
    },
  )

  app.get(accountsPaths.adminNewUser, { config: { access: admin, audit: false } }, async (_request, reply) =>
    userForm(reply, 200, { roles: [] }),
  )

  app.post(accountsPaths.adminNewUser, { config: { access: admin, audit: false } }, async (request, reply) => {
    const values = {
      displayName: field(request.body, 'displayName'),
      email: field(request.body, 'email'),
      partner: field(request.body, 'partner'),
      team: field(request.body, 'team'),
      roles: fields(request.body, 'roles'),
    }
    const errors: FieldErrors = {}
    if (!values.displayName) errors.displayName = t('accounts.errors.displayName')
    if (!values.email) errors.email = t('accounts.errors.emailMissing')
    if (!values.partner) errors.partner = t('accounts.errors.partnerUnknown')
    if (values.roles.length === 0) errors.roles = t('accounts.errors.roles')
    if (Object.keys(errors).length === 0) {
      try {
        const { id } = await accounts.createUser(request.actor, {
          email: values.email,
          displayName: values.displayName,
          partnerCode: values.partner,
          teamCode: values.team || undefined,
          roles: values.roles,
        })
        // The generated password is never shown: the new user sets their own through the emailed link.
        await accounts.requestPasswordReset(
          values.email,
          token => `${publicBaseUrl}${accountsPaths.reset}?token=${encodeURIComponent(token)}`,
        )
        return await reply.redirect(`${accountsPaths.adminUser(id)}?created=1`, 303)
      } catch (error) {
        if (!(error instanceof AccountsError)) throw error
        errors[error.field === 'partner' ? 'partner' : error.field] = t(error.messageKey)
      }
    }
    return userForm(reply, 400, values, errors)
  })

  app.get<{ Params: { id: string }; Querystring: Static<typeof UserPageQuery> }>(
    '/admin/users/:id',
    {
      config: {
        access: admin,
        audit: { action: 'accounts.user-viewed', subjectType: 'staff_user', subjectParam: 'id' },
      },
      schema: { querystring: UserPageQuery },
    },
    async (request, reply) => {
      const user = await repository.userById(request.params.id)
      if (!user) throw app.httpErrors.notFound()
      const query = request.query
      return reply.view(view('admin-user-form'), {
        ...(await formOptions()),
        user,
        status: userStatus(user),
        created: query.created === '1',
        saved: query.saved === '1',
        values: {
          displayName: user.displayName,
          email: user.email,
          partner: user.partnerCode,
          team: (await repository.listTeams()).find(team => team.id === user.teamId)?.code ?? '',
          roles: user.roles,
          version: user.version,
        },
      })
    },
  )

  app.post<{ Params: { id: string } }>(
    '/admin/users/:id',
    { config: { access: admin, audit: false } },
    async (request, reply) => {
      const user = await repository.userById(request.params.id)
      if (!user) throw app.httpErrors.notFound()
      const values = {
        displayName: field(request.body, 'displayName'),
        email: user.email,
        partner: field(request.body, 'partner'),
        team: field(request.body, 'team'),
        roles: fields(request.body, 'roles'),
        version: Number(field(request.body, 'version')),
      }
      const errors: FieldErrors = {}
      if (!values.displayName) errors.displayName = t('accounts.errors.displayName')
      if (values.roles.length === 0) errors.roles = t('accounts.errors.roles')
      if (Object.keys(errors).length === 0) {
        try {
          await accounts.updateUser(request.actor, user.id, values.version, {
            displayName: values.displayName,
            partnerCode: values.partner,
            teamCode: values.team || undefined,
            roles: values.roles,
          })
          return await reply.redirect(`${accountsPaths.adminUser(user.id)}?saved=1`, 303)
        } catch (error) {
          if (error instanceof VersionConflictError) {
            return reply.code(409).view(view('conflict'), { href: accountsPaths.adminUser(user.id) })
          }
          if (!(error instanceof AccountsError)) throw error
          errors[error.field] = t(error.messageKey)
        }
      }
      return userForm(reply, 400, values, errors, user)
    },
  )

  app.post<{ Params: { id: string } }>(
    '/admin/users/:id/actions',
    { config: { access: admin, audit: false } },
    async (request, reply) => {
      const user = await repository.userById(request.params.id)
      if (!user) throw app.httpErrors.notFound()
      const action = field(request.body, 'action')
      if (action !== 'disable' && action !== 'enable' && action !== 'unlock' && action !== 'reset-two-factor') {
        throw app.httpErrors.badRequest('Choose an action')
      }
      if (action === 'disable' && user.id === request.user?.id)
        throw app.httpErrors.badRequest(t('accounts.errors.disableSelf'))
      await accounts.administer(request.actor, user.id, action)
      return reply.redirect(`${accountsPaths.adminUser(user.id)}?saved=1`, 303)
    },
  )

  async function partnersPage(
    reply: FastifyReply,
    status: number,
    values: Record<string, string> = {},
    errors?: FieldErrors,
  ) {
    const [partners, teams] = await Promise.all([repository.listPartners(), repository.listTeams()])
    return reply.code(status).view(view('admin-partners'), {
      partners: partners.map(partner => ({
        ...partner,
        kindText: (PARTNER_KINDS as readonly string[]).includes(partner.kind)
          ? t(`accounts.partnerKinds.${partner.kind}`)
          : partner.kind,
        teams: teams.filter(team => team.partner_id === partner.id).map(team => team.name),
      })),
      kindItems: PARTNER_KINDS.map(kind => ({
        value: kind,
        text: t(`accounts.partnerKinds.${kind}`),
        selected: values.kind === kind,
      })),
      partnerItems: partners.map(p => ({ value: p.code, text: p.name, selected: values.partner === p.code })),
      values,
      errors,
      errorSummary: errors ? errorSummary(errors) : undefined,
    })
  }

  app.get(accountsPaths.adminPartners, { config: { access: admin, audit: false } }, async (_request, reply) =>
    partnersPage(reply, 200),
  )

  app.post(accountsPaths.adminPartners, { config: { access: admin, audit: false } }, async (request, reply) => {
    const values = {
      code: field(request.body, 'code'),
      name: field(request.body, 'name'),
      kind: field(request.body, 'kind'),
    }
    try {
      await accounts.createPartner(request.actor, values)
      return await reply.redirect(accountsPaths.adminPartners, 303)
    } catch (error) {
      if (!(error instanceof AccountsError)) throw error
      return partnersPage(reply, 400, values, { [error.field]: t(error.messageKey) })
    }
  })

  app.post(accountsPaths.adminTeams, { config: { access: admin, audit: false } }, async (request, reply) => {
    const values = {
      partner: field(request.body, 'partner'),
      teamCode: field(request.body, 'teamCode').toLowerCase(),
      teamName: field(request.body, 'teamName'),
    }
    const errors: FieldErrors = {}
    if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(values.teamCode)) errors.teamCode = t('accounts.errors.partnerCode')
    if (!values.teamName) errors.teamName = t('accounts.errors.teamName')
    if (Object.keys(errors).length === 0) {
      try {
        await accounts.createTeam(request.actor, {
          partnerCode: values.partner,
          code: values.teamCode,
          name: values.teamName,
        })
        return await reply.redirect(accountsPaths.adminPartners, 303)
      } catch (error) {
        if (!(error instanceof AccountsError)) throw error
        errors.partner = t(error.messageKey)
      }
    }
    return partnersPage(reply, 400, values, errors)
  })
}
