/**
 * A geography pack is one CSP's area as files: borough outline, wards, LSOAs (2021 and 2011), neighbouring
 * authorities, postcodes and population, described by pack.json. `safer geo import <folder>` loads one. The format
 * is documented in docs/geography-packs.md.
 */
import fs from 'node:fs'
import path from 'node:path'

import { parse } from 'csv-parse/sync'
import Type, { type Static } from 'typebox'
import Value from 'typebox/value'

import type { GeoJsonGeometry } from '../../db/schema.js'
import { boundingBox, type BoundingBox } from './geometry.js'
import { formatPostcode, isValidPostcode, normalisePostcode } from './postcode.js'

const PoliceForceSchema = Type.Object({ name: Type.String({ minLength: 1 }), slug: Type.String({ minLength: 1 }) })

const LayerSchema = Type.Object({
  file: Type.String({ minLength: 1 }),
  codeProperty: Type.String({ minLength: 1 }),
  nameProperty: Type.String({ minLength: 1 }),
  altNameProperty: Type.Optional(Type.String()),
})

export const PackSchema = Type.Object({
  borough: Type.Object({
    name: Type.String({ minLength: 1 }),
    shortName: Type.String({ minLength: 1 }),
    code: Type.String({ minLength: 1 }),
    policeForce: PoliceForceSchema,
    file: Type.String({ minLength: 1 }),
    codeProperty: Type.String(),
    nameProperty: Type.String(),
  }),
  wards: LayerSchema,
  lsoa2021: LayerSchema,
  lsoa2011: Type.Optional(
    Type.Object({
      ...LayerSchema.properties,
      population: Type.Optional(
        Type.Object({
          file: Type.String(),
          codeColumn: Type.String(),
          valueColumn: Type.String(),
          label: Type.String(),
        }),
      ),
    }),
  ),
  neighbours: Type.Optional(
    Type.Object({
      ...LayerSchema.properties,
      defaultPoliceForce: Type.Optional(PoliceForceSchema),
      policeForceByCode: Type.Optional(Type.Record(Type.String(), PoliceForceSchema)),
    }),
  ),
  /** Optional: without postcodes, residents locate a report on the map or by choosing a ward. */
  postcodes: Type.Optional(
    Type.Object({
      file: Type.String(),
      postcodeColumn: Type.String(),
      latitudeColumn: Type.String(),
      longitudeColumn: Type.String(),
    }),
  ),
  attribution: Type.Array(Type.String()),
})

export type PackManifest = Static<typeof PackSchema>

export interface AreaRow {
  code: string
  kind: 'borough' | 'ward' | 'lsoa2021' | 'lsoa2011' | 'neighbour'
  name: string
  altName: string | null
  geometry: GeoJsonGeometry
  box: BoundingBox
  population: number | null
  details: Record<string, unknown>
}

export interface PostcodeRow {
  postcode: string
  display: string
  latitude: number
  longitude: number
}

export interface LoadedPack {
  manifest: PackManifest
  areas: AreaRow[]
  postcodes: PostcodeRow[]
  rejectedPostcodes: number
}

export class PackError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PackError'
  }
}

interface Feature {
  properties?: Record<string, unknown> | null
  geometry?: { type?: string; coordinates?: unknown } | null
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown
  } catch (error) {
    throw new PackError(`Cannot read ${file}: ${(error as Error).message}`)
  }
}

function readLayer(
  dir: string,
  layer: Static<typeof LayerSchema>,
  kind: AreaRow['kind'],
  details: (code: string) => Record<string, unknown> = () => ({}),
): AreaRow[] {
  const file = path.join(dir, layer.file)
  const collection = readJson(file) as { features?: Feature[] }
  if (!Array.isArray(collection.features)) throw new PackError(`${file} is not a GeoJSON FeatureCollection`)
  return collection.features.map((feature, index) => {
    const properties = feature.properties ?? {}
    const code = properties[layer.codeProperty]
    const name = properties[layer.nameProperty]
    const type = feature.geometry?.type
    if (typeof code !== 'string' || typeof name !== 'string') {
      throw new PackError(`${file} feature ${String(index)} lacks "${layer.codeProperty}" or "${layer.nameProperty}"`)
    }
    if (type !== 'Polygon' && type !== 'MultiPolygon') {
      throw new PackError(`${file} feature ${code} is a ${String(type)}, not a Polygon or MultiPolygon`)
    }
    const geometry = feature.geometry as GeoJsonGeometry
    const alt = layer.altNameProperty ? properties[layer.altNameProperty] : undefined
    return {
      code,
      kind,
      name,
      altName: typeof alt === 'string' && alt !== name ? alt : null,
      geometry,
      box: boundingBox(geometry),
      population: null,
      details: details(code),
    }
  })
}

