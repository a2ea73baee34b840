/**
 * Plane geometry on WGS84 longitude/latitude, small-area accurate (a borough is a few kilometres across).
 * Point-in-polygon comes from turf; the rest is what a boundary index needs.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'

import type { GeoJsonGeometry, Position } from '../../db/schema.js'

export interface Point {
  latitude: number
  longitude: number
}

export interface BoundingBox {
  minLng: number
  minLat: number
  maxLng: number
  maxLat: number
}

function rings(geometry: GeoJsonGeometry): Position[][] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat()
}

export function boundingBox(geometry: GeoJsonGeometry): BoundingBox {
  let minLng = Infinity
  let minLat = Infinity
  let maxLng = -Infinity
  let maxLat = -Infinity
  for (const ring of rings(geometry)) {
    for (const [lng, lat] of ring) {
      minLng = Math.min(minLng, lng)
      maxLng = Math.max(maxLng, lng)
      minLat = Math.min(minLat, lat)
      maxLat = Math.max(maxLat, lat)
    }
  }
  return { minLng, minLat, maxLng, maxLat }
}

export function inBox(point: Point, box: BoundingBox, marginDegrees = 0): boolean {
  return (
    point.longitude >= box.minLng - marginDegrees &&
    point.longitude <= box.maxLng + marginDegrees &&
    point.latitude >= box.minLat - marginDegrees &&
    point.latitude <= box.maxLat + marginDegrees
  )
}

export function contains(geometry: GeoJsonGeometry, point: Point): boolean {
  return booleanPointInPolygon([point.longitude, point.latitude], geometry)
}

const EARTH_RADIUS_M = 6_371_008.8

/** Metres between two points (haversine). */
export function distanceMetres(a: Point, b: Point): number {
  const toRad = Math.PI / 180
  const dLat = (b.latitude - a.latitude) * toRad
  const dLng = (b.longitude - a.longitude) * toRad
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * toRad) * Math.cos(b.latitude * toRad) * Math.sin(dLng / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Metres from a point to the nearest edge of a polygon (0 inside is not implied: callers test `contains` first). */
export function distanceToBoundaryMetres(geometry: GeoJsonGeometry, point: Point): number {
  const metresPerDegLat = 111_320
  const metresPerDegLng = 111_320 * Math.cos((point.latitude * Math.PI) / 180)
  const px = point.longitude * metresPerDegLng
  const py = point.latitude * metresPerDegLat
  let best = Infinity
  for (const ring of rings(geometry)) {
    for (let i = 1; i < ring.length; i++) {
      const a = ring[i - 1]
      const b = ring[i]
      if (!a || !b) continue
      const ax = a[0] * metresPerDegLng
      const ay = a[1] * metresPerDegLat
      const bx = b[0] * metresPerDegLng
      const by = b[1] * metresPerDegLat
      const dx = bx - ax
      const dy = by - ay
      const lengthSquared = dx * dx + dy * dy
      const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSquared))
      best = Math.min(best, Math.hypot(px - (ax + t * dx), py - (ay + t * dy)))
    }
  }
  return best
}

/** Area-weighted centroid of the largest outer ring, good enough for labels and LSOA-in-ward assignment. */
export function centroid(geometry: GeoJsonGeometry): Point {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  let bestArea = -1
  let best: Point = { latitude: 0, longitude: 0 }
  for (const polygon of polygons) {
    const ring = polygon[0]
    if (!ring) continue
    let area = 0
    let cx = 0
    let cy = 0
    for (let i = 0; i < ring.length - 1; i++) {
      const p = ring[i]
      const q = ring[i + 1]
      if (!p || !q) continue
      const cross = p[0] * q[1] - q[0] * p[1]
      area += cross
      cx += (p[0] + q[0]) * cross
      cy += (p[1] + q[1]) * cross
    }
    if (Math.abs(area) > bestArea && area !== 0) {
      bestArea = Math.abs(area)
      best = { longitude: cx / (3 * area), latitude: cy / (3 * area) }
    }
  }
  return best
}

/** Projects lon/lat into an SVG viewport (equirectangular, scaled by cos(latitude) so shapes keep their proportions). */
export function createProjection(box: BoundingBox, width: number) {
  const midLat = ((box.minLat + box.maxLat) / 2) * (Math.PI / 180)
  const xScale = Math.cos(midLat)
  const spanX = (box.maxLng - box.minLng) * xScale
  const spanY = box.maxLat - box.minLat
  const scale = width / spanX
  const height = spanY * scale
  return {
    width,
    height,
    project([lng, lat]: Position): [number, number] {
      return [(lng - box.minLng) * xScale * scale, (box.maxLat - lat) * scale]
    },
  }
}

export function svgPath(geometry: GeoJsonGeometry, project: (position: Position) => [number, number]): string {
  return rings(geometry)
    .map(
      ring =>
        ring
          .map((position, index) => {
            const [x, y] = project(position)
            return `${index === 0 ? 'M' : 'L'}${x.toFixed(1)} ${y.toFixed(1)}`
          })
          .join('') + 'Z',
    )
    .join('')
}
