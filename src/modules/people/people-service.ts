/**
 * The person and place index (ADR 0052): links every case party and named reporter to a person, and every case,
 * report and address party to a place; searches them by name (fuzzy), date of birth, address or postcode; builds a
 * person's and a place's page from the records they are linked to, each shown only as the casework access policy
 * allows; and keeps the merges it proposes until a person confirms, rejects or undoes them. Every search, page view
 * and merge decision is audited: the index is a way into personal data.
 */
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { DomainError } from '../../platform/errors.js'
import type { StaffUser } from '../accounts/index.js'
import { grantOf, type Casework, type CaseRow, type ReportAccess } from '../casework/index.js'
import {
  nameKey,
  nameMatch,
  spellingKey,
  normalisePostcode,
  outwardCode,
  addressMatches,
  placeKey,
} from './people-keys.js'
import type { Executor, LinkFacts, PeopleRepository } from './people-repository.js'

export type PeopleErrorCode = 'no-criteria' | 'name-too-short' | 'not-found' | 'already-decided' | 'forbidden'

export class PeopleError extends DomainError<PeopleErrorCode> {}

export type Viewer = StaffUser

/** One record a person or place appears in, as the viewer may see it. */
export interface RecordEntry {
  kind: 'case' | 'report' | 'risk' | 'power' | 'panel'
  id: string
  /** For case-party records: the case, the party and its role. */
  caseId?: string
  caseReference?: string
  caseTitle?: string
  caseStatus?: string
  owningTeam?: string
  role?: string
  partyId?: string
  /** For reports: the reference, category and status. */
  reportReference?: string
  category?: string
  status?: string
  /** For risk, powers and panels. */
  level?: string
  power?: string
  panelCode?: string
  panelName?: string
  date: string
}

/** Records the viewer cannot see but may be told exist, counted by the team to ask. */
export interface HiddenCount {
  team: string
  count: number
}

export interface PersonSummary {
  personId: string
  names: string[]
  datesOfBirth: string[]
  postcodes: string[]
  visibleRecords: number
  hiddenRecords: number
  score: number
}

export interface SearchCriteria {
  name: string
  dateOfBirth: string | null
  place: string
}

export interface PlaceSummary {
  placeId: string
  address: string | null
  postcode: string | null
  uprn: string | null
  visibleRecords: number
}

type LinkAccess =
  | {
      visible: true
      entries: RecordEntry[]
      facts?: {
        name: string
        dob: string | null
        postcode: string | null
        address: string | null
        /** Phone, email and vehicle registration on the record, as identifiers. */
        identifiers?: string[]
      }
    }
  | { visible: false; disclosable: boolean; team: string }

const actorOf = (user: Viewer): Actor => ({ type: 'user', id: user.id })

