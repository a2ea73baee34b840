import { randomUUID } from 'node:crypto'

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'

import { hasAnyRole, type Role } from '../accounts/index.js'
import { presentAreaMap, type GeographyService } from '../geography/index.js'
import { dateInput, field, fields } from '../../platform/forms.js'
import { t } from '../../platform/i18n.js'
import { declareRecords } from '../../platform/resource-access.js'
import { enforcementPaths } from './enforcement-paths.js'
import {
  dateParts,
  errorView,
  historyRows,
  publicOrder,
  registerRows,
  reminderRows,
  reviewTag,
  wardItems,
  wardNames,
} from './pspo-presenters.js'
import type { PspoOrder } from './pspo-repository.js'
import { defaultExpiry, orderStatus, type FieldError } from './pspo-rules.js'
import type { Outcome, PspoService } from './pspo-service.js'

/** Who may make and change orders: the council's ASB officers, their supervisors and administrators. */
export const PSPO_WRITERS: readonly Role[] = ['officer', 'supervisor', 'administrator']
const WRITE = { access: { roles: PSPO_WRITERS }, audit: false } as const
// Orders are public documents with no personal data: reading them is not audited; every change is (by the service).
const READ = { access: 'staff', audit: false } as const

const Body = Type.Record(
  Type.String(),
  Type.Union([Type.String({ maxLength: 8000 }), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 200 })]),
)
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) })

function submissionOf(body: unknown): string {
  const value = field(body, 'submissionId')
  return /^[0-9a-f-]{36}$/.test(value) ? value : randomUUID()
}

/** Every date input of a form as typed, to show again after a refusal. */
function dateValues(body: unknown, names: string[]): Record<string, string> {
  const values: Record<string, string> = {}
  for (const name of names) {
    const { parts } = dateInput(body, name)
    values[`${name}-day`] = parts.day ?? ''
    values[`${name}-month`] = parts.month ?? ''
    values[`${name}-year`] = parts.year ?? ''
  }
  return values
}

function canWrite(request: FastifyRequest): boolean {
  const user = request.user
  return user?.partnerKind === 'council' && hasAnyRole(user, PSPO_WRITERS)
}

