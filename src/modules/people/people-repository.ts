/**
 * Queries for the person and place index (ADR 0052). The index tables are this module's; the records it links
 * (case parties, reports, cases, risk assessments, power actions, panel referrals) are read here, never changed.
 */
import { sql, type Kysely, type Transaction } from 'kysely'

import type { Database, MergeReason, PersonSourceType, PlaceSourceType } from '../../db/schema.js'

export type Executor = Kysely<Database> | Transaction<Database>

/** A linked record with what matching needs: its name, date of birth and postcode, read from the record itself. */
export interface LinkFacts {
  linkId: string
  personId: string
  sourceType: PersonSourceType
  sourceId: string
  nameKey: string
  name: string
  dateOfBirth: string | null
  postcode: string | null
  address: string | null
}

export interface UnlinkedPerson {
  sourceType: PersonSourceType
  sourceId: string
  name: string
  dateOfBirth: string | null
  postcode: string | null
}

export interface UnplacedRecord {
  sourceType: PlaceSourceType
  sourceId: string
  address: string | null
  postcode: string | null
}

export function createPeopleRepository(db: Kysely<Database>) {
  const linkFactsQuery = (personId?: string) =>
    sql<LinkFacts>`
      select l.id as "linkId", l.person_id as "personId", l.source_type as "sourceType", l.source_id as "sourceId",
        l.name_key as "nameKey",
        coalesce(p.name, r.reporter_name, '') as name,
        p.date_of_birth::text as "dateOfBirth",
        coalesce(p.postcode, r.postcode) as postcode,
        p.address as address
      from person_link l
        join person pe on pe.id = l.person_id and pe.merged_into is null
        left join case_party p on l.source_type = 'case-party' and p.id::text = l.source_id
        left join report r on l.source_type = 'reporter' and r.id::text = l.source_id
      where (p.id is not null or r.id is not null)
        ${personId ? sql`and l.person_id = ${personId}` : sql``}`

  return {
    db,
    transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return db.transaction().execute(work)
    },

    /** Holds the index's lock until the transaction ends (PostgreSQL and PGlite alike). */
    async lockIndex(executor: Executor): Promise<void> {
      await sql`select pg_advisory_xact_lock(52052)`.execute(executor)
    },

    /** Every linked record still present, with its matching facts (the whole index: matching is done in code). */
    async allLinkFacts(executor: Executor = db): Promise<LinkFacts[]> {
      return (await linkFactsQuery().execute(executor)).rows
    },

    async linkFactsForPerson(personId: string, executor: Executor = db): Promise<LinkFacts[]> {
      return (await linkFactsQuery(personId).execute(executor)).rows
    },

    /** People parties and named reporters no person is linked to yet, oldest first. */
    async unlinked(executor: Executor = db): Promise<UnlinkedPerson[]> {
      const parties = await executor
        .selectFrom('case_party as p')
        .select(['p.id', 'p.name', sql<string | null>`p.date_of_birth::text`.as('dob'), 'p.postcode'])
        .where('p.kind', '=', 'person')
        .where(
          sql<boolean>`not exists (select 1 from person_link l where l.source_type = 'case-party' and l.source_id = p.id::text)`,
        )
        .orderBy('p.created_at')
        .orderBy('p.id')
        .execute()
      const reporters = await executor
        .selectFrom('report as r')
        .select(['r.id', 'r.reporter_name', 'r.postcode'])
        .where('r.reporter_mode', '<>', 'anonymous')
        .where('r.reporter_name', 'is not', null)
        .where('r.anonymised_at', 'is', null)
        .where(
          sql<boolean>`not exists (select 1 from person_link l where l.source_type = 'reporter' and l.source_id = r.id::text)`,
        )
        .orderBy('r.received_at')
        .orderBy('r.id')
        .execute()
      return [
        ...parties.map(row => ({
          sourceType: 'case-party' as const,
          sourceId: row.id,
          name: row.name,
          dateOfBirth: row.dob,
          postcode: row.postcode,
        })),
        ...reporters.map(row => ({
          sourceType: 'reporter' as const,
          sourceId: String(row.id),
          name: row.reporter_name ?? '',
          dateOfBirth: null,
          postcode: row.postcode,
        })),
      ]
    },

    async insertPerson(at: Date, executor: Executor): Promise<string> {
      const row = await executor
        .insertInto('person')
        .values({ created_at: at })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },

    async insertLink(
      values: {
        personId: string
        sourceType: PersonSourceType
        sourceId: string
        nameKey: string
        at: Date
        by: string | null
      },
      executor: Executor,
    ): Promise<string | undefined> {
      // Another request may have linked the record since it was read: then this one leaves it as linked.
      const row = await executor
        .insertInto('person_link')
        .values({
          person_id: values.personId,
          source_type: values.sourceType,
          source_id: values.sourceId,
          name_key: values.nameKey,
          linked_at: values.at,
          linked_by: values.by,
        })
        .onConflict(oc => oc.columns(['source_type', 'source_id']).doNothing())
        .returning('id')
        .executeTakeFirst()
      return row?.id
    },

    async personById(id: string, executor: Executor = db) {
      return executor.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirst()
    },

    async proposeMerge(keptId: string, mergedId: string, reason: MergeReason, at: Date, executor: Executor) {
      const [a, b] = keptId < mergedId ? [keptId, mergedId] : [mergedId, keptId]
      const exists = await executor
        .selectFrom('person_merge')
        .select('id')
        .where(eb =>
          eb.or([
            eb.and([eb('kept_person_id', '=', a), eb('merged_person_id', '=', b)]),
            eb.and([eb('kept_person_id', '=', b), eb('merged_person_id', '=', a)]),
          ]),
        )
        .executeTakeFirst()
      if (exists) return
      await executor
        .insertInto('person_merge')
        .values({
          kept_person_id: keptId,
          merged_person_id: mergedId,
          reason,
          status: 'proposed',
          proposed_at: at,
          moved_link_ids: JSON.stringify([]),
        })
        .execute()
    },

    async mergeById(id: string, executor: Executor = db) {
      return executor.selectFrom('person_merge').selectAll().where('id', '=', id).executeTakeFirst()
    },

    async mergesByStatus(statuses: readonly ('proposed' | 'merged' | 'rejected' | 'undone')[]) {
      return db
        .selectFrom('person_merge')
        .selectAll()
        .where('status', 'in', [...statuses])
        .orderBy('proposed_at', 'desc')
        .limit(200)
        .execute()
    },

    async mergesForPerson(personId: string) {
      return db
        .selectFrom('person_merge')
        .selectAll()
        .where(eb => eb.or([eb('kept_person_id', '=', personId), eb('merged_person_id', '=', personId)]))
        .orderBy('proposed_at', 'desc')
        .execute()
    },

    /** Moves every link of `from` to `to` and marks `from` merged; returns the moved links' ids. */
    async moveLinks(from: string, to: string, at: Date, executor: Executor): Promise<string[]> {
      const moved = await executor
        .updateTable('person_link')
        .set({ person_id: to })
        .where('person_id', '=', from)
        .returning('id')
        .execute()
      await executor.updateTable('person').set({ merged_into: to, merged_at: at }).where('id', '=', from).execute()
      return moved.map(row => row.id)
    },

    async restoreLinks(linkIds: readonly string[], to: string, executor: Executor): Promise<void> {
      if (linkIds.length > 0)
        await executor
          .updateTable('person_link')
          .set({ person_id: to })
          .where('id', 'in', [...linkIds])
          .execute()
      await executor.updateTable('person').set({ merged_into: null, merged_at: null }).where('id', '=', to).execute()
    },

    async decideMerge(
      id: string,
      values: {
        status: 'merged' | 'rejected' | 'undone'
        by: string | null
        at: Date
        note: string | null
        moved?: string[]
      },
      expected: 'proposed' | 'merged',
      executor: Executor,
    ): Promise<boolean> {
      const result = await executor
        .updateTable('person_merge')
        .set({
          status: values.status,
          decided_by: values.by,
          decided_at: values.at,
          note: values.note,
          ...(values.moved ? { moved_link_ids: JSON.stringify(values.moved) } : {}),
        })
        .where('id', '=', id)
        .where('status', '=', expected)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },

    /** The person a record is linked to, following merges. */
    async personForSource(sourceType: PersonSourceType, sourceId: string, executor: Executor = db) {
      const row = await executor
        .selectFrom('person_link')
        .select('person_id')
        .where('source_type', '=', sourceType)
        .where('source_id', '=', sourceId)
        .executeTakeFirst()
      return row?.person_id
    },

    /** A case party with the case facts the access policy needs. */
    async partyRecords(partyIds: readonly string[]) {
      if (partyIds.length === 0) return []
      return db
        .selectFrom('case_party as p')
        .innerJoin('asb_case as c', 'c.id', 'p.case_id')
        .select([
          'p.id as party_id',
          'p.role',
          'p.name',
          sql<string | null>`p.date_of_birth::text`.as('date_of_birth'),
          'p.address',
          'p.postcode',
          'p.contact_withheld',
          'p.phone',
          'p.email',
          'p.vehicle_registration',
          'c.id as case_id',
        ])
        .where('p.id', 'in', [...partyIds])
        .execute()
    },

    async reportRecords(reportIds: readonly number[]) {
      if (reportIds.length === 0) return []
      return db
        .selectFrom('report as r')
        .select([
          'r.id',
          'r.reference',
          'r.received_at',
          'r.category',
          'r.status',
          'r.reporter_name',
          'r.postcode',
          'r.anonymised_at',
        ])
        .where('r.id', 'in', [...reportIds])
        .execute()
    },

    async teamName(teamId: string | null): Promise<string | undefined> {
      if (!teamId) return undefined
      const row = await db.selectFrom('team').select('name').where('id', '=', teamId).executeTakeFirst()
      return row?.name
    },

    async riskAssessmentsFor(partyIds: readonly string[]) {
      if (partyIds.length === 0) return []
      return db
        .selectFrom('risk_assessment')
        .select(['id', 'case_id', 'party_id', 'level', sql<string>`assessed_on::text`.as('assessed_on')])
        .where('party_id', 'in', [...partyIds])
        .orderBy('assessed_on', 'desc')
        .execute()
    },

    async powerActionsFor(partyIds: readonly string[]) {
      if (partyIds.length === 0) return []
      return db
        .selectFrom('power_action')
        .select(['id', 'case_id', 'party_id', 'power', sql<string>`action_date::text`.as('action_date')])
        .where('party_id', 'in', [...partyIds])
        .orderBy('action_date', 'desc')
        .execute()
    },

    async panelReferralsFor(partyIds: readonly string[]) {
      if (partyIds.length === 0) return []
      return db
        .selectFrom('panel_referral as r')
        .innerJoin('panel_type as t', 't.id', 'r.panel_id')
        .select([
          'r.id',
          'r.case_id',
          'r.party_id',
          'r.status',
          'r.referred_at',
          't.code as panel_code',
          't.name as panel_name',
        ])
        .where('r.party_id', 'in', [...partyIds])
        .orderBy('r.referred_at', 'desc')
        .execute()
    },

    // Places

    /** Cases, reports and address parties no place is linked to yet. */
    async unplaced(executor: Executor = db): Promise<UnplacedRecord[]> {
      const rows = await sql<UnplacedRecord>`
        select 'case' as "sourceType", c.id::text as "sourceId", c.location as address, null as postcode
          from asb_case c
          where c.location is not null and c.anonymised_at is null
            and not exists (select 1 from place_link l where l.source_type = 'case' and l.source_id = c.id::text)
        union all
        select 'report', r.id::text, null, r.postcode
          from report r
          where r.postcode is not null and r.anonymised_at is null
            and not exists (select 1 from place_link l where l.source_type = 'report' and l.source_id = r.id::text)
        union all
        select 'case-party', p.id::text, coalesce(p.address, p.name), p.postcode
          from case_party p
          where p.kind = 'address'
            and not exists (select 1 from place_link l where l.source_type = 'case-party' and l.source_id = p.id::text)`.execute(
        executor,
      )
      return rows.rows
    },

    async placeByKey(key: string, executor: Executor = db) {
      return executor.selectFrom('place').selectAll().where('place_key', '=', key).executeTakeFirst()
    },

    async insertPlace(
      values: { key: string; address: string | null; postcode: string | null; at: Date },
      executor: Executor,
    ): Promise<string> {
      await executor
        .insertInto('place')
        .values({ place_key: values.key, address: values.address, postcode: values.postcode, created_at: values.at })
        .onConflict(oc => oc.column('place_key').doNothing())
        .execute()
      const row = await executor
        .selectFrom('place')
        .select('id')
        .where('place_key', '=', values.key)
        .executeTakeFirstOrThrow()
      return row.id
    },

    async insertPlaceLink(
      placeId: string,
      sourceType: PlaceSourceType,
      sourceId: string,
      at: Date,
      executor: Executor,
    ) {
      await executor
        .insertInto('place_link')
        .values({ place_id: placeId, source_type: sourceType, source_id: sourceId, linked_at: at })
        .onConflict(oc => oc.columns(['source_type', 'source_id']).doNothing())
        .execute()
    },

    async places() {
      return db
        .selectFrom('place as pl')
        .select([
          'pl.id',
          'pl.address',
          'pl.postcode',
          'pl.uprn',
          sql<number>`(select count(*) from place_link l where l.place_id = pl.id)`.as('records'),
        ])
        .execute()
    },

    async placeById(id: string) {
      return db.selectFrom('place').selectAll().where('id', '=', id).executeTakeFirst()
    },

    async placeLinks(placeId: string) {
      return db.selectFrom('place_link').select(['source_type', 'source_id']).where('place_id', '=', placeId).execute()
    },

    async casesByIds(ids: readonly string[]) {
      if (ids.length === 0) return []
      return db
        .selectFrom('asb_case')
        .select(['id', 'opened_at'])
        .where('id', 'in', [...ids])
        .execute()
    },

    async caseIdsForParties(partyIds: readonly string[]) {
      if (partyIds.length === 0) return []
      return db
        .selectFrom('case_party')
        .select(['id', 'case_id'])
        .where('id', 'in', [...partyIds])
        .execute()
    },
  }
}

export type PeopleRepository = ReturnType<typeof createPeopleRepository>
