/**
 * The PSPO register (ADR 0065): Public Spaces Protection Orders the council makes, their areas (the union of the
 * wards chosen), consultation, dates and life (varied, extended, discharged), each change audited and kept as an
 * event. Orders are public documents: they hold no personal data, and anyone may read those in force.
 */
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { londonDate } from '../../platform/working-days.js'
import type { GeoJsonGeometry } from '../../db/schema.js'
import type { PspoOrder, PspoRepository, ReviewReminder } from './pspo-repository.js'
import {
  REVIEW_THRESHOLDS,
  reviewDue,
  validateDischarge,
  validateExtension,
  validateOrder,
  validateVariation,
  type FieldError,
  type OrderAnswers,
  type VariationAnswers,
  type DateAnswer,
} from './pspo-rules.js'

/** The wards an order's area is drawn from, with their boundaries (the geography module's). */
export interface PspoGeography {
  wardGeometries(): { code: string; name: string; geometry: GeoJsonGeometry }[]
}

export type Outcome = { ok: true; id: string } | { ok: false; errors: FieldError[] } | { ok: false; notFound: true }

/** The union of ward boundaries as one MultiPolygon: each ward's polygons, in the order of the codes. */
export function unionOfWards(
  codes: readonly string[],
  wards: readonly { code: string; geometry: GeoJsonGeometry }[],
): GeoJsonGeometry {
  const byCode = new Map(wards.map(ward => [ward.code, ward.geometry]))
  const coordinates = codes.flatMap(code => {
    const geometry = byCode.get(code)
    if (!geometry) throw new Error(`Unknown ward ${code}`)
    return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  })
  return { type: 'MultiPolygon', coordinates }
}