export const pspoStaffRoutes: FastifyPluginAsyncTypebox<{ pspos: PspoService; geography: GeographyService }> = async (
  app,
  { pspos },
) => {
  // An order's id names a public document (an order of the council), never a person's record (ADR 0019).
  declareRecords(app, { none: 'Public Spaces Protection Orders: public documents, no personal records' })

  function requireWriter(request: FastifyRequest): void {
    if (!canWrite(request)) throw app.httpErrors.forbidden(t('enforcement.forbidden'))
  }

  async function orderOr404(id: string): Promise<PspoOrder> {
    const order = await pspos.get(id)
    if (!order) throw app.httpErrors.notFound()
    return order
  }

  const orderForm = (values: Record<string, unknown>, chosen: string[], errors: FieldError[] = []) => ({
    values,
    wardItems: wardItems(pspos.wardOptions(), chosen),
    ...errorView(errors),
  })

  app.get(enforcementPaths.register, { config: READ }, async (request, reply) => {
    const today = pspos.today()
    const [orders, reminders] = await Promise.all([
      pspos.list(),
      request.user ? pspos.reminders(request.user.id) : Promise.resolve([]),
    ])
    return reply.view('enforcement/views/register.njk', {
      orders: registerRows(orders, pspos.wardOptions(), today),
      reminders: reminderRows(reminders),
      canWrite: canWrite(request),
    })
  })

  app.get(enforcementPaths.add, { config: WRITE }, async (request, reply) => {
    requireWriter(request)
    return reply.view('enforcement/views/order-form.njk', orderForm({ submissionId: randomUUID() }, []))
  })

  app.post(enforcementPaths.add, { config: WRITE, schema: { body: Body } }, async (request, reply) => {
    requireWriter(request)
    const body = request.body
    const submissionId = submissionOf(body)
    const wards = fields(body, 'wards')
    const result = await pspos.make(
      {
        title: field(body, 'title'),
        prohibitions: field(body, 'prohibitions'),
        requirements: field(body, 'requirements'),
        wards,
        signage: field(body, 'signage'),
        consultationStart: dateInput(body, 'consultationStart').value,
        consultationEnd: dateInput(body, 'consultationEnd').value,
        consultees: field(body, 'consultees'),
        consultationSummary: field(body, 'consultationSummary'),
        madeOn: dateInput(body, 'madeOn').value,
        inForceFrom: dateInput(body, 'inForceFrom').value,
        expiresOn: dateInput(body, 'expiresOn').value,
      },
      submissionId,
      request.actor,
    )
    if (result.ok) return reply.redirect(`${enforcementPaths.order(result.id)}?made=1`, 303)
    const values = {
      ...body,
      ...dateValues(body, ['consultationStart', 'consultationEnd', 'madeOn', 'inForceFrom', 'expiresOn']),
      submissionId,
    }
    return reply
      .code(400)
      .view('enforcement/views/order-form.njk', orderForm(values, wards, 'errors' in result ? result.errors : []))
  })

  app.get(
    '/enforcement/pspos/:id',
    {
      config: READ,
      schema: {
        params: IdParams,
        querystring: Type.Object({
          done: Type.Optional(Type.String({ maxLength: 20 })),
          made: Type.Optional(Type.String({ maxLength: 5 })),
        }),
      },
    },
    async (request, reply) => {
      const order = await orderOr404(request.params.id)
      const today = pspos.today()
      const wards = pspos.wardOptions()
      const done = request.query.made !== undefined ? 'made' : request.query.done
      return reply.view('enforcement/views/order.njk', {
        order,
        done: done && ['made', 'varied', 'extended', 'discharged'].includes(done) ? done : null,
        wards: wardNames(order.wardCodes, wards),
        status: t(`enforcement.status.${orderStatus(order, today)}`),
        review: reviewTag(order, today),
        history: historyRows(await pspos.history(order.id), wards),
        canWrite: canWrite(request) && order.dischargedOn === null,
        publicHref: enforcementPaths.publicOrder(order.reference),
        paths: {
          vary: enforcementPaths.vary(order.id),
          extend: enforcementPaths.extend(order.id),
          discharge: enforcementPaths.discharge(order.id),
        },
      })
    },
  )

  /** The three lifecycle forms share their shape: a page per change, refused with 400 and the summary. */
  function lifecycleRoutes(
    kind: 'vary' | 'extend' | 'discharge',
    initial: (order: PspoOrder) => { values: Record<string, unknown>; chosen: string[] },
    apply: (
      order: PspoOrder,
      body: Record<string, unknown>,
      submissionId: string,
      request: FastifyRequest,
    ) => Promise<Outcome>,
    dates: string[],
  ) {
    const view = `enforcement/views/${kind}.njk`
    const render = (
      reply: FastifyReply,
      order: PspoOrder,
      values: Record<string, unknown>,
      chosen: string[],
      errors: FieldError[] = [],
    ) => reply.view(view, { order, action: enforcementPaths[kind](order.id), ...orderForm(values, chosen, errors) })

    app.get(
      `/enforcement/pspos/:id/${kind}`,
      { config: WRITE, schema: { params: IdParams } },
      async (request, reply) => {
        requireWriter(request)
        const order = await orderOr404(request.params.id)
        if (order.dischargedOn !== null) throw app.httpErrors.notFound()
        const { values, chosen } = initial(order)
        return render(reply, order, { ...values, submissionId: randomUUID() }, chosen)
      },
    )

    app.post(
      `/enforcement/pspos/:id/${kind}`,
      { config: WRITE, schema: { params: IdParams, body: Body } },
      async (request, reply) => {
        requireWriter(request)
        const order = await orderOr404(request.params.id)
        const body = request.body as Record<string, unknown>
        const submissionId = submissionOf(body)
        const result = await apply(order, body, submissionId, request)
        if (result.ok)
          return reply.redirect(
            `${enforcementPaths.order(order.id)}?done=${kind === 'vary' ? 'varied' : `${kind}ed`}`,
            303,
          )
        if ('notFound' in result) throw app.httpErrors.notFound()
        const values = { ...body, ...dateValues(body, dates), submissionId }
        return render(reply.code(400), order, values, fields(body, 'wards'), result.errors)
      },
    )
  }

  lifecycleRoutes(
    'vary',
    order => ({
      values: {
        prohibitions: order.prohibitions.join('\n'),
        requirements: order.requirements.join('\n'),
        signage: order.signage,
      },
      chosen: order.wardCodes,
    }),
    (order, body, submissionId, request) =>
      pspos.vary(
        order.id,
        {
          occurredOn: dateInput(body, 'occurredOn').value,
          reason: field(body, 'reason'),
          prohibitions: field(body, 'prohibitions'),
          requirements: field(body, 'requirements'),
          wards: fields(body, 'wards'),
          signage: field(body, 'signage'),
        },
        submissionId,
        request.actor,
      ),
    ['occurredOn'],
  )
  lifecycleRoutes(
    'extend',
    order => ({ values: { ...dateParts('newExpiry', defaultExpiry(order.expiresOn)) }, chosen: [] }),
    (order, body, submissionId, request) =>
      pspos.extend(
        order.id,
        {
          occurredOn: dateInput(body, 'occurredOn').value,
          newExpiry: dateInput(body, 'newExpiry').value,
          reason: field(body, 'reason'),
        },
        submissionId,
        request.actor,
      ),
    ['occurredOn', 'newExpiry'],
  )
  lifecycleRoutes(
    'discharge',
    () => ({ values: {}, chosen: [] }),
    (order, body, submissionId, request) =>
      pspos.discharge(
        order.id,
        { occurredOn: dateInput(body, 'occurredOn').value, reason: field(body, 'reason') },
        submissionId,
        request.actor,
      ),
    ['occurredOn'],
  )
}

