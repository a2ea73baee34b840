/**
 * The composition root: configuration → database → repositories → services. Nothing else constructs services;
 * tests build the same graph with other options (an in-memory database, a fixed clock).
 */
import { pino, type LoggerOptions } from 'pino'

import { projectRoot, type Config } from './config.js'
import { accountsModule, createAccountsService, isRole, type Role } from './modules/accounts/index.js'
import {
  caseworkModule,
  caseworkPaths,
  createCaseCounts,
  createCasework,
  createCaseworkAlertSource,
  createCaseworkTaskingProvider,
  createReportAccess,
  createTriageService,
} from './modules/casework/index.js'
import {
  caseReviewClosureFacts,
  caseReviewModule,
  caseReviewPaths,
  createCaseReview,
  createCaseReviewAlertSource,
  createCaseReviewCounts,
  loadCaseReviewPolicy,
} from './modules/case-review/index.js'
import {
  createRisk,
  createRiskCounts,
  createRiskRepository,
  riskClosureFacts,
  createRiskAlertSource,
  riskModule,
} from './modules/risk/index.js'
import { createPowers, createPowersCounts, powersClosureFacts, powersModule } from './modules/powers/index.js'
import {
  connectRiskReferrals,
  createPanelReportFigures,
  createPanels,
  createPanelsAlertSource,
  PanelsError,
  panelsClosureFacts,
  panelsModule,
} from './modules/panels/index.js'
import { createGeographyRepository, createGeographyService, geographyModule } from './modules/geography/index.js'
import { loadCspPack } from './modules/pack/index.js'
import {
  createReportAnalytics,
  createReportCounts,
  createReporting,
  reportingModule,
  reportingPaths,
} from './modules/reporting/index.js'
import {
  createStreetCrimeCounts,
  createRecordedCrimeCounts,
  createStopSearchScrutiny,
  createImportService,
  createIntelligenceRepository,
  createIntelligenceService,
  createPoliceReportFigures,
  createTaskingService,
  intelligenceModule,
} from './modules/intelligence/index.js'
import { activityModule, createActivityRepository, createActivityService } from './modules/activity/index.js'
import { createOpen311, open311Module } from './modules/open311/index.js'
import { createRetention } from './modules/retention/index.js'
import { createPrivacy } from './modules/privacy/index.js'
import {
  createPerformanceRepository,
  createPerformanceService,
  createSourceRegistry,
  performanceModule,
} from './modules/performance/index.js'
import { siteModule } from './modules/site/index.js'
import { createPeople, peopleModule } from './modules/people/index.js'
import { createPspos, enforcementModule } from './modules/enforcement/index.js'
import { createAuditService, systemActor } from './platform/audit.js'
import { t } from './platform/i18n.js'
import { collectModules, type RoleName, type SaferModule } from './platform/module-contract.js'
import { loggerOptions } from './platform/logging.js'
import { systemClock, type Clock } from './platform/clock.js'
import { createPdfRenderer } from './platform/pdf.js'
import { openDatabase, type DatabaseHandle, type OpenDatabaseOptions } from './platform/database/index.js'

export interface DependencyOptions extends OpenDatabaseOptions {
  clock?: Clock
  /** Use an already open database (tests share one per file). */
  database?: DatabaseHandle
}

