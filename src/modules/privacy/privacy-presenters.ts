/**
 * Shapes a subject access bundle (the JSON, already redacted) into what the printable view shows: one titled list of
 * rows per record, so the PDF says exactly what the JSON says, in words.
 */
import { formatDateTime } from '../../platform/dates.js'
import { t } from '../../platform/i18n.js'
import { findCategory } from '../reporting/index.js'
import type { SubjectAccessBundle } from './privacy-service.js'
import { staffText, type StaffReference } from './redaction.js'

export interface Row {
  key: string
  value: string
}

export interface Item {
  heading: string
  rows: Row[]
  lists?: { heading: string; entries: string[] }[]
}

export interface Section {
  id: string
  heading: string
  empty: string
  items: Item[]
}

function when(iso: string | null | undefined): string {
  if (!iso) return ''
  return formatDateTime(iso)
}

function text(value: unknown): string {
  if (value === null || value === undefined || value === '') return ''
  if (typeof value === 'boolean') return value ? t('subjectAccess.yes') : t('subjectAccess.no')
  if (Array.isArray(value)) return value.map(text).join(', ')
  if (typeof value === 'string' || typeof value === 'number') return String(value)
  return JSON.stringify(value)
}

function rows(pairs: [string, unknown][]): Row[] {
  return pairs
    .map(([key, value]) => ({ key: t(`subjectAccess.fields.${key}`), value: text(value) }))
    .filter(row => row.value)
}

function category(code: string): string {
  return findCategory(code) ? t(`report.categories.${code}.label`) : code
}

function staff(reference: StaffReference | null): string {
  return staffText(reference)
}