/** The public pages: the orders in force, and each order's page with its map (no sign-in). */
export const pspoPublicRoutes: FastifyPluginAsyncTypebox<{ pspos: PspoService; geography: GeographyService }> = async (
  app,
  { pspos, geography },
) => {
  app.get(enforcementPaths.publicList, { config: { access: 'public' } }, async (_request, reply) => {
    const wards = pspos.wardOptions()
    const orders = (await pspos.inForce()).map(order => publicOrder(order, wards))
    return reply.view('enforcement/views/public-list.njk', { orders })
  })

  app.get(
    '/public-spaces-protection-orders/:reference',
    { config: { access: 'public' }, schema: { params: Type.Object({ reference: Type.String({ maxLength: 40 }) }) } },
    async (request, reply) => {
      const order = await pspos.byReference(request.params.reference)
      if (!order) return reply.callNotFound()
      const today = pspos.today()
      const status = orderStatus(order, today)
      const shown = publicOrder(order, pspos.wardOptions())
      const map = presentAreaMap(geography.wardGeometries(), {
        title: t('enforcement.public.mapTitle', { title: order.title }),
      })
      const chosen = new Set(order.wardCodes)
      map.shapes = map.shapes.map(shape => ({ ...shape, highlighted: chosen.has(shape.code) }))
      return reply.view('enforcement/views/public-order.njk', {
        order: shown,
        status,
        statusText: t(`enforcement.status.${status}`),
        dischargedOn: order.dischargedOn,
        map,
        mapId: 'pspo',
        areaUrl: enforcementPaths.publicArea(order.reference),
      })
    },
  )

  app.get(
    '/public-spaces-protection-orders/:reference/area.geojson',
    { config: { access: 'public' }, schema: { params: Type.Object({ reference: Type.String({ maxLength: 40 }) }) } },
    async (request, reply) => {
      const order = await pspos.byReference(request.params.reference)
      if (!order) return reply.callNotFound()
      return reply
        .type('application/geo+json')
        .header('cache-control', 'public, max-age=300')
        .send({ type: 'Feature', properties: { reference: order.reference, title: order.title }, geometry: order.area })
    },
  )
}
