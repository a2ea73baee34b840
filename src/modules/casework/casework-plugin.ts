/** Every casework page, registered together: officer home, triage, cases, allocation rules and the check-in. */
import type { FastifyPluginAsync } from 'fastify'

import type { AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import type { PdfRenderer } from '../../platform/pdf.js'
import type { AccountsService, StaffUser } from '../accounts/index.js'
import type { GeographyService } from '../geography/index.js'
import type { Reporting } from '../reporting/index.js'
import { allocationAdminRoutes } from './admin-routes.js'
import { caseworkRoutes } from './casework-routes.js'
import type { CaseworkService } from './casework-service.js'
import { checkinRoutes } from './checkin-routes.js'
import { closureRoutes } from './closure-routes.js'
import { homeRoutes, type HighRiskVictim } from './home-routes.js'
import type { ReportAccess } from './report-access.js'
import { createTriageService } from './triage-service.js'
import { triageRoutes } from './triage-routes.js'

export interface CaseworkPagesOptions {
  casework: CaseworkService
  accounts: AccountsService
  reporting: Reporting
  geography: GeographyService
  audit: AuditService
  clock: Clock
  pdf: PdfRenderer
  publicBaseUrl: string
  publicRatePerMinute: number
  highRiskVictims?: (user: StaffUser) => Promise<HighRiskVictim[]>
  /** Reports under the access policy (the same instance guards the report routes). */
  reportAccess: ReportAccess
}

export const caseworkPages: FastifyPluginAsync<CaseworkPagesOptions> = async (app, options) => {
  const { casework, accounts, reporting, geography } = options
  const triage = createTriageService({
    repository: casework.repository,
    casework,
    reports: reporting.reports,
    audit: options.audit,
    clock: options.clock,
  })
  await app.register(homeRoutes, { casework, highRiskVictims: options.highRiskVictims })
  await app.register(triageRoutes, {
    triage,
    casework,
    accounts,
    reporting,
    geography,
    reportAccess: options.reportAccess,
  })
  await app.register(caseworkRoutes, {
    casework,
    accounts,
    reporting,
    pdf: options.pdf,
    publicBaseUrl: options.publicBaseUrl,
  })
  await app.register(closureRoutes, { casework, reporting, publicBaseUrl: options.publicBaseUrl })
  await app.register(allocationAdminRoutes, { casework, accounts, geography })
  await app.register(checkinRoutes, { casework, ratePerMinute: options.publicRatePerMinute })
}
