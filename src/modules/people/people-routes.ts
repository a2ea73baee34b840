/**
 * The people pages: search (name, date of birth, address or postcode), a person, a place, the merges the index
 * proposes, and the "known to" page shown after a party is added to a case. Every record on them is checked against
 * the casework access policy in the service; a person or place the viewer can see nothing of answers 404.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'

import { dateInput, errorSummary, field, type FieldErrors } from '../../platform/forms.js'
import { hasCode } from '../../platform/errors.js'
import { t } from '../../platform/i18n.js'
import { isUuid } from '../../platform/identifiers.js'
import { caseResource, caseworkPaths, declaredCaseResource, type Casework, type CaseRow } from '../casework/index.js'
import { peoplePaths } from './people-paths.js'
import { mergeReason, mergeStatus, presentDates, presentEntry, presentHidden } from './people-presenters.js'
import type { PeopleService, SearchCriteria } from './people-service.js'

const VIEW_ROLES = { roles: ['officer', 'supervisor', 'panel-coordinator', 'analyst', 'partner-read-only'] } as const
const MERGE_ROLES = { roles: ['officer', 'supervisor'] } as const
// Generous limits: a search that is too long is answered on the page with what was typed (MAX_TERM below).
const SearchQuery = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 10_000 })),
  'dateOfBirth-day': Type.Optional(Type.String({ maxLength: 10 })),
  'dateOfBirth-month': Type.Optional(Type.String({ maxLength: 10 })),
  'dateOfBirth-year': Type.Optional(Type.String({ maxLength: 10 })),
  place: Type.Optional(Type.String({ maxLength: 10_000 })),
})
/** The longest name or address a search takes. */
const MAX_TERM = 200
const PersonParams = Type.Object({ personId: Type.String({ maxLength: 64 }) })
const PlaceParams = Type.Object({ placeId: Type.String({ maxLength: 64 }) })
const MergeParams = Type.Object({ mergeId: Type.String({ maxLength: 64 }) })
const KnownToParams = Type.Object({
  reference: Type.String({ maxLength: 64 }),
  partyId: Type.String({ maxLength: 64 }),
})

const PERSON_RECORD = { type: 'person', param: 'personId', action: 'view', check: 'handler' } as const
const PLACE_RECORD = { type: 'place', param: 'placeId', action: 'view', check: 'handler' } as const

