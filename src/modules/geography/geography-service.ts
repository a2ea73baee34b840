/**
 * Where things are: point to ward and LSOA, postcode to point, the lists of wards and LSOAs, and the borough itself.
 * Boundaries are data (a geography pack in the database); the service keeps an in-memory index of them, loaded at
 * start and after an import, so a lookup is a bounding-box scan and a point-in-polygon test, with no database trip.
 */
import type { AreaTable, GeoJsonGeometry } from '../../db/schema.js'
import { readPack } from './geography-pack.js'
import type { GeographyMeta, GeographyRepository } from './geography-repository.js'
import { centroid, contains, distanceToBoundaryMetres, inBox, type BoundingBox, type Point } from './geometry.js'
import { formatPostcode, isValidPostcode, normalisePostcode } from './postcode.js'

export interface AreaRef {
  code: string
  name: string
}

export interface PoliceForce {
  name: string
  slug: string
}

export interface Ward extends AreaRef {
  altName: string | null
  population: number | null
  lsoa2021Codes: string[]
}

export interface Lsoa extends AreaRef {
  vintage: 2021 | 2011
  wardCode: string | null
  population: number | null
}

export interface Location {
  point: Point
  ward: AreaRef
  lsoa: AreaRef
  lsoa2011: AreaRef | null
}

export type WhereIs =
  | { inBorough: true; location: Location }
  | { inBorough: false; neighbour: { code: string; name: string; policeForce: PoliceForce | null } | null }

export type PostcodeLookup =
  | { status: 'invalid' }
  | { status: 'unknown'; postcode: string }
  | { status: 'found'; postcode: string; point: Point; location: Location | null }

export class GeographyNotLoadedError extends Error {
  constructor() {
    super('No geography pack has been imported. Run `safer geo import <folder>` or `safer db seed`.')
    this.name = 'GeographyNotLoadedError'
  }
}

interface IndexedArea {
  code: string
  name: string
  altName: string | null
  geometry: GeoJsonGeometry
  box: BoundingBox
  population: number | null
  details: Record<string, unknown>
}

/** Points this close outside every polygon (generalised boundaries leave slivers) still belong to the nearest. */
const BOUNDARY_TOLERANCE_METRES = 25
const DEGREE_MARGIN = 0.001

function toIndexed(row: AreaTable): IndexedArea {
  return {
    code: row.code,
    name: row.name,
    altName: row.alt_name,
    geometry: row.geometry as unknown as GeoJsonGeometry,
    box: { minLng: row.min_lng, minLat: row.min_lat, maxLng: row.max_lng, maxLat: row.max_lat },
    population: row.population,
    details: row.details,
  }
}

function findArea(areas: IndexedArea[], point: Point, tolerance = BOUNDARY_TOLERANCE_METRES): IndexedArea | undefined {
  let nearest: IndexedArea | undefined
  let nearestDistance = Infinity
  for (const area of areas) {
    if (!inBox(point, area.box, DEGREE_MARGIN)) continue
    if (contains(area.geometry, point)) return area
    const distance = distanceToBoundaryMetres(area.geometry, point)
    if (distance < nearestDistance) {
      nearest = area
      nearestDistance = distance
    }
  }
  return nearestDistance <= tolerance ? nearest : undefined
}

interface GeographyIndex {
  meta: GeographyMeta
  borough: IndexedArea
  wards: IndexedArea[]
  lsoa2021: IndexedArea[]
  lsoa2011: IndexedArea[]
  neighbours: IndexedArea[]
  wardList: Ward[]
  lsoaWard: Map<string, string | null>
}

function buildIndex(meta: GeographyMeta, rows: AreaTable[]): GeographyIndex {
  const of = (kind: AreaTable['kind']) => rows.filter(row => row.kind === kind).map(toIndexed)
  const borough = of('borough')[0]
  if (!borough) throw new GeographyNotLoadedError()
  const wards = of('ward')
  const lsoa2021 = of('lsoa2021')
  const lsoa2011 = of('lsoa2011')
  const lsoaWard = new Map<string, string | null>()
  const wardLsoas = new Map<string, string[]>(wards.map(ward => [ward.code, []]))
  const wardPopulation = new Map<string, number>()
  for (const lsoa of lsoa2021) {
    const ward = findArea(wards, centroid(lsoa.geometry), 500)
    lsoaWard.set(lsoa.code, ward?.code ?? null)
    if (ward) wardLsoas.get(ward.code)?.push(lsoa.code)
  }
  let populationKnown = lsoa2011.length > 0
  for (const lsoa of lsoa2011) {
    const ward = findArea(wards, centroid(lsoa.geometry), 500)
    lsoaWard.set(lsoa.code, ward?.code ?? null)
    if (lsoa.population === null) populationKnown = false
    if (ward && lsoa.population !== null)
      wardPopulation.set(ward.code, (wardPopulation.get(ward.code) ?? 0) + lsoa.population)
  }
  const wardList = wards
    .map(ward => ({
      code: ward.code,
      name: ward.name,
      altName: ward.altName,
      population: populationKnown ? (wardPopulation.get(ward.code) ?? 0) : null,
      lsoa2021Codes: (wardLsoas.get(ward.code) ?? []).sort(),
    }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))
  return { meta, borough, wards, lsoa2021, lsoa2011, neighbours: of('neighbour'), wardList, lsoaWard }
}

