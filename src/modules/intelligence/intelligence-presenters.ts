/**
 * Turns hotspot results into GOV.UK component arguments, and checks the page's filters. No I/O.
 */
import { t } from '../../platform/i18n.js'
import { CRIME_TYPES, normaliseCrimeType } from './police-formats.js'
import {
  HOTSPOT_METHODS,
  type HotspotMethodName,
  type HotspotQuery,
  type HotspotSummary,
} from './intelligence-service.js'
import { hotspotApiUrls } from './intelligence-paths.js'

export interface HotspotQueryInput {
  crimeType?: string
  from?: string
  to?: string
  method?: string
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/

export function validateHotspotQuery(
  input: HotspotQueryInput,
  months: readonly string[],
): { ok: true; query: HotspotQuery } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const query: HotspotQuery = {}
  if (input.crimeType) {
    const type = normaliseCrimeType(input.crimeType)
    if (type) query.crimeType = type
    else errors.crimeType = t('intelligence.errors.crimeType')
  }
  for (const field of ['from', 'to'] as const) {
    const value = input[field]
    if (!value) continue
    if (!MONTH.test(value) || (months.length > 0 && !months.includes(value)))
      errors[field] = t(`intelligence.errors.${field}`)
  }
  if (input.from && !errors.from) query.fromMonth = input.from
  if (input.to && !errors.to) query.toMonth = input.to
  if (query.fromMonth && query.toMonth && query.fromMonth > query.toMonth) errors.to = t('intelligence.errors.order')
  if (input.method) {
    if ((HOTSPOT_METHODS as readonly string[]).includes(input.method)) query.method = input.method as HotspotMethodName
    else errors.method = t('intelligence.errors.method')
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, query }
}

const number = (value: number) => value.toLocaleString('en-GB')
const rate = (value: number | null) => (value === null ? t('intelligence.unknown') : value.toFixed(1))

const CRIME_TYPE_NAMES = new Map<string, string>()
for (const [name, slug] of Object.entries(CRIME_TYPES))
  if (!CRIME_TYPE_NAMES.has(slug)) CRIME_TYPE_NAMES.set(slug, name)

export function crimeTypeName(slug: string): string {
  return CRIME_TYPE_NAMES.get(slug) ?? slug
}

export function presentHotspotPage({
  input,
  months,
  crimeTypes,
  summary,
  defaultPeriodMonths,
}: {
  input: HotspotQueryInput
  months: string[]
  crimeTypes: string[]
  summary: HotspotSummary | null
  /** Set when no period was chosen and the page shows this many of the latest months with data. */
  defaultPeriodMonths?: number
}) {
  const select = (values: string[], selected: string | undefined, label: (value: string) => string, any: string) => [
    { value: '', text: any, selected: !selected },
    ...values.map(value => ({ value, text: label(value), selected: value === selected })),
  ]
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(input)) if (typeof value === 'string' && value) query.set(key, value)
  const period = new URLSearchParams()
  for (const key of ['from', 'to'] as const) if (input[key]) period.set(key, input[key])
  return {
    values: input,
    hasData: months.length > 0,
    crimeTypeItems: select(crimeTypes, input.crimeType, crimeTypeName, t('intelligence.filters.allTypes')),
    fromItems: select(months, input.from, month => month, t('intelligence.filters.earliest')),
    toItems: select(months, input.to, month => month, t('intelligence.filters.latest')),
    methodItems: HOTSPOT_METHODS.map(method => ({
      value: method,
      text: t(`intelligence.methods.${method}`),
      selected: (input.method ?? 'space-time') === method,
    })),
    surfaceUrl: hotspotApiUrls.surface(query.toString()),
    crimesUrl: hotspotApiUrls.crimes(query.toString()),
    reportsUrl: hotspotApiUrls.reports(period.toString()),
    summary: summary && {
      crimes: number(summary.crimes),
      period: `${summary.query.fromMonth ?? months[0] ?? ''} to ${summary.query.toMonth ?? months.at(-1) ?? ''}`,
      periodNote: defaultPeriodMonths
        ? t('intelligence.defaultPeriod', {
            months: defaultPeriodMonths,
            from: summary.query.fromMonth ?? '',
            to: months.at(-1) ?? '',
            first: months[0] ?? '',
          })
        : null,
      forces: summary.forces.length > 0 ? t('intelligence.forces', { forces: summary.forces.join(', ') }) : null,
      wardRows: summary.wards.map(ward => [
        { text: ward.name },
        { text: number(ward.count), format: 'numeric' },
        { text: ward.population === null ? t('intelligence.unknown') : number(ward.population), format: 'numeric' },
        { text: rate(ward.ratePer1000), format: 'numeric' },
      ]),
      trendRows: summary.trend.map(point => [{ text: point.month }, { text: number(point.crimes), format: 'numeric' }]),
      lsoaRows: summary.lsoas.map(lsoa => [
        { text: `${lsoa.name} (${lsoa.code})` },
        { text: number(lsoa.count), format: 'numeric' },
        { text: rate(lsoa.ratePer1000), format: 'numeric' },
      ]),
      placeRows: summary.places.map(place => [
        { text: String(place.rank), format: 'numeric' },
        { text: place.street ?? t('intelligence.unknown') },
        { text: place.ward ?? t('intelligence.unknown') },
        { text: number(place.crimes), format: 'numeric' },
        { text: `${place.latitude.toFixed(5)}, ${place.longitude.toFixed(5)}` },
      ]),
    },
  }
}