export function createPspoService(deps: {
  repository: PspoRepository
  geography: PspoGeography
  audit: AuditService
  clock: Clock
}) {
  const { repository, geography, audit, clock } = deps
  const today = () => londonDate(clock.now())
  const wards = () => geography.wardGeometries()
  const knownWards = () => new Set(wards().map(ward => ward.code))
  const userOf = (actor: Actor) => (actor.type === 'user' ? actor.id : null)

  async function lifecycle(
    id: string,
    submissionId: string,
    actor: Actor,
    apply: (order: PspoOrder) =>
      | { ok: false; errors: FieldError[] }
      | {
          ok: true
          kind: 'varied' | 'extended' | 'discharged'
          occurredOn: string
          reason: string
          changes: Parameters<PspoRepository['update']>[1]
          details: Record<string, unknown>
        },
  ): Promise<Outcome> {
    return repository.transaction(async trx => {
      await repository.lock(trx)
      if ((await repository.eventBySubmission(submissionId, trx)) === id) return { ok: true as const, id }
      const order = await repository.byId(id, trx)
      if (!order) return { ok: false as const, notFound: true as const }
      const result = apply(order)
      if (!result.ok) return result
      const at = clock.now()
      await repository.update(id, result.changes, at, trx)
      await repository.insertEvent(
        {
          orderId: id,
          kind: result.kind,
          occurredOn: result.occurredOn,
          reason: result.reason,
          details: result.details,
          submissionId,
          recordedBy: userOf(actor),
          at,
        },
        trx,
      )
      if (result.kind !== 'varied') await repository.closeReminders(id, at, trx)
      await audit.record(
        {
          actor,
          action: `pspo.${result.kind}`,
          subjectType: 'pspo_order',
          subjectId: id,
          details: { reference: order.reference, occurredOn: result.occurredOn, ...result.details },
        },
        trx,
      )
      return { ok: true as const, id }
    })
  }

  const service = {
    today,
    wardOptions: () => wards().map(({ code, name }) => ({ code, name })),
    list: () => repository.list(),
    get: (id: string) => repository.byId(id),
    byReference: (reference: string) => repository.byReference(reference),
    history: (id: string) => repository.events(id),
    /** Orders that have effect today, for the public list. */
    inForce: () => repository.inForce(today()),
    reminders: (userId: string | null): Promise<ReviewReminder[]> => repository.openReminders(userId),

    /** Records a made order. The form's submission id makes a double post record it once. */
    async make(answers: OrderAnswers, submissionId: string, actor: Actor): Promise<Outcome> {
      const result = validateOrder(answers, knownWards())
      if (!result.ok) return result
      const order = result.value
      const area = unionOfWards(order.wardCodes, wards())
      return repository.transaction(async trx => {
        await repository.lock(trx)
        const existing = await repository.idBySubmission(submissionId, trx)
        if (existing) return { ok: true as const, id: existing }
        const at = clock.now()
        const reference = await repository.nextReference(order.madeOn.slice(0, 4), trx)
        const id = await repository.insert(
          { ...order, reference, area, ownerUserId: userOf(actor), submissionId, at },
          trx,
        )
        await repository.insertEvent(
          {
            orderId: id,
            kind: 'made',
            occurredOn: order.madeOn,
            reason: order.consultationSummary,
            details: { wards: order.wardCodes, inForceFrom: order.inForceFrom, expiresOn: order.expiresOn },
            submissionId: null,
            recordedBy: userOf(actor),
            at,
          },
          trx,
        )
        await audit.record(
          {
            actor,
            action: 'pspo.made',
            subjectType: 'pspo_order',
            subjectId: id,
            details: { reference, wards: order.wardCodes, madeOn: order.madeOn, expiresOn: order.expiresOn },
          },
          trx,
        )
        return { ok: true as const, id }
      })
    },

    extend(
      id: string,
      answers: { occurredOn: DateAnswer; newExpiry: DateAnswer; reason: string },
      submissionId: string,
      actor: Actor,
    ): Promise<Outcome> {
      return lifecycle(id, submissionId, actor, order => {
        const result = validateExtension(order, answers)
        if (!result.ok) return result
        const { occurredOn, newExpiry, reason } = result.value
        return {
          ok: true,
          kind: 'extended',
          occurredOn,
          reason,
          changes: { expiresOn: newExpiry },
          details: { previousExpiry: order.expiresOn, newExpiry },
        }
      })
    },

    discharge(
      id: string,
      answers: { occurredOn: DateAnswer; reason: string },
      submissionId: string,
      actor: Actor,
    ): Promise<Outcome> {
      return lifecycle(id, submissionId, actor, order => {
        const result = validateDischarge(order, answers)
        if (!result.ok) return result
        const { occurredOn, reason } = result.value
        return { ok: true, kind: 'discharged', occurredOn, reason, changes: { dischargedOn: occurredOn }, details: {} }
      })
    },

    vary(id: string, answers: VariationAnswers, submissionId: string, actor: Actor): Promise<Outcome> {
      const known = knownWards()
      return lifecycle(id, submissionId, actor, order => {
        const result = validateVariation(order, answers, known)
        if (!result.ok) return result
        const { occurredOn, reason, prohibitions, requirements, wardCodes, signage } = result.value
        return {
          ok: true,
          kind: 'varied',
          occurredOn,
          reason,
          changes: { prohibitions, requirements, wardCodes, signage, area: unionOfWards(wardCodes, wards()) },
          details: {
            previous: {
              prohibitions: order.prohibitions,
              requirements: order.requirements,
              wards: order.wardCodes,
              signage: order.signage,
            },
            wards: wardCodes,
          },
        }
      })
    },

    /**
     * Review reminders: each order whose expiry is within 6 months, then within 3 months, gets one reminder per
     * threshold and expiry for its owner (an extension moves the expiry, so the next review is reminded again).
     * A sweep run twice raises each once. Returns how many were raised.
     */
    async sweepReviewReminders(): Promise<number> {
      const now = clock.now()
      const day = londonDate(now)
      let raised = 0
      for (const order of await repository.list()) {
        const reached = reviewDue(order, day)
        if (reached === null) continue
        // Every threshold up to the one reached (an order made with 2 months to run gets both at once).
        for (const threshold of REVIEW_THRESHOLDS) {
          const isNew = await repository.raiseReminder({
            orderId: order.id,
            threshold: threshold.code,
            expiresOn: order.expiresOn,
            ownerUserId: order.ownerUserId,
            at: now,
          })
          if (isNew) {
            raised += 1
            await audit.record({
              actor: { type: 'system', id: null },
              action: 'pspo.review-reminder',
              subjectType: 'pspo_order',
              subjectId: order.id,
              details: { reference: order.reference, threshold: threshold.code, expiresOn: order.expiresOn },
            })
          }
          if (threshold.code === reached) break
        }
      }
      return raised
    },
  }
  return service
}

export type PspoService = ReturnType<typeof createPspoService>
