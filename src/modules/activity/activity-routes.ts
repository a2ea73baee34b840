import { randomUUID } from 'node:crypto'

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

import type { GeographyService } from '../geography/index.js'
import type { ActivityService } from './activity-service.js'
import { activityPaths } from './activity-paths.js'
import { activityFormView, importProblemsView, missingCsvView, registerRows } from './activity-presenters.js'
import { CSV_HEADER, type ActivityInput, type FieldError } from './activity-validation.js'

const FormBody = Type.Object({
  type: Type.Optional(Type.String({ maxLength: 100 })),
  'date-day': Type.Optional(Type.String({ maxLength: 10 })),
  'date-month': Type.Optional(Type.String({ maxLength: 10 })),
  'date-year': Type.Optional(Type.String({ maxLength: 10 })),
  ward: Type.Optional(Type.String({ maxLength: 100 })),
  priority: Type.Optional(Type.String({ maxLength: 100 })),
  quantity: Type.Optional(Type.String({ maxLength: 20 })),
  operation: Type.Optional(Type.String({ maxLength: 2000 })),
  partner: Type.Optional(Type.String({ maxLength: 2000 })),
  evidence: Type.Optional(Type.String({ maxLength: 2000 })),
  submissionId: Type.Optional(Type.String({ maxLength: 64 })),
  _csrf: Type.Optional(Type.String()),
})

/**
 * The outputs register. Aggregate counts of activity only: the form and the import refuse nothing personal by
 * design because they have no field for a person; evidence is a reference (a log, a register), not a name.
 * Record changes are audited by the service (ACTIVITY_RECORDED, ACTIVITY_IMPORTED), so routes declare `audit: false`.
 */
export const activityPageRoutes: FastifyPluginAsyncTypebox<{
  activity: ActivityService
  geography: GeographyService
}> = async (app, { activity, geography }) => {
  async function formView(values: Partial<Record<string, string>>, errors: FieldError[] = []) {
    return activityFormView(await activity.context(), values, errors)
  }

  app.get(
    activityPaths.register,
    {
      config: { access: 'staff', audit: false },
      schema: {
        querystring: Type.Object({ added: Type.Optional(Type.String()), imported: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      const [types, records] = await Promise.all([activity.listTypes(), activity.recent(100)])
      const imported = Number(request.query.imported)
      return reply.view('activity/views/register.njk', {
        added: request.query.added !== undefined,
        imported: Number.isInteger(imported) && imported > 0 ? imported : null,
        records: registerRows(records, types, geography.wards()),
        types,
      })
    },
  )

  app.get(
    activityPaths.add,
    { config: { access: { roles: ['officer', 'supervisor', 'analyst', 'administrator'] }, audit: false } },
    async (_request, reply) => reply.view('activity/views/new.njk', await formView({ submissionId: randomUUID() })),
  )

  app.post(
    activityPaths.add,
    {
      config: { access: { roles: ['officer', 'supervisor', 'analyst', 'administrator'] }, audit: false },
      schema: { body: FormBody },
    },
    async (request, reply) => {
      const body = request.body
      const day = (body['date-day'] ?? '').trim()
      const month = (body['date-month'] ?? '').trim()
      const year = (body['date-year'] ?? '').trim()
      const dateGiven = day !== '' || month !== '' || year !== ''
      const input: ActivityInput = {
        type: body.type ?? '',
        date: dateGiven ? `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` : '',
        ward: body.ward ?? '',
        priority: body.priority ?? '',
        quantity: body.quantity ?? '',
        operation: body.operation ?? '',
        partner: body.partner ?? '',
        evidence: body.evidence ?? '',
      }
      const submissionId =
        body.submissionId && /^[0-9a-f-]{36}$/.test(body.submissionId) ? body.submissionId : randomUUID()
      const result = await activity.record(input, submissionId, request.actor)
      if (!result.ok) {
        const values = { ...body, submissionId } as Record<string, string>
        return reply.code(400).view('activity/views/new.njk', await formView(values, result.errors))
      }
      return reply.redirect(activityPaths.added(), 303)
    },
  )

  app.get(
    activityPaths.import,
    { config: { access: { roles: ['analyst', 'administrator'] }, audit: false } },
    async (_request, reply) =>
      reply.view('activity/views/import.njk', { header: CSV_HEADER.join(','), types: await activity.listTypes() }),
  )

  app.post(
    activityPaths.import,
    {
      config: { access: { roles: ['analyst', 'administrator'] }, audit: false },
      schema: {
        body: Type.Object({
          csv: Type.Optional(Type.String({ maxLength: 900_000 })),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const csv = request.body.csv ?? ''
      const types = await activity.listTypes()
      if (csv.trim() === '') {
        return reply.code(400).view('activity/views/import.njk', {
          header: CSV_HEADER.join(','),
          types,
          csv,
          ...missingCsvView(),
        })
      }
      const result = await activity.importCsv(csv, request.actor)
      if (!result.ok) {
        return reply.code(400).view('activity/views/import.njk', {
          header: CSV_HEADER.join(','),
          types,
          csv,
          ...importProblemsView(result.problems),
        })
      }
      return reply.redirect(activityPaths.imported(result.imported), 303)
    },
  )
}
