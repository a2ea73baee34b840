/** Shapes casework rows for the pages: labels from the locale file, dates left to the template's filters. */
import { lookup, t } from '../../platform/i18n.js'
import type { StaffUser } from '../accounts/index.js'
import { categoryLabel } from './casework-forms.js'
import { caseworkPaths } from './casework-paths.js'
import type { CaseRow, ChronologyRow, PartyRow, ShareRow, TaskRow } from './casework-repository.js'
import type { CaseworkService } from './casework-service.js'
import { partyDetailsShown, type CaseAccessFacts } from './policy.js'

/** The copy for a key, or the stored words themselves when there is none. */
function wordsFor(key: string, fallback: string): string {
  const copy = lookup(key)
  return typeof copy === 'string' ? copy : fallback
}

const DAY = 24 * 60 * 60 * 1000

export function caseAgeDays(openedAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - new Date(openedAt).getTime()) / DAY))
}

/**
 * The party as this user may see it: a confidential reporter who asked not to share their details is withheld from a
 * partner the case is shared with (name, date of birth, address, contacts), keeping the role and kind. Every page that
 * shows a party (case, person, export, risk, powers, MARAC) shows it through this; other modules use it through
 * casework's index.
 */
export function partyFor<T extends PartyRow>(
  user: Pick<StaffUser, 'partnerId' | 'teamId'>,
  facts: CaseAccessFacts,
  party: T,
): T {
  if (partyDetailsShown(user, facts, party)) return party
  return {
    ...party,
    name: t('casework.party.withheldName'),
    date_of_birth: null,
    address: null,
    postcode: null,
    phone: null,
    email: null,
    notes: t('casework.party.withheldNotes'),
  }
}

/** A party's name as this user may see it (for rows that carry only the name and the withheld flag). */
export function partyNameFor(
  user: Pick<StaffUser, 'partnerId' | 'teamId'>,
  facts: CaseAccessFacts,
  party: { name: string; contact_withheld: boolean },
): string {
  return partyDetailsShown(user, facts, party) ? party.name : t('casework.party.withheldName')
}

/**
 * How text stored on the case (chronology entries, task titles, panel agenda subjects) names a party: a confidential
 * reporter who asked not to share their details is never named there, because partners the case is shared with read
 * that text; the owning team finds who it is from the party itself.
 */
export function partyLabel(party: Pick<PartyRow, 'name' | 'role' | 'contact_withheld'>): string {
  if (!party.contact_withheld) return party.name
  return t('casework.party.withheldLabel', { role: t(`casework.partyRole.${party.role}`).toLowerCase() })
}

export function partySummary(party: PartyRow) {
  const rows: { key: { text: string }; value: { text: string } }[] = []
  const add = (key: string, value: string | null | undefined) => {
    if (value) rows.push({ key: { text: t(`casework.party.${key}`) }, value: { text: value } })
  }
  add('role', t(`casework.partyRole.${party.role}`))
  add('kind', t(`casework.partyKind.${party.kind}`))
  add('name', party.name)
  add('dateOfBirth', party.date_of_birth)
  add('address', party.address)
  add('postcode', party.postcode)
  add('phone', party.phone)
  add('email', party.email)
  add('vehicleRegistration', party.vehicle_registration)
  add('notes', party.notes)
  return rows
}

export function chronologyItems(rows: ChronologyRow[]) {
  return rows.map(row => ({
    at: row.occurred_at,
    kind: KINDS.has(row.kind)
      ? t(`casework.chronologyKind.${row.kind}`)
      : wordsFor(`casework.words.chronologyKind.${row.kind}`, t('casework.chronologyKind.other')),
    summary: chronologySummary(row),
    who: row.actor_name ?? t('casework.chronology.system'),
    source: sourceText(row.source_module),
  }))
}

/** Where an entry or task came from, in words ("from a risk assessment"); nothing for casework's own. */
export function sourceText(sourceModule: string): string {
  return sourceModule === 'casework' ? '' : wordsFor(`casework.words.source.${sourceModule}`, sourceModule)
}

/**
 * A chronology entry's text. Closures were written with the outcome's code ("Case closed: not_asb"), and entries are
 * never rewritten, so the outcome is put in words here.
 */
export function chronologySummary(row: Pick<ChronologyRow, 'kind' | 'summary'>): string {
  const closed = row.kind === 'closed' ? /^Case closed: ([a-z_]+)$/.exec(row.summary) : null
  const outcome = closed?.[1] ? lookup(`casework.outcome.${closed[1]}`) : undefined
  return typeof outcome === 'string' ? t('casework.words.closedSummary', { outcome }) : row.summary
}

/** A case's title from its category and place, in words: "Loud music, TV or parties: Commercial Road". */
export function caseTitle(category: string, place: string): string {
  const label = category === 'other' ? t('casework.words.otherCategoryTitle') : categoryLabel(category)
  return t('casework.words.caseTitle', { category: label, place })
}

const KINDS = new Set([
  'note',
  'contact',
  'visit',
  'action',
  'letter',
  'opened',
  'report',
  'task',
  'party',
  'share',
  'details',
  'closed',
  'reopened',
])

/**
 * Tasks as the pages show them. On a closed case an open task was carried after closure (never "Overdue" there: the
 * case is closed), and a task closed with the case says so.
 */
