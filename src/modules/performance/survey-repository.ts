import { sql, type Kysely, type Transaction } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { SurveyRow } from './survey-import.js'

type Db = Kysely<Database> | Transaction<Database>

/** Resident survey results: one row per measure, area and fieldwork period (a re-import replaces it). */
export function createSurveyRepository(db: Kysely<Database>) {
  return {
    async saveImport(survey: string, fileName: string, rows: SurveyRow[], trx: Db): Promise<number> {
      const created = await trx
        .insertInto('performance_survey_import')
        .values({ survey, file_name: fileName, rows: rows.length })
        .returning('id')
        .executeTakeFirstOrThrow()
      for (let i = 0; i < rows.length; i += 500) {
        await trx
          .insertInto('performance_survey_result')
          .values(
            rows.slice(i, i + 500).map(row => ({
              import_id: created.id,
              survey: row.survey,
              measure: row.measure,
              area_code: row.areaCode,
              period_start: row.periodStart,
              period_end: row.periodEnd,
              respondents: row.respondents,
              agreeing: row.agreeing,
            })),
          )
          .onConflict(oc =>
            oc.constraint('performance_survey_result_unique').doUpdateSet(eb => ({
              import_id: eb.ref('excluded.import_id'),
              survey: eb.ref('excluded.survey'),
              respondents: eb.ref('excluded.respondents'),
              agreeing: eb.ref('excluded.agreeing'),
            })),
          )
          .execute()
      }
      return created.id
    },

    async results(filter: { measures: string[]; areaCode?: string; from: string; to: string }) {
      if (filter.measures.length === 0) return []
      let query = db
        .selectFrom('performance_survey_result')
        .select([
          'measure',
          'area_code',
          'survey',
          sql<string>`period_start::text`.as('period_start'),
          sql<string>`period_end::text`.as('period_end'),
          'respondents',
          'agreeing',
        ])
        .where('measure', 'in', filter.measures)
        .where('period_end', '>=', filter.from)
        .where('period_start', '<=', filter.to)
      if (filter.areaCode !== undefined) query = query.where('area_code', '=', filter.areaCode)
      return query.orderBy('period_start').execute()
    },

    async recentImports(limit: number) {
      return db
        .selectFrom('performance_survey_import')
        .select(['id', 'survey', 'file_name', 'rows', 'imported_at'])
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
    },
  }
}

export type SurveyRepository = ReturnType<typeof createSurveyRepository>