export async function createDependencies(config: Config, options: DependencyOptions = {}) {
  // Everything borough-specific, read and validated before anything is opened: a bad pack stops the start.
  const pack = loadCspPack(config.cspPack)
  const database = options.database ?? (await openDatabase(config, options))
  const { db } = database
  const clock = options.clock ?? systemClock
  const audit = createAuditService({ db, clock })
  const pdf = createPdfRenderer(config)
  const accounts = createAccountsService({
    db,
    audit,
    clock,
    secret: config.sessionSecret,
    outboxSecret: config.outboxSecret,
    policy: config.accounts,
    publicBaseUrl: config.publicBaseUrl,
  })
  const geography = createGeographyService({ repository: createGeographyRepository(db) })
  const casework = createCasework({ db, audit, clock })
  // Reports under the casework access policy: guards the report routes and scopes report lists (ADR 0019).
  const reportAccess = createReportAccess({ db, audit })
  const risk = createRisk({ db, casework, audit, clock })
  const powers = createPowers({
    db,
    casework,
    audit,
    clock,
    pdf,
    policy: pack.policies.powers,
    letterhead: pack.letterhead,
  })
  const panels = createPanels({ db, casework, audit, clock })
  connectRiskReferrals(panels, risk, casework)
  // The closure checklist: what each module knows that should stop a case closing (casework words it).
  for (const facts of [riskClosureFacts(), panelsClosureFacts(), powersClosureFacts(), caseReviewClosureFacts()])
    casework.registerClosureFacts(facts)
  const reporting = createReporting({
    db,
    geography,
    audit,
    clock,
    secret: config.sessionSecret,
    outboxSecret: config.outboxSecret,
    notify: config.notify,
    env: config.env,
    logger: pino(loggerOptions(config) as LoggerOptions),
  })
  // A report a resident adds to another report joins that report's open case at once (issue 16).
  const joiner = createTriageService({
    repository: casework.repository,
    casework,
    reports: reporting.reports,
    audit,
    clock,
  })
  reporting.intake.onAddedTo(async report => {
    await joiner.joinParentCase(report.reference, t('casework.triage.defaultPublicNote'), systemActor)
  })
  const caseReview = createCaseReview({
    db,
    reporting,
    casework,
    reportAccess,
    accounts,
    audit,
    clock,
    policy: loadCaseReviewPolicy(config.caseReview.policyFile, projectRoot, pack.policies.caseReview),
    riskAssessments: caseId => createRiskRepository(db).forCase(caseId),
  })
  // A review that is to take place goes onto the Case Review panel's agenda (when the partnership runs one).
  caseReview.onReviewStarted(async (review, actor, trx) => {
    try {
      await panels.service.refer(
        {
          panel: 'case-review',
          caseId: review.caseId,
          subject: `ASB Case Review ${review.reference}`,
          reason: `Threshold met (${review.route}): review ${review.reference} for ${review.applicantName}`,
          sourceModule: 'case-review',
          sourceId: review.reviewId,
        },
        actor,
        trx,
      )
    } catch (error) {
      if (!(error instanceof PanelsError && error.code === 'no-panel')) throw error
    }
  })
  const intelligenceRepository = createIntelligenceRepository(db, { connectClient: database.connectClient })
  const open311 = createOpen311({
    db,
    reporting,
    geography,
    audit,
    clock,
    options: { publicBaseUrl: config.publicBaseUrl, ...config.open311 },
  })
  const intelligenceImports = createImportService({ repository: intelligenceRepository, geography, audit })
  const reportAnalytics = createReportAnalytics(db)
  const intelligence = createIntelligenceService({
    repository: intelligenceRepository,
    geography,
    reports: reportAnalytics,
  })

  const performanceRepository = createPerformanceRepository(db)
  const pspos = createPspos({ db, geography, audit, clock })
  const activity = createActivityService({
    repository: createActivityRepository(db),
    geography,
    audit,
    clock,
    priorities: () => performanceRepository.listPriorities(),
  })
  const tasking = createTaskingService({
    repository: intelligenceRepository,
    intelligence,
    geography,
    reports: reportAnalytics,
    activity,
    audit,
    clock,
  })
  tasking.registerSectionProvider(
    createCaseworkTaskingProvider({ casework, highRiskVictims: user => risk.highRiskVictims(user) }),
  )
  // Staff notifications (ADR 0053): each module's events, emailed at once or in a digest by the accounts module.
  accounts.staffAlerts.registerSource(createCaseworkAlertSource(casework))
  accounts.staffAlerts.registerSource(createRiskAlertSource({ repository: createRiskRepository(db), casework }))
  accounts.staffAlerts.registerSource(createPanelsAlertSource({ repository: panels.repository, casework }))
  accounts.staffAlerts.registerSource(createCaseReviewAlertSource({ caseReview, casework }))
  // What each module adds to the application, declared by the module (src/platform/module-contract.ts).
  const secure = config.env === 'production'
  const boroughName = () => (geography.isLoaded() ? geography.borough().name : '')
  const featureModules: SaferModule[] = [
    geographyModule({
      geography,
      wardLinks: [{ text: t('report.home.wardReportsLink'), href: reportingPaths.wardReports }],
    }),
    reportingModule({
      reporting,
      geography,
      secure,
      caseReviewHref: caseReviewPaths.applyFromReport,
      caseReviewApplied: reportId => caseReview.applicationForReport(reportId),
      smallNumberThreshold: config.publicSmallNumberThreshold,
      visibleReports: user => reportAccess.visibleSql(user),
      postcodes: pack.hasPostcodes,
      examplePostcode: pack.publicWording.examplePostcode,
      counts: createReportCounts(db),
    }),
    open311Module({
      open311: open311.service,
      keyRatePerMinute: config.open311.keyRatePerMinute,
      publicRatePerMinute: config.rateLimitPublicPerMinute,
    }),
    activityModule({ activity, geography }),
    intelligenceModule({
      intelligence,
      imports: intelligenceImports,
      tasking,
      geography,
      pdf,
      counts: createStreetCrimeCounts(db),
      recordedCrime: createRecordedCrimeCounts(db),
      stopSearch: createStopSearchScrutiny(db),
    }),
    accountsModule({
      accounts,
      clock,
      secure,
      publicBaseUrl: config.publicBaseUrl,
      homePath: caseworkPaths.home,
      idleMinutes: config.accounts.idleMinutes,
      signInPerMinute: config.accounts.signInPerMinute,
      throttleMinutes: config.accounts.throttle.windowMinutes,
    }),
    caseworkModule({
      casework,
      accounts,
      reporting,
      geography,
      audit,
      clock,
      pdf,
      publicBaseUrl: config.publicBaseUrl,
      publicRatePerMinute: config.rateLimitPublicPerMinute,
      highRiskVictims: user => risk.highRiskVictims(user),
      reportAccess,
      counts: createCaseCounts(db, clock),
    }),
    riskModule({ risk, casework, counts: createRiskCounts(db) }),
    powersModule({ powers, casework, pdf, counts: createPowersCounts(db) }),
    panelsModule({ panels, casework, geography, pdf }),
    caseReviewModule({
      caseReview,
      pdf,
      boroughName,
      letterhead: pack.letterhead,
      counts: createCaseReviewCounts(db),
    }),
    peopleModule({ people: createPeople({ db, casework, reportAccess, audit, clock }), casework }),
    enforcementModule({ pspos, geography }),
  ]
  // Indicators count what the modules declare as sources (docs/performance-sources.md).
  const performanceSources = createSourceRegistry()
  for (const source of collectModules(featureModules).indicatorSources) performanceSources.register(source)
  const performance = createPerformanceService({
    repository: performanceRepository,
    geography,
    audit,
    clock,
    activity: activity.source,
    sources: performanceSources,
    plan: pack.performance,
  })

  // The generated reports' Case Review, panels, powers and police sections (report-records.ts).
  const policeReportFigures = createPoliceReportFigures(db)
  const panelReportFigures = createPanelReportFigures(db)
  featureModules.push(
    performanceModule({
      performance,
      geography,
      pdf,
      records: {
        sources: performanceSources,
        panels: (from, to) => panelReportFigures.period(from, to),
        recordedCrime: (from, to) => policeReportFigures.recordedCrime(from, to),
        stopSearch: (from, to) => policeReportFigures.stopSearch(from, to),
      },
    }),
  )
  const declared = collectModules(featureModules)
  // The public home page lists every module's tiles; the case page every module's panels.
  const modules = [
    ...featureModules,
    siteModule({
      geography,
      homeTiles: declared.homeTiles,
      contact: pack.publicWording.contact,
      council: pack.letterhead,
    }),
  ]
  for (const panel of declared.casePanels) {
    casework.registerCaseLink({ text: panel.text, href: panel.href, roles: knownRoles(panel.roles, panel.text) })
  }

  const retention = createRetention({
    db,
    audit,
    clock,
    retention: config.retention,
    logger: pino(loggerOptions(config) as LoggerOptions),
  })
  const privacy = createPrivacy({
    db,
    audit,
    clock,
    pdf,
    config,
    openPersonalisation: personalisation => reporting.personalisation.open(personalisation),
  })

  return {
    config,
    pack,
    modules,
    database,
    clock,
    audit,
    accounts,
    casework,
    reportAccess,
    caseReview,
    risk,
    powers,
    panels,
    geography,
    reporting,
    open311,
    intelligenceImports,
    intelligence,
    tasking,
    performance,
    performanceSources,
    activity,
    pspos,
    retention,
    pdf,
    privacy,
    async close() {
      await pdf.close()
      await database.close()
    },
  }
}

export type Dependencies = Awaited<ReturnType<typeof createDependencies>>

/** Roles a module names must be roles Safer has: a typo would hide a link from everyone, so it stops the start. */
export function knownRoles(roles: readonly RoleName[] | undefined, what: string): Role[] | undefined {
  if (!roles) return undefined
  const unknown = roles.filter(role => !isRole(role))
  if (unknown.length > 0) throw new Error(`"${what}" names roles Safer does not have: ${unknown.join(', ')}`)
  return roles.filter(isRole)
}