export function taskItems(
  tasks: TaskRow[],
  today: string,
  reference: string,
  canChange: boolean,
  caseStatus: 'open' | 'closed' = 'open',
) {
  return tasks.map(task => ({
    id: task.id,
    title: task.title,
    owner: task.owner_name ?? t('casework.tasks.unowned'),
    due: task.due_date,
    status: task.status,
    state:
      task.status === 'cancelled'
        ? 'closedWithCase'
        : task.status !== 'open'
          ? 'done'
          : caseStatus === 'closed'
            ? 'carried'
            : task.due_date < today
              ? 'overdue'
              : task.due_date === today
                ? 'today'
                : 'upcoming',
    doneHref: canChange && task.status === 'open' ? caseworkPaths.caseTaskDone(reference, task.id) : undefined,
    source: sourceText(task.source_module),
  }))
}

export function shareItems(shares: ShareRow[], reference: string, canRevoke: boolean) {
  return shares.map(share => ({
    partner: share.partner_name,
    // Rows written before the bases were a fixed list hold the basis in words.
    basis: wordsFor(`casework.lawfulBasis.${share.lawful_basis}`, share.lawful_basis),
    consent: t(`casework.consent.${share.consent_status}`),
    sharedAt: share.shared_at,
    sharedBy: share.shared_by_name ?? '',
    revokedAt: share.revoked_at,
    revokeHref: canRevoke && !share.revoked_at ? caseworkPaths.caseShareRevoke(reference, share.id) : undefined,
  }))
}

export function casePage(input: {
  user: StaffUser
  row: CaseRow
  parties: PartyRow[]
  chronology: { rows: ChronologyRow[]; total: number }
  tasks: TaskRow[]
  shares: ShareRow[]
  reports: {
    id: number
    reference: string
    category: string
    status: string
    received_at: Date
    channel: string
    linked_report_id: number | null
  }[]
  letters: {
    id: string
    template: string
    title: string | null
    created_at: Date
    party_name: string | null
    party_contact_withheld: boolean | null
    created_by_name: string | null
  }[]
  casework: CaseworkService
  today: string
}) {
  const { user, row, casework } = input
  const can = {
    change: casework.can(user, row, 'case', 'change') && row.status === 'open',
    reopen: casework.can(user, row, 'case', 'change') && row.status === 'closed',
    person: casework.can(user, row, 'person', 'change') && row.status === 'open',
    chronology: casework.can(user, row, 'chronology', 'change'),
    task: casework.can(user, row, 'task', 'change') && row.status === 'open',
    export: casework.can(user, row, 'export', 'view'),
    accessLog: user.roles.includes('supervisor'),
  }
  const ref = row.reference
  return {
    row,
    can,
    categoryText: categoryLabel(row.category),
    priorityText: t(`casework.priority.${row.priority}`),
    sensitivityText: row.sensitivity ? t(`casework.sensitivity.${row.sensitivity}`) : null,
    outcomeText: row.outcome ? t(`casework.outcome.${row.outcome}`) : null,
    ageDays: caseAgeDays(row.opened_at, casework.now()),
    parties: input.parties
      .map(stored => partyFor(user, row, stored))
      .map(party => ({
        href: caseworkPaths.caseParty(ref, party.id),
        name: party.name,
        role: t(`casework.partyRole.${party.role}`),
        kind: t(`casework.partyKind.${party.kind}`),
        detail: party.kind === 'vehicle' ? party.vehicle_registration : party.postcode,
      })),
    chronology: chronologyItems(input.chronology.rows),
    chronologyTotal: input.chronology.total,
    tasks: taskItems(input.tasks, input.today, ref, can.task, row.status),
    shares: shareItems(input.shares, ref, can.change),
    reports: input.reports.map(report => ({
      addedTo: addedToReference(report, input.reports),
      reference: report.reference,
      href: `/staff/reports/${encodeURIComponent(report.reference)}`,
      category: categoryLabel(report.category),
      status: t(`report.status.${report.status}.label`),
      receivedAt: report.received_at,
      channel: report.channel,
    })),
    letters: input.letters.map(letter => ({
      href: caseworkPaths.caseLetter(ref, letter.id),
      pdfHref: `${caseworkPaths.caseLetter(ref, letter.id)}?format=pdf`,
      template: letter.title ?? letter.template,
      party:
        letter.party_name === null
          ? ''
          : partyNameFor(user, row, {
              name: letter.party_name,
              contact_withheld: letter.party_contact_withheld ?? false,
            }),
      createdAt: letter.created_at,
      createdBy: letter.created_by_name ?? '',
    })),
    links: casework.linksFor(user, row),
    paths: {
      edit: caseworkPaths.caseEdit(ref),
      newParty: `${caseworkPaths.caseParties(ref)}/new`,
      chronology: caseworkPaths.caseChronology(ref),
      tasks: caseworkPaths.caseTasks(ref),
      share: `${caseworkPaths.caseShares(ref)}/new`,
      close: caseworkPaths.caseClose(ref),
      reopen: caseworkPaths.caseReopen(ref),
      accessLog: caseworkPaths.caseAccessLog(ref),
      export: caseworkPaths.caseExport(ref),
    },
  }
}

/** The reference of the report in this case that a report was added to (by its resident or by staff), if any. */
function addedToReference(
  report: { linked_report_id: number | null },
  reports: readonly { id: number; reference: string }[],
): string | null {
  if (report.linked_report_id === null) return null
  return reports.find(other => other.id === report.linked_report_id)?.reference ?? null
}
