import { sql, type Kysely } from 'kysely'

import type { AreaTable, Database } from '../../db/schema.js'
import type { AreaRow, PackManifest, PostcodeRow } from './geography-pack.js'

export interface StoredPostcode {
  postcode: string
  display: string
  latitude: number
  longitude: number
  wardCode: string | null
  lsoa2021Code: string | null
  lsoa2011Code: string | null
}

export interface GeographyMeta {
  borough: PackManifest['borough']
  attribution: string[]
  importedAt: string
  source: string
}

const META_KEY = 'geography.pack'

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size))
  return chunks
}

export function createGeographyRepository(db: Kysely<Database>) {
  return {
    async listAreas(): Promise<AreaTable[]> {
      const rows = await db.selectFrom('area').selectAll().orderBy('kind').orderBy('name').execute()
      return rows as unknown as AreaTable[]
    },

    async meta(): Promise<GeographyMeta | undefined> {
      const row = await db.selectFrom('setting').select('value').where('key', '=', META_KEY).executeTakeFirst()
      return row?.value as GeographyMeta | undefined
    },

    async findPostcode(postcode: string): Promise<StoredPostcode | undefined> {
      const row = await db.selectFrom('postcode').selectAll().where('postcode', '=', postcode).executeTakeFirst()
      if (!row) return undefined
      return {
        postcode: row.postcode,
        display: row.display,
        latitude: row.latitude,
        longitude: row.longitude,
        wardCode: row.ward_code,
        lsoa2021Code: row.lsoa2021_code,
        lsoa2011Code: row.lsoa2011_code,
      }
    },

    async countPostcodes(): Promise<number> {
      const row = await db
        .selectFrom('postcode')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      return row.n
    },

    /** Replaces the whole geography in one transaction: readers see the old pack or the new one, never a mix. */
    async replaceAll(
      meta: GeographyMeta,
      areas: AreaRow[],
      postcodes: (PostcodeRow & {
        wardCode: string | null
        lsoa2021Code: string | null
        lsoa2011Code: string | null
      })[],
    ): Promise<void> {
      await db.transaction().execute(async trx => {
        await trx.deleteFrom('postcode').execute()
        await trx.deleteFrom('area').execute()
        for (const batch of chunk(areas, 50)) {
          await trx
            .insertInto('area')
            .values(
              batch.map(area => ({
                code: area.code,
                kind: area.kind,
                name: area.name,
                alt_name: area.altName,
                geometry: JSON.stringify(area.geometry),
                min_lng: area.box.minLng,
                min_lat: area.box.minLat,
                max_lng: area.box.maxLng,
                max_lat: area.box.maxLat,
                population: area.population,
                details: JSON.stringify(area.details),
              })),
            )
            .execute()
        }
        for (const batch of chunk(postcodes, 1000)) {
          await trx
            .insertInto('postcode')
            .values(
              batch.map(row => ({
                postcode: row.postcode,
                display: row.display,
                latitude: row.latitude,
                longitude: row.longitude,
                ward_code: row.wardCode,
                lsoa2021_code: row.lsoa2021Code,
                lsoa2011_code: row.lsoa2011Code,
              })),
            )
            .execute()
        }
        await trx
          .insertInto('setting')
          .values({ key: META_KEY, value: JSON.stringify(meta), updated_at: sql`now()` })
          .onConflict(oc => oc.column('key').doUpdateSet({ value: JSON.stringify(meta), updated_at: sql`now()` }))
          .execute()
      })
    },
  }
}

export type GeographyRepository = ReturnType<typeof createGeographyRepository>
