/** View data for maps and ward pages. Pure functions: no I/O. */
import type { GeoJsonGeometry } from '../../db/schema.js'
import type { Ward } from './geography-service.js'
import { boundingBox, centroid, createProjection, svgPath, type BoundingBox } from './geometry.js'

export interface MapShape {
  code: string
  name: string
  d: string
  href: string | null
  highlighted: boolean
  labelX: number
  labelY: number
}

export interface SvgMap {
  width: number
  height: number
  viewBox: string
  shapes: MapShape[]
  title: string
}

function union(boxes: BoundingBox[]): BoundingBox {
  return boxes.reduce((a, b) => ({
    minLng: Math.min(a.minLng, b.minLng),
    minLat: Math.min(a.minLat, b.minLat),
    maxLng: Math.max(a.maxLng, b.maxLng),
    maxLat: Math.max(a.maxLat, b.maxLat),
  }))
}

/** A server-rendered SVG map of areas: it works without JavaScript and every shape is a link with a name. */
export function presentAreaMap(
  areas: { code: string; name: string; geometry: GeoJsonGeometry }[],
  options: { title: string; href?: (code: string) => string; highlight?: string; width?: number },
): SvgMap {
  const width = options.width ?? 640
  const box = union(areas.map(area => boundingBox(area.geometry)))
  const projection = createProjection(box, width)
  return {
    width,
    height: Math.round(projection.height),
    viewBox: `0 0 ${String(width)} ${projection.height.toFixed(0)}`,
    title: options.title,
    shapes: areas.map(area => {
      const [labelX, labelY] = projection.project(
        ((c: { longitude: number; latitude: number }) => [c.longitude, c.latitude] as [number, number])(
          centroid(area.geometry),
        ),
      )
      return {
        code: area.code,
        name: area.name,
        d: svgPath(area.geometry, projection.project),
        href: options.href ? options.href(area.code) : null,
        highlighted: area.code === options.highlight,
        labelX,
        labelY,
      }
    }),
  }
}

export function presentWardRows(wards: Ward[], href: (code: string) => string) {
  return wards.map(ward => [
    { html: `<a class="govuk-link" href="${href(ward.code)}">${escapeHtml(ward.name)}</a>` },
    { text: ward.altName ?? '' },
    { text: ward.population === null ? 'Not known' : ward.population.toLocaleString('en-GB'), format: 'numeric' },
  ])
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, char => `&#${String(char.charCodeAt(0))};`)
}