export function bundleView(bundle: SubjectAccessBundle) {
  const subject =
    'email' in bundle.subject ? bundle.subject.email : t('subjectAccess.partyId', { id: bundle.subject.casePartyId })
  const sections: Section[] = [
    {
      id: 'reports',
      heading: t('subjectAccess.sections.reports'),
      empty: t('subjectAccess.none'),
      items: bundle.reports.map(report => ({
        heading: `${report.reference} · ${when(report.receivedAt)}`,
        rows: rows([
          ['category', category(report.category)],
          ['status', report.status],
          ['closureReason', report.closureReason],
          ['occurredOn', report.occurredOn],
          ['description', report.description],
          ['postcode', report.location.postcode],
          ['locationDescription', report.location.description],
          ['impact', Object.entries(report.impact).map(([key, value]) => `${key}: ${text(value)}`)],
          ['reporterMode', report.reporter.mode],
          ['name', report.reporter.name],
          ['email', report.reporter.email],
          ['phone', report.reporter.phone],
          ['contactPreference', report.reporter.contactPreference],
          ['consentToShare', report.reporter.consentToShare],
          ['cases', report.caseReferences],
        ]),
        lists: [
          {
            heading: t('subjectAccess.statusHistory'),
            entries: report.statusHistory.map(update =>
              [when(update.at), update.status, update.publicNote].filter(Boolean).join(' · '),
            ),
          },
          {
            heading: t('subjectAccess.evidence'),
            entries: report.evidence.map(
              file => `${file.fileName} (${file.contentType}, ${String(file.sizeBytes)} bytes) · ${file.file}`,
            ),
          },
        ].filter(list => list.entries.length > 0),
      })),
    },
    {
      id: 'cases',
      heading: t('subjectAccess.sections.cases'),
      empty: t('subjectAccess.none'),
      items: bundle.cases.map(item => ({
        heading: `${item.reference} · ${item.title ?? ''}`,
        rows: rows([
          ['involvement', item.involvement],
          ['category', category(item.category)],
          ['status', item.status],
          ['openedAt', when(item.openedAt)],
          ['closedAt', when(item.closedAt)],
          ['outcome', item.outcome],
          ['outcomeNote', item.outcomeNote],
          ['leadOfficer', staff(item.leadOfficer)],
          ['otherParties', item.otherParties.map(party => `${party.role} (${party.kind}) ${party.name}`)],
          ['otherReportsRedacted', item.otherReportsRedacted || ''],
        ]),
        lists: [
          {
            heading: t('subjectAccess.yourPartyRecord'),
            entries: item.yourPartyRecords.map(party =>
              [
                party.role,
                party.name,
                party.dateOfBirth,
                party.address,
                party.postcode,
                party.phone,
                party.email,
                party.vehicleRegistration,
                party.notes,
              ]
                .filter(Boolean)
                .join(' · '),
            ),
          },
          {
            heading: t('subjectAccess.chronology'),
            entries: item.chronology.map(entry =>
              [when(entry.occurredAt), entry.summary, staff(entry.recordedBy)].filter(Boolean).join(' · '),
            ),
          },
          {
            heading: t('subjectAccess.tasks'),
            entries: item.tasks.map(task => [task.title, task.dueDate, task.status, staff(task.owner)].join(' · ')),
          },
          {
            heading: t('subjectAccess.letters'),
            entries: item.letters.map(
              letter => `${letter.title ?? letter.template} · ${when(letter.sentAt)} · ${letter.file}`,
            ),
          },
          {
            heading: t('subjectAccess.riskAssessments'),
            entries: item.riskAssessments.map(risk =>
              [risk.assessedOn, risk.level, staff(risk.assessedBy)].filter(Boolean).join(' · '),
            ),
          },
          {
            heading: t('subjectAccess.powerActions'),
            entries: item.powerActions.map(power =>
              [power.actionDate, power.power, staff(power.issuedBy)].filter(Boolean).join(' · '),
            ),
          },
        ].filter(list => list.entries.length > 0),
      })),
    },
    {
      id: 'case-reviews',
      heading: t('subjectAccess.sections.caseReviews'),
      empty: t('subjectAccess.none'),
      items: bundle.caseReviews.map(review => ({
        heading: `${review.reference} · ${when(review.receivedAt)}`,
        rows: rows([
          ['applicantType', review.applicantType],
          ['name', review.applicant.name],
          ['email', review.applicant.email],
          ['phone', review.applicant.phone],
          ['address', review.applicant.address],
          ['victimName', review.victimName],
          ['description', review.description],
          ['dissatisfaction', review.dissatisfaction],
          ['status', review.status],
          ['thresholdDecision', review.thresholdDecision],
          ['thresholdReason', review.thresholdReason],
          ['meetingOn', review.meetingOn],
          ['chair', staff(review.chair)],
          ['outcomeSummary', review.outcomeSummary],
          ['appeal', review.appeal ? [review.appeal.against, review.appeal.decision, review.appeal.reason] : null],
        ]),
      })),
    },
    {
      id: 'checkins',
      heading: t('subjectAccess.sections.checkins'),
      empty: t('subjectAccess.none'),
      items: bundle.checkins.map(checkin => ({
        heading: `${checkin.caseReference ?? ''} · ${when(checkin.sentAt)}`,
        rows: rows([
          ['answeredAt', when(checkin.answeredAt)],
          ['satisfaction', checkin.satisfaction],
          ['feelsSafer', checkin.feelsSafer],
          ['comment', checkin.comment],
        ]),
      })),
    },
    {
      id: 'notifications',
      heading: t('subjectAccess.sections.notifications'),
      empty: t('subjectAccess.none'),
      items: bundle.notifications.map(message => ({
        heading: `${when(message.createdAt)} · ${message.channel}`,
        rows: rows([
          ['recipient', message.recipient],
          ['template', message.template],
          ['status', message.status],
          ['sentAt', when(message.sentAt)],
          ['content', Object.entries(message.content).map(([key, value]) => `${key}: ${text(value)}`)],
        ]),
      })),
    },
    {
      id: 'drafts',
      heading: t('subjectAccess.sections.drafts'),
      empty: t('subjectAccess.none'),
      items: bundle.drafts.map(draft => ({
        heading: when(draft.startedAt),
        rows: rows([
          ['submitted', draft.submitted],
          ['answers', Object.entries(draft.answers).map(([key, value]) => `${key}: ${text(value)}`)],
        ]),
      })),
    },
  ]
  return {
    subject,
    generatedAt: when(bundle.generatedAt),
    request: bundle.request,
    redaction: Object.values(bundle.redaction),
    staffAccount: bundle.staffAccount,
    sections,
  }
}