export function createPeopleService(deps: {
  repository: PeopleRepository
  casework: Casework
  reportAccess: ReportAccess
  audit: AuditService
  clock: Clock
}) {
  const { repository, casework, reportAccess, audit, clock } = deps

  /**
   * Whether a user who may not see a record may be told it exists (ADR 0052): never for a sensitive case or report
   * (domestic abuse, hate, safeguarding) nor a confidential reporter's details; otherwise only when the casework
   * policy would let them see it were it shared with their partner, so readers with no casework role learn nothing.
   */
  function mayBeTold(user: Viewer, sensitivity: string | null, withheld: boolean): boolean {
    if (sensitivity || withheld) return false
    return (
      grantOf(user, {
        owning_team_id: '\u0000elsewhere',
        owning_partner_id: '\u0000elsewhere',
        sensitivity: null,
        shared_partner_ids: [user.partnerId],
      }) !== 'none'
    )
  }

  // ---- Indexing

  /**
   * Links every record not yet in the index. A record joins an existing person only on the same name (as written, in
   * any order) and the same date of birth; anything weaker (another spelling or a typo with the same date of birth,
   * the same name and postcode without a date of birth) makes a new person and proposes a merge for someone to decide.
   */
  async function sync(executor?: Executor): Promise<{ linked: number; placed: number }> {
    const run = async (trx: Executor) => {
      // One indexer at a time: two requests linking the same new records would make two people for one.
      await repository.lockIndex(trx)
      const pending = await repository.unlinked(trx)
      let linked = 0
      if (pending.length > 0) {
        const known = await repository.allLinkFacts(trx)
        const now = clock.now()
        for (const record of pending) {
          const key = nameKey(record.name)
          if (!key) continue
          const spelling = spellingKey(record.name)
          const same = record.dateOfBirth
            ? known.find(link => link.dateOfBirth === record.dateOfBirth && spellingKey(link.name) === spelling)
            : undefined
          const personId = same?.personId ?? (await repository.insertPerson(now, trx))
          const linkId = await repository.insertLink(
            { personId, sourceType: record.sourceType, sourceId: record.sourceId, nameKey: key, at: now, by: null },
            trx,
          )
          if (!linkId) continue
          if (!same) {
            const postcode = normalisePostcode(record.postcode)
            const proposed = new Set<string>()
            for (const link of known) {
              if (link.personId === personId || proposed.has(link.personId)) continue
              const similarBirth =
                record.dateOfBirth !== null &&
                link.dateOfBirth === record.dateOfBirth &&
                nameMatch(record.name, link.name) >= 0.75
              const samePlace =
                (record.dateOfBirth === null || link.dateOfBirth === null) &&
                link.nameKey === key &&
                postcode !== undefined &&
                normalisePostcode(link.postcode) === postcode
              if (similarBirth || samePlace) {
                proposed.add(link.personId)
                await repository.proposeMerge(
                  link.personId,
                  personId,
                  similarBirth ? 'similar-name-same-birth' : 'same-name-same-postcode',
                  now,
                  trx,
                )
              }
            }
          }
          known.push({
            linkId,
            personId,
            sourceType: record.sourceType,
            sourceId: record.sourceId,
            nameKey: key,
            name: record.name,
            dateOfBirth: record.dateOfBirth,
            postcode: record.postcode,
            address: null,
          })
          linked += 1
        }
      }
      let placed = 0
      for (const record of await repository.unplaced(trx)) {
        const postcodeOnly = record.address ? normalisePostcode(record.address) : undefined
        const address = postcodeOnly ? null : record.address
        const postcode = normalisePostcode(postcodeOnly ?? record.postcode) ?? null
        const key = placeKey({ address, postcode })
        if (!key) continue
        const place =
          (await repository.placeByKey(key, trx))?.id ??
          (await repository.insertPlace({ key, address, postcode, at: clock.now() }, trx))
        await repository.insertPlaceLink(place, record.sourceType, record.sourceId, clock.now(), trx)
        placed += 1
      }
      return { linked, placed }
    }
    return executor ? run(executor) : repository.transaction(run)
  }

  // ---- Access to linked records

  const caseCache = () => {
    const cache = new Map<string, Promise<CaseRow | undefined>>()
    return (id: string) => {
      let row = cache.get(id)
      if (!row) {
        row = casework.repository.caseById(id)
        cache.set(id, row)
      }
      return row
    }
  }

  /** Every link of a person's, each as the viewer may see it (with its risk, powers and panel records). */
  async function accessLinks(user: Viewer, links: readonly LinkFacts[]) {
    const caseOf = caseCache()
    const partyIds = links.filter(link => link.sourceType === 'case-party').map(link => link.sourceId)
    const [parties, risks, powers, panels] = await Promise.all([
      repository.partyRecords(partyIds),
      repository.riskAssessmentsFor(partyIds),
      repository.powerActionsFor(partyIds),
      repository.panelReferralsFor(partyIds),
    ])
    const reports = await repository.reportRecords(
      links.filter(link => link.sourceType === 'reporter').map(link => Number(link.sourceId)),
    )
    const result = new Map<string, LinkAccess>()
    for (const link of links) {
      if (link.sourceType === 'case-party') {
        const party = parties.find(row => row.party_id === link.sourceId)
        const caseRow = party ? await caseOf(party.case_id) : undefined
        if (!party || !caseRow) continue
        const sees = casework.can(user, caseRow, 'person', 'view') && casework.partyShown(user, caseRow, party)
        if (!sees) {
          result.set(link.linkId, {
            visible: false,
            disclosable: mayBeTold(user, caseRow.sensitivity, party.contact_withheld),
            team: caseRow.owning_team_name,
          })
          continue
        }
        const entries: RecordEntry[] = [
          {
            kind: 'case',
            id: caseRow.id,
            caseId: caseRow.id,
            caseReference: caseRow.reference,
            caseTitle: caseRow.title,
            caseStatus: caseRow.status,
            owningTeam: caseRow.owning_team_name,
            role: party.role,
            partyId: party.party_id,
            date: new Date(caseRow.opened_at).toISOString(),
          },
          ...risks
            .filter(row => row.party_id === party.party_id)
            .map(row => ({
              kind: 'risk' as const,
              id: row.id,
              caseId: caseRow.id,
              caseReference: caseRow.reference,
              level: row.level,
              date: row.assessed_on,
            })),
          ...powers
            .filter(row => row.party_id === party.party_id)
            .map(row => ({
              kind: 'power' as const,
              id: row.id,
              caseId: caseRow.id,
              caseReference: caseRow.reference,
              power: row.power,
              date: row.action_date,
            })),
          ...panels
            .filter(row => row.party_id === party.party_id)
            .map(row => ({
              kind: 'panel' as const,
              id: row.id,
              caseId: caseRow.id,
              caseReference: caseRow.reference,
              panelCode: row.panel_code,
              panelName: row.panel_name,
              status: row.status,
              date: new Date(row.referred_at).toISOString(),
            })),
        ]
        result.set(link.linkId, {
          visible: true,
          entries,
          facts: {
            name: party.name,
            dob: party.date_of_birth,
            postcode: party.postcode,
            address: party.address,
            identifiers: [party.phone, party.email, party.vehicle_registration].filter((value): value is string =>
              Boolean(value),
            ),
          },
        })
      } else {
        const report = reports.find(row => String(row.id) === link.sourceId)
        if (!report || report.anonymised_at) continue
        const record = await reportAccess.load(report.reference)
        if (!record) continue
        const decision = reportAccess.decide(user, record, 'view')
        if (!decision.visible || decision.restrictions.length > 0) {
          const sensitivity = record.facts.case ? record.facts.case.sensitivity : record.facts.sensitivity
          const teamId = record.facts.case ? record.facts.case.owning_team_id : record.facts.owning_team_id
          const withheld = record.reporter.reporter_mode === 'confidential' && !record.reporter.consent_to_share
          result.set(link.linkId, {
            visible: false,
            disclosable: mayBeTold(user, sensitivity, withheld),
            team: (await repository.teamName(teamId)) ?? '',
          })
          continue
        }
        result.set(link.linkId, {
          visible: true,
          entries: [
            {
              kind: 'report',
              id: String(report.id),
              reportReference: report.reference,
              category: report.category,
              status: report.status,
              caseReference: record.caseReference ?? undefined,
              date: new Date(report.received_at).toISOString(),
            },
          ],
          facts: { name: report.reporter_name ?? '', dob: null, postcode: report.postcode, address: null },
        })
      }
    }
    return result
  }

  function hiddenByTeam(accesses: Iterable<LinkAccess>): HiddenCount[] {
    const counts = new Map<string, number>()
    for (const access of accesses) {
      if (access.visible || !access.disclosable) continue
      counts.set(access.team, (counts.get(access.team) ?? 0) + 1)
    }
    return [...counts.entries()].map(([team, count]) => ({ team, count })).sort((a, b) => a.team.localeCompare(b.team))
  }

  const unique = (values: (string | null | undefined)[]) =>
    [...new Set(values.filter((value): value is string => Boolean(value)))].sort()

  function linkMatches(
    criteria: SearchCriteria,
    link: { name: string; dob: string | null; postcode: string | null; address: string | null },
  ) {
    let score = 1
    if (criteria.name) {
      score = nameMatch(criteria.name, link.name)
      if (score === 0) return 0
    }
    if (criteria.dateOfBirth && link.dob !== criteria.dateOfBirth) return 0
    if (criteria.place && !placeMatches(criteria.place, link.address, link.postcode)) return 0
    return score
  }

  function placeMatches(searched: string, address: string | null, postcode: string | null): boolean {
    const full = normalisePostcode(searched)
    if (full) return normalisePostcode(postcode) === full || normalisePostcode(address) === full
    const outward = outwardCode(searched)
    if (outward) return (normalisePostcode(postcode) ?? '').split(' ')[0] === outward
    return addressMatches(searched, address ?? '')
  }

  function checkCriteria(criteria: SearchCriteria) {
    if (!criteria.name && !criteria.dateOfBirth && !criteria.place)
      throw new PeopleError('no-criteria', { field: 'name' })
    if (criteria.name && criteria.name.replace(/[^\p{L}]/gu, '').length < 2)
      throw new PeopleError('name-too-short', { field: 'name' })
  }

  return {
    sync,
    mayBeTold,

    /**
     * People whose records the viewer may see match the criteria (a record matches on its own name, date of birth and
     * address, so a hidden record's name never brings a person into the results), and places when an address or
     * postcode is given. Records that match but the viewer may not see are counted by team where they may be told.
     */
    async search(user: Viewer, criteria: SearchCriteria, correlationId?: string) {
      checkCriteria(criteria)
      await sync()
      const links = await repository.allLinkFacts()
      const candidates = links.filter(link =>
        linkMatches(criteria, {
          name: link.name,
          dob: link.dateOfBirth,
          postcode: link.postcode,
          address: link.address,
        }),
      )
      const personIds = [...new Set(candidates.map(link => link.personId))]
      const allOfThem = links.filter(link => personIds.includes(link.personId))
      const access = await accessLinks(user, allOfThem)
      const people: PersonSummary[] = []
      const hiddenMatches: LinkAccess[] = []
      for (const personId of personIds) {
        const mine = allOfThem.filter(link => link.personId === personId)
        const visible = mine.flatMap(link => {
          const entry = access.get(link.linkId)
          return entry?.visible && entry.facts ? [{ link, facts: entry.facts, entries: entry.entries }] : []
        })
        const score = Math.max(0, ...visible.map(item => linkMatches(criteria, item.facts)))
        if (score === 0) {
          for (const link of candidates.filter(candidate => candidate.personId === personId)) {
            const entry = access.get(link.linkId)
            if (entry && !entry.visible) hiddenMatches.push(entry)
          }
          continue
        }
        const hidden = mine.filter(link => {
          const entry = access.get(link.linkId)
          return entry && !entry.visible && entry.disclosable
        }).length
        people.push({
          personId,
          names: unique(visible.map(item => item.facts.name)),
          datesOfBirth: unique(visible.map(item => item.facts.dob)),
          postcodes: unique(visible.map(item => normalisePostcode(item.facts.postcode) ?? item.facts.postcode)),
          visibleRecords: visible.length,
          hiddenRecords: hidden,
          score,
        })
      }
      people.sort((a, b) => b.score - a.score || (a.names[0] ?? '').localeCompare(b.names[0] ?? ''))
      const places =
        criteria.place && !criteria.name && !criteria.dateOfBirth ? await searchPlaces(user, criteria.place) : []
      await audit.record({
        actor: actorOf(user),
        action: 'people.searched',
        subjectType: null,
        subjectId: null,
        correlationId: correlationId ?? null,
        details: {
          name: criteria.name || null,
          dateOfBirth: criteria.dateOfBirth,
          place: criteria.place || null,
          people: people.map(person => person.personId),
          places: places.map(place => place.placeId),
        },
      })
      return { people: people.slice(0, 50), places, hidden: hiddenByTeam(hiddenMatches) }
    },

    /** A person's page: every record they appear in that the viewer may see, and the rest counted where allowed. */
    async person(user: Viewer, personId: string, correlationId?: string) {
      await sync()
      const person = await repository.personById(personId)
      if (!person) throw new PeopleError('not-found', { status: 404 })
      const mergedInto = person.merged_into
      if (mergedInto) return { kind: 'merged' as const, mergedInto }
      const links = await repository.linkFactsForPerson(personId)
      const access = await accessLinks(user, links)
      const visible = [...access.values()].filter(
        (entry): entry is Extract<LinkAccess, { visible: true }> => entry.visible,
      )
      if (visible.length === 0) throw new PeopleError('not-found', { status: 404 })
      const entries = visible.flatMap(entry => entry.entries).sort((a, b) => b.date.localeCompare(a.date))
      const merges = (await repository.mergesForPerson(personId)).filter(merge => merge.status !== 'rejected')
      // Each case shown is in that case's access log too: its owners see who read about its people from here.
      for (const caseId of unique(entries.map(entry => entry.caseId)))
        await audit.record({
          actor: actorOf(user),
          action: 'people.person-page-case-viewed',
          subjectType: 'case',
          subjectId: caseId,
          correlationId: correlationId ?? null,
          details: { personId, resource: 'person' },
        })
      await audit.record({
        actor: actorOf(user),
        action: 'people.person-viewed',
        subjectType: 'person',
        subjectId: personId,
        correlationId: correlationId ?? null,
        details: {
          cases: unique(entries.map(entry => entry.caseId)),
          reports: unique(entries.filter(entry => entry.kind === 'report').map(entry => entry.reportReference)),
        },
      })
      return {
        kind: 'person' as const,
        personId,
        names: unique(visible.map(entry => entry.facts?.name)),
        datesOfBirth: unique(visible.map(entry => entry.facts?.dob)),
        addresses: unique(
          visible.map(entry =>
            [entry.facts?.address, normalisePostcode(entry.facts?.postcode) ?? entry.facts?.postcode]
              .filter(Boolean)
              .join(', '),
          ),
        ),
        identifiers: unique(visible.flatMap(entry => entry.facts?.identifiers ?? [])),
        entries,
        hidden: hiddenByTeam(access.values()),
        merges,
      } as const
    },

    /**
     * What the viewer may know of a party's person elsewhere, for the warning shown when the party is added: the
     * other cases and reports they may see, and the others counted by team where they may be told.
     */
    async knownTo(user: Viewer, caseRow: CaseRow, partyId: string, correlationId?: string, audited = true) {
      await sync()
      const personId = await repository.personForSource('case-party', partyId)
      if (!personId) return undefined
      const links = (await repository.linkFactsForPerson(personId)).filter(link => link.sourceId !== partyId)
      const access = await accessLinks(user, links)
      const entries = [...access.values()]
        .flatMap(entry => (entry.visible ? entry.entries : []))
        .filter(entry => (entry.kind === 'case' || entry.kind === 'report') && entry.caseId !== caseRow.id)
        .sort((a, b) => b.date.localeCompare(a.date))
      const hidden = hiddenByTeam(access.values())
      if (audited)
        await audit.record({
          actor: actorOf(user),
          action: 'people.known-to-viewed',
          subjectType: 'case',
          subjectId: caseRow.id,
          correlationId: correlationId ?? null,
          details: {
            partyId,
            personId,
            shown: entries.length,
            hidden: hidden.reduce((sum, item) => sum + item.count, 0),
          },
        })
      return { personId, entries, hidden }
    },

    /** Merges the index proposed that the viewer may decide: they must see a record of each person. */
    async proposedMerges(user: Viewer) {
      await sync()
      const merges = await repository.mergesByStatus(['proposed'])
      const result = []
      for (const merge of merges) {
        const kept = await visibleSummary(user, merge.kept_person_id)
        const merged = await visibleSummary(user, merge.merged_person_id)
        if (kept && merged) result.push({ merge, kept, merged })
      }
      return result
    },

    merge: loadMerge,

    /** Confirms, rejects or undoes a merge, in one transaction, audited with the note the person gave. */
    async decideMerge(
      user: Viewer,
      mergeId: string,
      decision: 'merge' | 'reject' | 'undo',
      note: string,
      correlationId?: string,
    ) {
      const { merge } = await loadMerge(user, mergeId)
      const now = clock.now()
      await repository.transaction(async trx => {
        let ok: boolean
        if (decision === 'merge') {
          const kept = await repository.personById(merge.kept_person_id, trx)
          const merged = await repository.personById(merge.merged_person_id, trx)
          if (!kept || !merged || kept.merged_into || merged.merged_into)
            throw new PeopleError('already-decided', { status: 409 })
          const moved = await repository.moveLinks(merge.merged_person_id, merge.kept_person_id, now, trx)
          ok = await repository.decideMerge(
            mergeId,
            { status: 'merged', by: user.id, at: now, note: note || null, moved },
            'proposed',
            trx,
          )
        } else if (decision === 'reject') {
          ok = await repository.decideMerge(
            mergeId,
            { status: 'rejected', by: user.id, at: now, note: note || null },
            'proposed',
            trx,
          )
        } else {
          ok = merge.status === 'merged'
          if (ok) {
            await repository.restoreLinks(merge.moved_link_ids, merge.merged_person_id, trx)
            ok = await repository.decideMerge(
              mergeId,
              { status: 'undone', by: user.id, at: now, note: note || null },
              'merged',
              trx,
            )
          }
        }
        if (!ok) throw new PeopleError('already-decided', { status: 409 })
        await audit.record(
          {
            actor: actorOf(user),
            action:
              decision === 'merge'
                ? 'people.merge-confirmed'
                : decision === 'reject'
                  ? 'people.merge-rejected'
                  : 'people.merge-undone',
            subjectType: 'person',
            subjectId: merge.kept_person_id,
            correlationId: correlationId ?? null,
            details: {
              mergeId,
              keptPersonId: merge.kept_person_id,
              mergedPersonId: merge.merged_person_id,
              reason: merge.reason,
              note: note || null,
            },
          },
          trx,
        )
      })
      return merge
    },

    /** A place's page: its records over time, as the viewer may see them. */
    async place(user: Viewer, placeId: string, correlationId?: string) {
      await sync()
      const place = await repository.placeById(placeId)
      if (!place) throw new PeopleError('not-found', { status: 404 })
      const { entries, hidden } = await placeRecords(user, placeId)
      if (entries.length === 0) throw new PeopleError('not-found', { status: 404 })
      await audit.record({
        actor: actorOf(user),
        action: 'people.place-viewed',
        subjectType: 'place',
        subjectId: placeId,
        correlationId: correlationId ?? null,
        details: {
          cases: unique(entries.map(entry => entry.caseId)),
          reports: entries.filter(e => e.kind === 'report').length,
        },
      })
      return { place, entries, hidden }
    },
  }

  /** A merge and both people as the viewer sees them: 404 unless they see a record of each. */
  async function loadMerge(user: Viewer, mergeId: string) {
    const merge = await repository.mergeById(mergeId)
    if (!merge) throw new PeopleError('not-found', { status: 404 })
    // While merged, the second person's records are the links the merge moved to the first.
    const moved = merge.status === 'merged' ? new Set(merge.moved_link_ids) : undefined
    const keptLinks = await repository.linkFactsForPerson(merge.kept_person_id)
    const mergedLinks = moved
      ? keptLinks.filter(link => moved.has(link.linkId))
      : await repository.linkFactsForPerson(merge.merged_person_id)
    const kept = await visibleSummary(
      user,
      merge.kept_person_id,
      moved ? keptLinks.filter(link => !moved.has(link.linkId)) : keptLinks,
    )
    const merged = await visibleSummary(user, merge.merged_person_id, mergedLinks)
    if (!kept || !merged) throw new PeopleError('not-found', { status: 404 })
    return { merge, kept, merged }
  }

  async function visibleSummary(user: Viewer, personId: string, given?: LinkFacts[]) {
    const links = given ?? (await repository.linkFactsForPerson(personId))
    const access = await accessLinks(user, links)
    const visible = [...access.values()].filter(
      (entry): entry is Extract<LinkAccess, { visible: true }> => entry.visible,
    )
    if (visible.length === 0) return undefined
    return {
      personId,
      names: unique(visible.map(entry => entry.facts?.name)),
      datesOfBirth: unique(visible.map(entry => entry.facts?.dob)),
      postcodes: unique(visible.map(entry => normalisePostcode(entry.facts?.postcode) ?? entry.facts?.postcode)),
      entries: visible
        .flatMap(entry => entry.entries)
        .filter(entry => entry.kind === 'case' || entry.kind === 'report'),
    }
  }

  async function placeRecords(user: Viewer, placeId: string) {
    const caseOf = caseCache()
    const links = await repository.placeLinks(placeId)
    const entries: RecordEntry[] = []
    const hidden: LinkAccess[] = []
    const partyCases = await repository.caseIdsForParties(
      links.filter(link => link.source_type === 'case-party').map(link => link.source_id),
    )
    const caseIds = new Set<string>()
    for (const link of links) {
      if (link.source_type === 'report') continue
      const caseId =
        link.source_type === 'case' ? link.source_id : partyCases.find(row => row.id === link.source_id)?.case_id
      if (caseId) caseIds.add(caseId)
    }
    for (const caseId of caseIds) {
      const caseRow = await caseOf(caseId)
      if (!caseRow) continue
      if (casework.can(user, caseRow, 'case', 'view')) {
        entries.push({
          kind: 'case',
          id: caseRow.id,
          caseId: caseRow.id,
          caseReference: caseRow.reference,
          caseTitle: caseRow.title,
          caseStatus: caseRow.status,
          owningTeam: caseRow.owning_team_name,
          date: new Date(caseRow.opened_at).toISOString(),
        })
      } else {
        hidden.push({
          visible: false,
          disclosable: mayBeTold(user, caseRow.sensitivity, false),
          team: caseRow.owning_team_name,
        })
      }
    }
    const reports = await repository.reportRecords(
      links.filter(link => link.source_type === 'report').map(link => Number(link.source_id)),
    )
    for (const report of reports) {
      const record = await reportAccess.load(report.reference)
      if (!record) continue
      const decision = reportAccess.decide(user, record, 'view')
      if (decision.visible) {
        entries.push({
          kind: 'report',
          id: String(report.id),
          reportReference: report.reference,
          category: report.category,
          status: report.status,
          caseReference: record.caseReference ?? undefined,
          date: new Date(report.received_at).toISOString(),
        })
      } else {
        const sensitivity = record.facts.case ? record.facts.case.sensitivity : record.facts.sensitivity
        const teamId = record.facts.case ? record.facts.case.owning_team_id : record.facts.owning_team_id
        hidden.push({
          visible: false,
          disclosable: mayBeTold(user, sensitivity, false),
          team: (await repository.teamName(teamId)) ?? '',
        })
      }
    }
    entries.sort((a, b) => b.date.localeCompare(a.date))
    return { entries, hidden: hiddenByTeam(hidden) }
  }

  /** Places matching an address or postcode at which the viewer may see at least one record. */
  async function searchPlaces(user: Viewer, searched: string): Promise<PlaceSummary[]> {
    const places = await repository.places()
    const matching = places.filter(place => placeMatches(searched, place.address, place.postcode)).slice(0, 30)
    const result: PlaceSummary[] = []
    for (const place of matching) {
      const { entries } = await placeRecords(user, place.id)
      if (entries.length > 0)
        result.push({
          placeId: place.id,
          address: place.address,
          postcode: place.postcode,
          uprn: place.uprn,
          visibleRecords: entries.length,
        })
    }
    return result.sort((a, b) => b.visibleRecords - a.visibleRecords)
  }
}

export type PeopleService = ReturnType<typeof createPeopleService>