export const peopleRoutes: FastifyPluginAsyncTypebox<{ people: PeopleService; casework: Casework }> = async (
  app,
  { people, casework },
) => {
  const userOf = (request: FastifyRequest) => {
    if (!request.user) throw app.httpErrors.notFound()
    return request.user
  }

  app.get(
    '/people',
    {
      config: { access: VIEW_ROLES },
      schema: { querystring: SearchQuery },
    },
    async (request, reply) => {
      const query = request.query as Record<string, unknown>
      const searched = 'name' in query || 'place' in query || 'dateOfBirth-year' in query
      const typed = dateInput(query, 'dateOfBirth')
      // Left empty: no date of birth to narrow by (null); not a real date: an error (undefined).
      const dob = { parts: typed.parts, value: typed.value === '' ? null : typed.value }
      const values = { name: field(query, 'name'), place: field(query, 'place'), dateOfBirth: dob.parts }
      const render = (status: number, data: Record<string, unknown>) =>
        reply.code(status).view('people/views/search.njk', { values, ...data })
      if (!searched) return render(200, {})
      const errors: FieldErrors = {}
      if (values.name.length > MAX_TERM) errors.name = t('people.errors.nameTooLong', { max: MAX_TERM })
      if (dob.value === undefined) errors['dateOfBirth-day'] = t('people.errors.dateOfBirth')
      if (values.place.length > MAX_TERM) errors.place = t('people.errors.placeTooLong', { max: MAX_TERM })
      const criteria: SearchCriteria = { name: values.name, dateOfBirth: dob.value ?? null, place: values.place }
      if (Object.keys(errors).length === 0) {
        try {
          const result = await people.search(userOf(request), criteria, request.id)
          return await render(200, {
            searched: true,
            people: result.people.map(person => ({
              href: peoplePaths.person(person.personId),
              name: person.names[0] ?? '',
              aliases: person.names.slice(1),
              datesOfBirth: presentDates(person.datesOfBirth),
              postcodes: person.postcodes.join(', '),
              records: person.visibleRecords,
              hidden: person.hiddenRecords,
            })),
            places: result.places.map(place => ({
              href: peoplePaths.place(place.placeId),
              text: [place.address, place.postcode].filter(Boolean).join(', '),
              uprn: place.uprn,
              records: place.visibleRecords,
            })),
            hidden: presentHidden(result.hidden),
          })
        } catch (error) {
          if (!hasCode(error, 'no-criteria', 'name-too-short')) throw error
          errors.name = t(`people.errors.${error.code}`)
        }
      }
      return render(400, { errors, errorSummary: errorSummary(errors) })
    },
  )

  app.get('/people/merges', { config: { access: MERGE_ROLES } }, async (request, reply) => {
    const proposed = await people.proposedMerges(userOf(request))
    return reply.view('people/views/merges.njk', {
      merges: proposed.map(({ merge, kept, merged }) => ({
        href: peoplePaths.merge(merge.id),
        kept: kept.names.join(', '),
        merged: merged.names.join(', '),
        reason: mergeReason(merge.reason),
      })),
    })
  })

  app.get(
    '/people/merges/:mergeId',
    {
      config: {
        access: MERGE_ROLES,
        resource: { type: 'person-merge', param: 'mergeId', action: 'view', check: 'handler' },
      },
      schema: { params: MergeParams },
    },
    async (request, reply) => mergePage(request, reply, request.params.mergeId),
  )

  async function mergePage(
    request: FastifyRequest,
    reply: FastifyReply,
    mergeId: string,
    errors: FieldErrors = {},
    values: Record<string, string> = {},
  ) {
    if (!isUuid(mergeId)) throw app.httpErrors.notFound()
    try {
      const { merge, kept, merged } = await people.merge(userOf(request), mergeId)
      const side = (summary: typeof kept) => ({
        names: summary.names.join(', '),
        datesOfBirth: presentDates(summary.datesOfBirth),
        postcodes: summary.postcodes.join(', '),
        records: summary.entries.map(presentEntry),
      })
      return await reply.code(Object.keys(errors).length > 0 ? 400 : 200).view('people/views/merge.njk', {
        merge: {
          id: merge.id,
          status: merge.status,
          statusText: mergeStatus(merge.status),
          reason: mergeReason(merge.reason),
          note: merge.note,
        },
        kept: side(kept),
        merged: side(merged),
        action: peoplePaths.merge(merge.id),
        undoAction: peoplePaths.mergeUndo(merge.id),
        keptHref: peoplePaths.person(merge.kept_person_id),
        values,
        errors,
        errorSummary: errorSummary(errors),
      })
    } catch (error) {
      if (hasCode(error, 'not-found')) throw app.httpErrors.notFound()
      throw error
    }
  }

  app.post(
    '/people/merges/:mergeId',
    {
      config: {
        access: MERGE_ROLES,
        resource: { type: 'person-merge', param: 'mergeId', action: 'change', check: 'handler' },
      },
      schema: { params: MergeParams },
    },
    async (request, reply) => {
      const decision = field(request.body, 'decision')
      const note = field(request.body, 'note').slice(0, 1000)
      const { mergeId } = request.params
      if (decision !== 'merge' && decision !== 'reject')
        return mergePage(request, reply, mergeId, { decision: t('people.errors.decision') }, { note })
      if (decision === 'reject' && !note)
        return mergePage(request, reply, mergeId, { note: t('people.errors.rejectNote') }, { decision, note })
      return decide(request, reply, mergeId, decision, note)
    },
  )

  app.post(
    '/people/merges/:mergeId/undo',
    {
      config: {
        access: MERGE_ROLES,
        resource: { type: 'person-merge', param: 'mergeId', action: 'change', check: 'handler' },
      },
      schema: { params: MergeParams },
    },
    async (request, reply) => {
      const note = field(request.body, 'undoNote').slice(0, 1000)
      if (!note) return mergePage(request, reply, request.params.mergeId, { undoNote: t('people.errors.undoNote') })
      return decide(request, reply, request.params.mergeId, 'undo', note)
    },
  )

  async function decide(
    request: FastifyRequest,
    reply: FastifyReply,
    mergeId: string,
    decision: 'merge' | 'reject' | 'undo',
    note: string,
  ) {
    if (!isUuid(mergeId)) throw app.httpErrors.notFound()
    try {
      const merge = await people.decideMerge(userOf(request), mergeId, decision, note, request.id)
      return await reply.redirect(
        decision === 'reject'
          ? peoplePaths.merges
          : peoplePaths.person(decision === 'undo' ? merge.merged_person_id : merge.kept_person_id),
        303,
      )
    } catch (error) {
      if (hasCode(error, 'not-found')) throw app.httpErrors.notFound()
      if (hasCode(error, 'already-decided'))
        return mergePage(request, reply, mergeId, { decision: t('people.errors.alreadyDecided') })
      throw error
    }
  }

  app.get(
    '/people/places/:placeId',
    { config: { access: VIEW_ROLES, resource: PLACE_RECORD }, schema: { params: PlaceParams } },
    async (request, reply) => {
      if (!isUuid(request.params.placeId)) throw app.httpErrors.notFound()
      try {
        const { place, entries, hidden } = await people.place(userOf(request), request.params.placeId, request.id)
        return await reply.view('people/views/place.njk', {
          title: [place.address, place.postcode].filter(Boolean).join(', '),
          uprn: place.uprn,
          records: entries.map(presentEntry),
          hidden: presentHidden(hidden),
          searchHref: peoplePaths.search,
        })
      } catch (error) {
        if (hasCode(error, 'not-found')) throw app.httpErrors.notFound()
        throw error
      }
    },
  )

  app.get(
    '/people/:personId',
    { config: { access: VIEW_ROLES, resource: PERSON_RECORD }, schema: { params: PersonParams } },
    async (request, reply) => {
      if (!isUuid(request.params.personId)) throw app.httpErrors.notFound()
      try {
        const person = await people.person(userOf(request), request.params.personId, request.id)
        if (person.kind === 'merged') return await reply.redirect(peoplePaths.person(person.mergedInto), 302)
        const canMerge = request.user?.roles.some(role => role === 'officer' || role === 'supervisor') ?? false
        return await reply.view('people/views/person.njk', {
          name: person.names[0] ?? '',
          aliases: person.names.slice(1),
          datesOfBirth: presentDates(person.datesOfBirth),
          addresses: person.addresses,
          identifiers: person.identifiers,
          records: person.entries.map(presentEntry),
          hidden: presentHidden(person.hidden),
          merges: canMerge
            ? person.merges.map(merge => ({
                href: peoplePaths.merge(merge.id),
                status: mergeStatus(merge.status),
                reason: mergeReason(merge.reason),
              }))
            : [],
          searchHref: peoplePaths.search,
        })
      } catch (error) {
        if (hasCode(error, 'not-found')) throw app.httpErrors.notFound()
        throw error
      }
    },
  )

  /** The case behind the route, as casework's pages load it: unseen or without the declared part, 404. */
  async function caseFor(request: FastifyRequest): Promise<CaseRow> {
    const { resource, value } = declaredCaseResource(request)
    const user = request.user
    const caseRow =
      user && /^[A-Za-z0-9-]{3,40}$/.test(value) ? await casework.findByReferenceForUser(user, value) : undefined
    if (!user || !caseRow || !casework.can(user, caseRow, resource, 'view')) throw app.httpErrors.notFound()
    request.auditContext.subjectType = 'case'
    request.auditContext.subjectId = caseRow.id
    return caseRow
  }

  app.get(
    '/cases/:reference/parties/:partyId/known-to',
    {
      config: { access: VIEW_ROLES, resource: caseResource('person', 'view', 'reference') },
      schema: { params: KnownToParams },
    },
    async (request, reply) => {
      const caseRow = await caseFor(request)
      const user = userOf(request)
      const party = isUuid(request.params.partyId) ? await casework.partyById(request.params.partyId) : undefined
      if (party?.case_id !== caseRow.id || !party) throw app.httpErrors.notFound()
      const shown = casework.partyShown(user, caseRow, party)
      const known = shown ? await people.knownTo(user, caseRow, party.id, request.id) : undefined
      return reply.view('people/views/known-to.njk', {
        row: caseRow,
        partyName: shown ? party.name : t('casework.party.withheldName'),
        records: known?.entries.map(presentEntry) ?? [],
        hidden: presentHidden(known?.hidden ?? []),
        personHref: known ? peoplePaths.person(known.personId) : undefined,
        caseHref: `${caseworkPaths.case(caseRow.reference)}#parties`,
      })
    },
  )
}
