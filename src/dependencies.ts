/**
 * The composition root: configuration → database → repositories → services. Nothing else constructs services;
 * tests build the same graph with other options (an in-memory database, a fixed clock).
 */
import type { Config } from './config.js'
import { createGeographyRepository, createGeographyService } from './modules/geography/index.js'
import { createReporting } from './modules/reporting/index.js'
import {
  createImportService,
  createIntelligenceRepository,
  createIntelligenceService,
} from './modules/intelligence/index.js'
import { createActivityRepository, createActivityService } from './modules/activity/index.js'
import { createPerformanceRepository, createPerformanceService } from './modules/performance/index.js'
import { createAuditService } from './platform/audit.js'
import { systemClock, type Clock } from './platform/clock.js'
import { createPdfRenderer } from './platform/pdf.js'
import { openDatabase, type DatabaseHandle, type OpenDatabaseOptions } from './platform/database/index.js'

export interface DependencyOptions extends OpenDatabaseOptions {
  clock?: Clock
  /** Use an already open database (tests share one per file). */
  database?: DatabaseHandle
}

export async function createDependencies(config: Config, options: DependencyOptions = {}) {
  const database = options.database ?? (await openDatabase(config, options))
  const { db } = database
  const clock = options.clock ?? systemClock
  const audit = createAuditService({ db, clock })
  const pdf = createPdfRenderer(config)
  const geography = createGeographyService({ repository: createGeographyRepository(db) })
  const reporting = createReporting({ db, geography, audit, clock, secret: config.sessionSecret })
  const intelligenceRepository = createIntelligenceRepository(db, { connectClient: database.connectClient })
  const intelligenceImports = createImportService({ repository: intelligenceRepository, geography, audit })
  const intelligence = createIntelligenceService({ repository: intelligenceRepository, geography })

  const performanceRepository = createPerformanceRepository(db)
  const activity = createActivityService({
    repository: createActivityRepository(db),
    geography,
    audit,
    clock,
    priorities: () => performanceRepository.listPriorities(),
  })
  const performance = createPerformanceService({
    repository: performanceRepository,
    geography,
    audit,
    clock,
    activity: activity.source,
  })

  return {
    config,
    database,
    clock,
    audit,
    geography,
    reporting,
    intelligenceImports,
    intelligence,
    performance,
    activity,
    pdf,
    async close() {
      await pdf.close()
      await database.close()
    },
  }
}

export type Dependencies = Awaited<ReturnType<typeof createDependencies>>
