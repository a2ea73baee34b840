/**
 * Where a report appears in public Open311 responses. police.uk replaces each crime's point with the nearest of a
 * list of anonymous map points, each covering at least 8 addresses; we do the same with the borough's postcode
 * centroids (a postcode unit covers about 15 addresses), and go coarser for personal or targeted ASB, whose point is
 * often the victim's home. The level is configurable per category (OPEN311_LOCATION_PRECISION).
 */
export const PRECISION_LEVELS = ['exact', 'snap', 'lsoa', 'ward', 'none'] as const
export type Precision = (typeof PRECISION_LEVELS)[number]

export interface PrecisionPolicy {
  /** Every category without its own level. */
  default: Precision
  /** The least a personal, targeted or hate report gets, whatever its category says. */
  personal: Precision
  categories: ReadonlyMap<string, Precision>
}

export class PrecisionConfigError extends Error {
  constructor(message: string) {
    super(`OPEN311_LOCATION_PRECISION: ${message}`)
    this.name = 'PrecisionConfigError'
  }
}

function isPrecision(value: string): value is Precision {
  return (PRECISION_LEVELS as readonly string[]).includes(value)
}

/** `default=snap,personal=lsoa,hate=ward`: `default`, `personal` or a category code, each with a level. */
export function parsePrecisionPolicy(text: string, categoryCodes: readonly string[]): PrecisionPolicy {
  const policy = {
    default: 'snap' as Precision,
    personal: 'lsoa' as Precision,
    categories: new Map<string, Precision>(),
  }
  for (const item of text.split(',').map(part => part.trim())) {
    if (item === '') continue
    const [key = '', level = ''] = item.split('=').map(part => part.trim())
    if (!isPrecision(level))
      throw new PrecisionConfigError(`"${item}": the level must be one of ${PRECISION_LEVELS.join(', ')}`)
    if (key === 'default') policy.default = level
    else if (key === 'personal') policy.personal = level
    else if (categoryCodes.includes(key)) policy.categories.set(key, level)
    else throw new PrecisionConfigError(`"${key}" is not default, personal or a category code`)
  }
  return policy
}

const coarser = (a: Precision, b: Precision): Precision =>
  PRECISION_LEVELS.indexOf(a) >= PRECISION_LEVELS.indexOf(b) ? a : b

export interface ReportPlace {
  category: string
  nsirQualifier: string
  hate: boolean
  targeted: boolean
  latitude: number | null
  longitude: number | null
  wardCode: string
  lsoaCode: string | null
}

export function precisionFor(policy: PrecisionPolicy, report: Omit<ReportPlace, 'latitude' | 'longitude'>): Precision {
  const base = policy.categories.get(report.category) ?? policy.default
  const personal = report.nsirQualifier === 'personal' || report.hate || report.targeted
  return personal ? coarser(base, policy.personal) : base
}

export interface PostcodePoint {
  display: string
  latitude: number
  longitude: number
  wardCode: string
  lsoaCode: string | null
}

export interface PublicPlace {
  precision: Precision
  latitude: number | null
  longitude: number | null
  /** The postcode district (outward code) of the snap point, for exact and snap only. */
  zipcode: string | null
  wardCode: string | null
}

const CELL = 0.004 // degrees: about 450 m north-south, 280 m east-west in London

interface Centroid {
  latitude: number
  longitude: number
}

function mean(points: PostcodePoint[]): Centroid {
  const sum = points.reduce((acc, p) => ({ lat: acc.lat + p.latitude, lng: acc.lng + p.longitude }), { lat: 0, lng: 0 })
  return { latitude: sum.lat / points.length, longitude: sum.lng / points.length }
}

function groupBy(points: PostcodePoint[], key: (p: PostcodePoint) => string | null): Map<string, Centroid> {
  const groups = new Map<string, PostcodePoint[]>()
  for (const point of points) {
    const k = key(point)
    if (k === null) continue
    const list = groups.get(k) ?? []
    list.push(point)
    groups.set(k, list)
  }
  return new Map([...groups].map(([k, list]) => [k, mean(list)]))
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places

/** Builds the snapping index once from the borough's postcode centroids. */
export function createLocationGeneraliser(postcodes: PostcodePoint[], policy: PrecisionPolicy) {
  const grid = new Map<string, PostcodePoint[]>()
  const cellOf = (lat: number, lng: number) => [Math.floor(lat / CELL), Math.floor(lng / CELL)] as const
  for (const point of postcodes) {
    const [y, x] = cellOf(point.latitude, point.longitude)
    const key = `${String(y)}:${String(x)}`
    const list = grid.get(key) ?? []
    list.push(point)
    grid.set(key, list)
  }
  const lsoaCentres = groupBy(postcodes, p => p.lsoaCode)
  const wardCentres = groupBy(postcodes, p => p.wardCode)

  /** The nearest postcode centroid (rings of grid cells until one is found and the next ring cannot be nearer). */
  function nearest(lat: number, lng: number): PostcodePoint | undefined {
    const [cy, cx] = cellOf(lat, lng)
    const scale = Math.cos((lat * Math.PI) / 180)
    let best: PostcodePoint | undefined
    let bestDistance = Infinity
    for (let ring = 0; ring <= 12; ring++) {
      for (let y = cy - ring; y <= cy + ring; y++) {
        for (let x = cx - ring; x <= cx + ring; x++) {
          if (Math.max(Math.abs(y - cy), Math.abs(x - cx)) !== ring) continue
          for (const point of grid.get(`${String(y)}:${String(x)}`) ?? []) {
            const d = (point.latitude - lat) ** 2 + ((point.longitude - lng) * scale) ** 2
            if (d < bestDistance) {
              bestDistance = d
              best = point
            }
          }
        }
      }
      if (best && Math.sqrt(bestDistance) < ring * CELL * scale) break
    }
    return best
  }

  function centre(precision: 'lsoa' | 'ward', place: ReportPlace): Centroid | undefined {
    if (precision === 'lsoa' && place.lsoaCode)
      return lsoaCentres.get(place.lsoaCode) ?? wardCentres.get(place.wardCode)
    return wardCentres.get(place.wardCode)
  }

  return {
    policy,
    generalise(place: ReportPlace): PublicPlace {
      const precision = precisionFor(policy, place)
      if (precision === 'none') return { precision, latitude: null, longitude: null, zipcode: null, wardCode: null }
      const hasPoint = place.latitude !== null && place.longitude !== null
      if ((precision === 'exact' || precision === 'snap') && hasPoint) {
        const snapped = nearest(place.latitude ?? 0, place.longitude ?? 0)
        const zipcode = snapped ? (snapped.display.split(' ')[0] ?? null) : null
        if (precision === 'exact')
          return {
            precision,
            latitude: round(place.latitude ?? 0, 4),
            longitude: round(place.longitude ?? 0, 4),
            zipcode,
            wardCode: place.wardCode,
          }
        if (snapped)
          return {
            precision,
            latitude: round(snapped.latitude, 6),
            longitude: round(snapped.longitude, 6),
            zipcode,
            wardCode: place.wardCode,
          }
      }
      const area = centre(precision === 'ward' ? 'ward' : 'lsoa', place)
      return {
        precision,
        latitude: area ? round(area.latitude, 6) : null,
        longitude: area ? round(area.longitude, 6) : null,
        zipcode: null,
        wardCode: place.wardCode,
      }
    },
  }
}

export type LocationGeneraliser = ReturnType<typeof createLocationGeneraliser>