function readCsv(file: string): Record<string, string>[] {
  try {
    return parse<Record<string, string>>(fs.readFileSync(file), {
      columns: true,
      skip_empty_lines: true,
      bom: true,
      trim: true,
    })
  } catch (error) {
    throw new PackError(`Cannot read ${file}: ${(error as Error).message}`)
  }
}

export function readPack(dir: string): LoadedPack {
  const manifestFile = path.join(dir, 'pack.json')
  if (!fs.existsSync(manifestFile)) throw new PackError(`No pack.json in ${dir}`)
  const manifestJson = readJson(manifestFile)
  const problems = [...Value.Errors(PackSchema, manifestJson)].map(e => `${e.instancePath || '/'} ${e.message}`)
  if (problems.length > 0)
    throw new PackError(`${manifestFile} is not a valid pack: ${problems.slice(0, 5).join('; ')}`)
  const manifest = manifestJson as PackManifest

  const borough = readLayer(dir, manifest.borough, 'borough', () => ({ policeForce: manifest.borough.policeForce }))
  if (borough.length !== 1)
    throw new PackError(`The borough file must hold exactly one feature, not ${String(borough.length)}`)
  const [boroughRow] = borough as [AreaRow]
  boroughRow.code = manifest.borough.code
  boroughRow.name = manifest.borough.name
  boroughRow.altName = manifest.borough.shortName

  const areas: AreaRow[] = [
    boroughRow,
    ...readLayer(dir, manifest.wards, 'ward'),
    ...readLayer(dir, manifest.lsoa2021, 'lsoa2021'),
  ]

  if (manifest.lsoa2011) {
    const lsoa2011 = readLayer(dir, manifest.lsoa2011, 'lsoa2011')
    const population = manifest.lsoa2011.population
    if (population) {
      const byCode = new Map(
        readCsv(path.join(dir, population.file)).map(row => [
          row[population.codeColumn],
          Number(row[population.valueColumn]),
        ]),
      )
      for (const area of lsoa2011) {
        const value = byCode.get(area.code)
        if (value !== undefined && Number.isFinite(value)) {
          area.population = value
          area.details = { populationSource: population.label }
        }
      }
    }
    areas.push(...lsoa2011)
  }

  const neighbours = manifest.neighbours
  if (neighbours) {
    areas.push(
      ...readLayer(dir, neighbours, 'neighbour', code => ({
        policeForce: neighbours.policeForceByCode?.[code] ?? neighbours.defaultPoliceForce ?? null,
      })).filter(area => area.code !== manifest.borough.code),
    )
  }

  const seen = new Set<string>()
  for (const area of areas) {
    const key = `${area.kind}:${area.code}`
    if (seen.has(key)) throw new PackError(`Area ${key} appears twice`)
    seen.add(key)
  }

  const spec = manifest.postcodes
  let rejectedPostcodes = 0
  const postcodes: PostcodeRow[] = []
  const seenPostcodes = new Set<string>()
  if (spec) {
    for (const row of readCsv(path.join(dir, spec.file))) {
      const raw = row[spec.postcodeColumn] ?? ''
      const latitude = Number(row[spec.latitudeColumn])
      const longitude = Number(row[spec.longitudeColumn])
      const postcode = normalisePostcode(raw)
      if (
        !isValidPostcode(raw) ||
        !Number.isFinite(latitude) ||
        !Number.isFinite(longitude) ||
        seenPostcodes.has(postcode)
      ) {
        rejectedPostcodes++
        continue
      }
      seenPostcodes.add(postcode)
      postcodes.push({ postcode, display: formatPostcode(raw), latitude, longitude })
    }
  }
  return { manifest, areas, postcodes, rejectedPostcodes }
}
