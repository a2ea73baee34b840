/** View data for the people pages: every record kind, role, status and power in words, dates the GOV.UK way. */
import { formatLongDate } from '../../platform/dates.js'
import { t } from '../../platform/i18n.js'
import { caseworkPaths } from '../casework/index.js'
import { panelsPaths } from '../panels/index.js'
import { powersPaths } from '../powers/index.js'
import { findCategory, reportingPaths } from '../reporting/index.js'
import { riskPaths } from '../risk/index.js'
import { peoplePaths } from './people-paths.js'
import type { HiddenCount, RecordEntry } from './people-service.js'

const day = (iso: string) => formatLongDate(iso.slice(0, 10))

export function categoryLabel(code: string): string {
  return findCategory(code) ? t(`report.categories.${code}.label`) : t('people.record.otherCategory')
}

/** One record as a row: what it is, a link to it, when, and what the person is in it. */
export function presentEntry(entry: RecordEntry) {
  switch (entry.kind) {
    case 'case':
      return {
        kind: t('people.kind.case'),
        text: `${entry.caseReference ?? ''}: ${entry.caseTitle ?? ''}`,
        href: caseworkPaths.case(entry.caseReference ?? ''),
        date: day(entry.date),
        detail: [
          entry.role ? t(`casework.partyRole.${entry.role}`) : '',
          entry.caseStatus ? t(`casework.status.${entry.caseStatus}`) : '',
          entry.owningTeam ?? '',
        ]
          .filter(Boolean)
          .join(' · '),
      }
    case 'report':
      return {
        kind: t('people.kind.report'),
        text: `${entry.reportReference ?? ''}: ${categoryLabel(entry.category ?? '')}`,
        href: reportingPaths.staffReport(entry.reportReference ?? ''),
        date: day(entry.date),
        detail: [
          t('people.record.reporter'),
          entry.status ? t(`report.status.${entry.status}.label`) : '',
          entry.caseReference ? t('people.record.onCase', { reference: entry.caseReference }) : '',
        ]
          .filter(Boolean)
          .join(' · '),
      }
    case 'risk':
      return {
        kind: t('people.kind.risk'),
        text: t('people.record.riskLevel', { level: t(`risk.level.${entry.level ?? 'standard'}`) }),
        href: riskPaths.assessment(entry.caseId ?? '', entry.id),
        date: day(entry.date),
        detail: t('people.record.onCase', { reference: entry.caseReference ?? '' }),
      }
    case 'power':
      return {
        kind: t('people.kind.power'),
        text: t(`powers.power.${entry.power ?? ''}.name`),
        href: powersPaths.action(entry.caseId ?? '', entry.id),
        date: day(entry.date),
        detail: t('people.record.onCase', { reference: entry.caseReference ?? '' }),
      }
    case 'panel':
      return {
        kind: t('people.kind.panel'),
        text: entry.panelName ?? '',
        href: panelsPaths.referral(entry.panelCode ?? '', entry.id),
        date: day(entry.date),
        detail: [
          entry.status ? t(`panels.referralStatus.${entry.status}`) : '',
          t('people.record.onCase', { reference: entry.caseReference ?? '' }),
        ]
          .filter(Boolean)
          .join(' · '),
      }
  }
}

/** "1 record you cannot see – ask ASB Investigations", one line a team. */
export function presentHidden(hidden: readonly HiddenCount[]): string[] {
  return hidden.map(item =>
    t(item.count === 1 ? 'people.hidden.one' : 'people.hidden.many', {
      count: item.count,
      team: item.team || t('people.hidden.unknownTeam'),
    }),
  )
}

export function presentDates(dates: readonly string[]): string {
  return dates.map(day).join(', ')
}

export function personHref(personId: string): string {
  return peoplePaths.person(personId)
}

export function mergeReason(reason: string): string {
  return t(`people.merge.reason.${reason}`)
}

export function mergeStatus(status: string): string {
  return t(`people.merge.status.${status}`)
}
