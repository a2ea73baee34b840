/**
 * What the ASB Case Review eligibility engine needs from reports (src/modules/case-review): every complaint about
 * the same problem as a report, from every channel (web, phone, Open311, partner reports entered or imported), in a
 * look-back window. The same problem is: the reporter's own reports in the same category or within about 250 m (as
 * the tracking page's notice counts them), other people's reports in the same category within about 250 m, and any
 * report a caseworker linked to the same case (`alsoReportIds`). Only facts, no personal data: the reporter is a
 * pseudonymous key.
 */
import { sql, type Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'

export interface CaseReviewComplaint {
  id: number
  reference: string
  receivedAt: Date
  occurredOn: string
  hate: boolean
  channel: string
  reporterKey: string | null
  /** Made by the same reporter as the anchor report. */
  sameReporter: boolean
}

// About 250 m in latitude and longitude at London's latitude, as report-service.ts's notice uses.
const NEAR_LAT = 0.00225
const NEAR_LON = 0.0036

export function createCaseReviewEvidence(db: Kysely<Database>) {
  return {
    async complaintsAbout(input: { reportId: number; since: Date; alsoReportIds?: readonly number[] }) {
      const anchor = await db
        .selectFrom('report')
        .select(['id', 'category', 'latitude', 'longitude', 'reporter_key'])
        .where('id', '=', input.reportId)
        .executeTakeFirst()
      if (!anchor) return []
      const also = (input.alsoReportIds ?? []).filter(id => Number.isInteger(id))
      const rows = await db
        .selectFrom('report')
        .select(['id', 'reference', 'received_at', 'occurred_on', 'hate', 'channel', 'reporter_key'])
        .where('received_at', '>=', input.since)
        .where(eb => {
          const near =
            anchor.latitude === null || anchor.longitude === null
              ? sql<boolean>`false`
              : sql<boolean>`(latitude between ${anchor.latitude - NEAR_LAT} and ${anchor.latitude + NEAR_LAT}
                  and longitude between ${anchor.longitude - NEAR_LON} and ${anchor.longitude + NEAR_LON})`
          const options = [eb('id', '=', anchor.id), eb.and([eb('category', '=', anchor.category), near])]
          if (anchor.reporter_key !== null) {
            options.push(
              eb.and([
                eb('reporter_key', '=', anchor.reporter_key),
                eb.or([eb('category', '=', anchor.category), near]),
              ]),
            )
          }
          if (also.length > 0) options.push(eb('id', 'in', also))
          return eb.or(options)
        })
        .orderBy('received_at')
        .orderBy('id')
        .execute()
      return rows.map((row): CaseReviewComplaint => ({
        id: row.id,
        reference: row.reference,
        receivedAt: new Date(row.received_at),
        occurredOn: row.occurred_on,
        hate: row.hate,
        channel: row.channel,
        reporterKey: row.reporter_key,
        sameReporter: anchor.reporter_key !== null && row.reporter_key === anchor.reporter_key,
      }))
    },
  }
}

export type CaseReviewEvidence = ReturnType<typeof createCaseReviewEvidence>