export function createGeographyService({ repository }: { repository: GeographyRepository }) {
  let index: GeographyIndex | undefined

  function loaded(): GeographyIndex {
    if (!index) throw new GeographyNotLoadedError()
    return index
  }

  function locateIn(current: GeographyIndex, point: Point): Location | null {
    const inOutline = inBox(point, current.borough.box, DEGREE_MARGIN) && contains(current.borough.geometry, point)
    // Inside the outline, the nearest ward takes slivers the generalised boundaries leave; outside it, only a point
    // within a few metres of a ward counts, so a place across the border is reported as outside.
    const ward = findArea(current.wards, point, inOutline ? 500 : BOUNDARY_TOLERANCE_METRES)
    if (!ward) return null
    const lsoa = findArea(current.lsoa2021, point, 250)
    if (!lsoa) return null
    const lsoa2011 = findArea(current.lsoa2011, point, 250)
    return {
      point,
      ward: { code: ward.code, name: ward.name },
      lsoa: { code: lsoa.code, name: lsoa.name },
      lsoa2011: lsoa2011 ? { code: lsoa2011.code, name: lsoa2011.name } : null,
    }
  }

  const service = {
    async load(): Promise<boolean> {
      const meta = await repository.meta()
      if (!meta) {
        index = undefined
        return false
      }
      index = buildIndex(meta, await repository.listAreas())
      return true
    },

    isLoaded: () => index !== undefined,

    borough() {
      const current = loaded()
      return {
        code: current.borough.code,
        name: current.borough.name,
        shortName: current.meta.borough.shortName,
        policeForce: current.meta.borough.policeForce,
        box: current.borough.box,
        geometry: current.borough.geometry,
      }
    },

    attribution: (): string[] => loaded().meta.attribution,

    wards: (): Ward[] => loaded().wardList,

    ward(code: string): Ward | undefined {
      return loaded().wardList.find(ward => ward.code === code)
    },

    wardGeometries(): { code: string; name: string; geometry: GeoJsonGeometry }[] {
      return loaded().wards.map(({ code, name, geometry }) => ({ code, name, geometry }))
    },

    lsoaGeometries(vintage: 2021 | 2011 = 2021): { code: string; name: string; geometry: GeoJsonGeometry }[] {
      const current = loaded()
      return (vintage === 2021 ? current.lsoa2021 : current.lsoa2011).map(({ code, name, geometry }) => ({
        code,
        name,
        geometry,
      }))
    },

    lsoas(vintage: 2021 | 2011 = 2021): Lsoa[] {
      const current = loaded()
      return (vintage === 2021 ? current.lsoa2021 : current.lsoa2011)
        .map(area => ({
          code: area.code,
          name: area.name,
          vintage,
          wardCode: current.lsoaWard.get(area.code) ?? null,
          population: area.population,
        }))
        .sort((a, b) => a.code.localeCompare(b.code))
    },

    /** The ward and LSOA of a point, or null when it lies outside the borough. */
    locate(point: Point): Location | null {
      return locateIn(loaded(), point)
    },

    /** Like locate, but for a point outside the borough names the neighbouring authority and its police force. */
    whereIs(point: Point): WhereIs {
      const current = loaded()
      const location = locateIn(current, point)
      if (location) return { inBorough: true, location }
      const neighbour = findArea(current.neighbours, point, 0)
      return {
        inBorough: false,
        neighbour: neighbour
          ? {
              code: neighbour.code,
              name: neighbour.name,
              policeForce: (neighbour.details.policeForce as PoliceForce | null) ?? null,
            }
          : null,
      }
    },

    async lookupPostcode(input: string): Promise<PostcodeLookup> {
      if (!isValidPostcode(input)) return { status: 'invalid' }
      const postcode = normalisePostcode(input)
      const found = await repository.findPostcode(postcode)
      if (!found) return { status: 'unknown', postcode: formatPostcode(postcode) }
      const point = { latitude: found.latitude, longitude: found.longitude }
      return { status: 'found', postcode: found.display, point, location: service.locate(point) }
    },

    /** Loads a geography pack, replacing the current one in a single transaction, and rebuilds the index. */
    async importPack(dir: string) {
      const pack = readPack(dir)
      const meta: GeographyMeta = {
        borough: pack.manifest.borough,
        attribution: pack.manifest.attribution,
        importedAt: new Date().toISOString(),
        source: dir,
      }
      const rows: AreaTable[] = pack.areas.map(area => ({
        code: area.code,
        kind: area.kind,
        name: area.name,
        alt_name: area.altName,
        geometry: area.geometry as never,
        min_lng: area.box.minLng,
        min_lat: area.box.minLat,
        max_lng: area.box.maxLng,
        max_lat: area.box.maxLat,
        population: area.population,
        details: area.details as never,
      }))
      const staged = buildIndex(meta, rows)
      let outside = 0
      const postcodes = pack.postcodes.map(row => {
        const location = locateIn(staged, { latitude: row.latitude, longitude: row.longitude })
        if (!location) outside++
        return {
          ...row,
          wardCode: location?.ward.code ?? null,
          lsoa2021Code: location?.lsoa.code ?? null,
          lsoa2011Code: location?.lsoa2011?.code ?? null,
        }
      })
      await repository.replaceAll(meta, pack.areas, postcodes)
      index = staged
      const count = (kind: string) => pack.areas.filter(area => area.kind === kind).length
      return {
        borough: pack.manifest.borough.name,
        wards: count('ward'),
        lsoa2021: count('lsoa2021'),
        lsoa2011: count('lsoa2011'),
        neighbours: count('neighbour'),
        postcodes: postcodes.length,
        postcodesOutsideBorough: outside,
        postcodesRejected: pack.rejectedPostcodes,
      }
    },
  }
  return service
}

export type GeographyService = ReturnType<typeof createGeographyService>
