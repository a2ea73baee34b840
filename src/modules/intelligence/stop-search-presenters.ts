/** The stop and search scrutiny page's view data: tables with the chart beside them, all figures formatted here. */
import { t } from '../../platform/i18n.js'
import type { Ward } from '../geography/index.js'
import type { ScrutinyLine, StopSearchScrutiny } from './stop-search-scrutiny.js'

const number = new Intl.NumberFormat('en-GB')
const oneDecimal = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })

/** "12.5%", or "no data" when nothing is counted (never a misleading 0%). */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${oneDecimal.format((100 * part) / whole)}%` : t('intelligence.stopSearch.noData')
}

/** 'YYYY-MM' → "September 2022". */
export function monthLabel(month: string): string {
  const [year, mon] = month.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(year, mon - 1, 1)).toLocaleDateString('en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  })
}

const numeric = { format: 'numeric' }

function actionedCell(row: ScrutinyLine) {
  return { text: percent(row.actioned, row.withOutcome), ...numeric }
}

export interface WardBar {
  label: string
  rate: number
  y: number
  width: number
  title: string
}

export function presentScrutiny(scrutiny: StopSearchScrutiny, wards: readonly Ward[]) {
  const total = scrutiny.total.searches
  const wardByCode = new Map(wards.map(ward => [ward.code, ward]))
  const wardLines = wards.map(ward => {
    const line = scrutiny.byWard.find(row => row.key === ward.code) ?? {
      key: ward.code,
      searches: 0,
      withOutcome: 0,
      actioned: 0,
    }
    const rate = ward.population ? (1000 * line.searches) / ward.population : null
    return { ward, line, rate }
  })
  wardLines.sort((a, b) => b.line.searches - a.line.searches || a.ward.name.localeCompare(b.ward.name))
  const peak = Math.max(0, ...wardLines.map(row => row.rate ?? 0))
  const barHeight = 18
  const chartWidth = 420
  const bars: WardBar[] = wardLines.map((row, index) => ({
    label: row.ward.name,
    rate: row.rate ?? 0,
    y: index * (barHeight + 4),
    width: peak > 0 ? Math.max(1, Math.round(((row.rate ?? 0) / peak) * 240)) : 1,
    title: t('intelligence.stopSearch.barTitle', {
      ward: row.ward.name,
      rate: row.rate === null ? t('intelligence.stopSearch.noData') : oneDecimal.format(row.rate),
    }),
  }))
  const labelled = (key: string | null, fallback: string) => key ?? fallback
  return {
    total: number.format(total),
    actioned: percent(scrutiny.total.actioned, scrutiny.total.withOutcome),
    unplaced: number.format(scrutiny.unplaced),
    period:
      scrutiny.months.length === 0
        ? ''
        : scrutiny.months.length === 1
          ? monthLabel(scrutiny.months[0] ?? '')
          : `${monthLabel(scrutiny.months[0] ?? '')} to ${monthLabel(scrutiny.months.at(-1) ?? '')}`,
    chart: { width: chartWidth, height: bars.length * (barHeight + 4), barHeight, bars, labelWidth: 170 },
    wardRows: wardLines.map(row => [
      { text: row.ward.name },
      { text: number.format(row.line.searches), ...numeric },
      {
        text: row.rate === null ? t('intelligence.stopSearch.noData') : oneDecimal.format(row.rate),
        ...numeric,
      },
      actionedCell(row.line),
    ]),
    ethnicityRows: scrutiny.byEthnicity.map(row => [
      { text: labelled(row.key, t('intelligence.stopSearch.notStated')) },
      { text: number.format(row.searches), ...numeric },
      { text: percent(row.searches, total), ...numeric },
      actionedCell(row),
    ]),
    objectRows: scrutiny.byObject.map(row => [
      { text: labelled(row.key, t('intelligence.stopSearch.notRecorded')) },
      { text: number.format(row.searches), ...numeric },
      actionedCell(row),
    ]),
    outcomeRows: scrutiny.byOutcome.map(row => [
      { text: labelled(row.key, t('intelligence.stopSearch.notRecorded')) },
      { text: number.format(row.searches), ...numeric },
      { text: percent(row.searches, total), ...numeric },
    ]),
    wardsKnown: wardByCode.size > 0,
  }
}
