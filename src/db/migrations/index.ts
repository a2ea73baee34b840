/**
 * Every migration, in order. Names are fixed once released: add new files, never rename or edit old ones.
 */
import type { Migration } from 'kysely'

import * as m0001 from './0001-platform.js'
import * as m0002 from './0002-geography.js'
import * as m0003 from './0003-accounts.js'
import * as m0100 from './0100-reporting.js'
import * as m0101 from './0101-report-evidence.js'
import * as m0102 from './0102-notification-retries.js'
import * as m0104 from './0104-report-writes-take-the-audit-chain-first.js'
import * as m0110 from './0110-report-statement-door-guard.js'
import * as m0200 from './0200-open311.js'
import * as m0300 from './0300-intelligence.js'
import * as m0301 from './0301-intelligence-bulk-load.js'
import * as m0302 from './0302-intelligence-tasking.js'
import * as m0303 from './0303-tasking-decision-completion.js'
import * as m0400 from './0400-performance.js'
import * as m0401 from './0401-activity.js'
import * as m0402 from './0402-plan.js'
import * as m0403 from './0403-performance-sources.js'
import * as m0410 from './0410-monthly-count-aggregates.js'
import * as m0411 from './0411-kpi-pack-read-indexes.js'
import * as m0412 from './0412-report-ward-monthly.js'
import * as m0420 from './0420-report-aggregates-sweep-only-what-can-empty.js'
import * as m0500 from './0500-casework.js'
import * as m0530 from './0530-triage-queue-index.js'
import * as m0540 from './0540-letter-source.js'
import * as m0600 from './0600-case-review.js'
import * as m0510 from './0510-risk.js'
import * as m0520 from './0520-powers.js'
import * as m0521 from './0521-powers-legal-care.js'
import * as m0610 from './0610-panels.js'
import * as m0700 from './0700-audit-chain.js'
import * as m0710 from './0710-retention.js'
import * as m0720 from './0720-sign-in-throttle.js'
import * as m0750 from './0750-party-contact-withheld.js'
import * as m0760 from './0760-staff-notifications.js'
import * as m0770 from './0770-police-month-partitions.js'
import * as m0771 from './0771-audit-month-partitions.js'
import * as m0780 from './0780-shared-servers.js'
import * as m0800 from './0800-people.js'
import * as m0900 from './0900-enforcement.js'

export const migrations: Record<string, Migration> = {
  '0001-platform': m0001,
  '0002-geography': m0002,
  '0003-accounts': m0003,
  '0100-reporting': m0100,
  '0101-report-evidence': m0101,
  '0102-notification-retries': m0102,
  '0104-report-writes-take-the-audit-chain-first': m0104,
  '0110-report-statement-door-guard': m0110,
  '0200-open311': m0200,
  '0300-intelligence': m0300,
  '0301-intelligence-bulk-load': m0301,
  '0302-intelligence-tasking': m0302,
  '0303-tasking-decision-completion': m0303,
  '0400-performance': m0400,
  '0401-activity': m0401,
  '0402-plan': m0402,
  '0403-performance-sources': m0403,
  '0410-monthly-count-aggregates': m0410,
  '0411-kpi-pack-read-indexes': m0411,
  '0412-report-ward-monthly': m0412,
  '0420-report-aggregates-sweep-only-what-can-empty': m0420,
  '0500-casework': m0500,
  '0600-case-review': m0600,
  '0510-risk': m0510,
  '0520-powers': m0520,
  '0521-powers-legal-care': m0521,
  '0530-triage-queue-index': m0530,
  '0540-letter-source': m0540,
  '0610-panels': m0610,
  '0700-audit-chain': m0700,
  '0710-retention': m0710,
  '0720-sign-in-throttle': m0720,
  '0750-party-contact-withheld': m0750,
  '0760-staff-notifications': m0760,
  '0770-police-month-partitions': m0770,
  '0771-audit-month-partitions': m0771,
  '0780-shared-servers': m0780,
  '0800-people': m0800,
  '0900-enforcement': m0900,
}
