/**
 * Every reporting page, registered together: the resident journey (/report), evidence uploads, the end of the journey
 * (similar reports, check, confirmation), tracking (/track), the staff report pages (/staff/reports) and anonymised
 * ward counts (/wards/:code/reports). Handlers translate HTTP into service calls; every form re-renders with 400 and
 * the answers on a mistake, and redirects on success.
 */
import fastifyMultipart from '@fastify/multipart'
import type { FastifyPluginAsync } from 'fastify'
import type { RawBuilder } from 'kysely'

import type { GeographyService } from '../geography/index.js'
import type { StaffUser } from '../accounts/index.js'
import { EVIDENCE_LIMITS } from './evidence.js'
import { evidenceRoutes, type Upload } from './evidence-routes.js'
import { journeyRoutes } from './journey-routes.js'
import { createDraftSession } from './journey-session.js'
import type { Reporting } from './reporting.js'
import { staffReportRoutes } from './staff-report-routes.js'
import { submissionRoutes } from './submission-routes.js'
import { trackingRoutes } from './tracking-routes.js'
import { wardReportRoutes } from './ward-report-routes.js'

export interface ReportingRoutesOptions {
  reporting: Reporting
  geography: GeographyService
  secure: boolean
  /** Where the Case Review notice on the tracking page links to: the application from this report. */
  caseReviewHref?: (reference: string, code: string) => string
  /** The Case Review application already made from this report, if any: the tracking page says so, not "apply". */
  caseReviewApplied?: (reportId: number) => Promise<{ reference: string } | undefined>
  /** Public counts of sensitive types below this are suppressed (PUBLIC_SMALL_NUMBER_THRESHOLD). */
  smallNumberThreshold?: number
  /**
   * The reports a member of staff may see, as an SQL condition on alias `r` (the casework access policy, ADR 0019).
   * Single-report routes declare `config.resource` and are checked before their handler.
   */
  visibleReports: (user: StaffUser) => RawBuilder<boolean>
  /**
   * Whether the CSP pack has postcodes. Without them (the City of London pack) "Where is it happening?" offers the map
   * and the ward list instead of a postcode box.
   */
  postcodes?: boolean
  /** The example postcode in the "where" page's hint and errors (the CSP pack's `examplePostcode`). */
  examplePostcode?: string
}

export const reportingPlugin: FastifyPluginAsync<ReportingRoutesOptions> = async (app, options) => {
  const { reporting, geography } = options
  const session = createDraftSession({ drafts: reporting.drafts, secure: options.secure })

  // Evidence uploads: multipart forms in this module only. Fields land on request.body (so the CSRF check reads
  // `_csrf` as for any form); a file becomes an Upload, cut off (and marked) past the largest size we take.
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: {
      fileSize: EVIDENCE_LIMITS.audioBytes + 1,
      files: 1,
      fields: 10,
      fieldSize: 4096,
      parts: 12,
    },
    async onFile(part) {
      const chunks: Buffer[] = []
      for await (const chunk of part.file) if (!part.file.truncated) chunks.push(chunk as Buffer)
      const upload: Upload = {
        upload: true,
        filename: part.filename,
        tooLarge: part.file.truncated,
        content: part.file.truncated ? Buffer.alloc(0) : Buffer.concat(chunks),
      }
      ;(part as unknown as { value: Upload }).value = upload
    },
  })

  await app.register(journeyRoutes, {
    reporting,
    geography,
    session,
    postcodes: options.postcodes ?? true,
    examplePostcode: options.examplePostcode,
  })
  await app.register(evidenceRoutes, { reporting, session })
  await app.register(submissionRoutes, { reporting, geography, session })
  await app.register(trackingRoutes, {
    reporting,
    geography,
    session,
    caseReviewHref: options.caseReviewHref,
    caseReviewApplied: options.caseReviewApplied,
  })
  await app.register(staffReportRoutes, { reporting, geography, visibleReports: options.visibleReports })
  await app.register(wardReportRoutes, {
    reporting,
    geography,
    smallNumberThreshold: options.smallNumberThreshold,
  })
}

/** The name `src/app.ts` registers: the same plugin. */
export const reportingRoutes = reportingPlugin
