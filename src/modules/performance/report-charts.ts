/**
 * Geometry for the reports' server-rendered SVG charts. Pure functions: the templates draw what these return. Every
 * chart has a title and description and a data table beside it (the accessible alternative); lines differ by dash
 * pattern and marker shape as well as colour, so the chart reads in black and white.
 */
import type { TrendYear } from './performance-service.js'
import { financialYearLabel } from './kpi-engine.js'

const MONTHS = ['Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Jan', 'Feb', 'Mar']

/** A "nice" axis maximum (1, 2, 2.5, 5 × 10ⁿ) at or above `max`. */
export function niceMax(max: number): number {
  if (!(max > 0) || !Number.isFinite(max)) return 1
  const magnitude = 10 ** Math.floor(Math.log10(max))
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= max) return step * magnitude
  return 10 * magnitude
}

/** Axis ticks at a nice step (1, 2, 2.5 or 5 × 10ⁿ), about five of them, from 0 to the first tick at or above max. */
export function axisTicks(max: number): { top: number; ticks: number[] } {
  const step = niceMax(max / 5)
  const top = Math.max(step, Math.ceil(max / step - 1e-9) * step)
  const ticks: number[] = []
  for (let value = 0; value <= top + step / 2; value += step) ticks.push(Number(value.toPrecision(12)))
  return { top, ticks }
}

function compact(value: number): string {
  return value.toLocaleString('en-GB', { maximumFractionDigits: 2 })
}

export interface LineChart {
  id: string
  width: number
  height: number
  title: string
  description: string
  plot: { left: number; right: number; top: number; bottom: number }
  gridlines: { y: number; label: string }[]
  months: { x: number; label: string }[]
  series: {
    label: string
    classes: string
    marker: 'circle' | 'square' | 'triangle'
    path: string
    points: { x: number; y: number; value: string }[]
    legend: { x: number; y: number }
  }[]
}

const STYLES = [
  { classes: 'safer-line safer-line--oldest', marker: 'triangle' as const },
  { classes: 'safer-line safer-line--previous', marker: 'square' as const },
  { classes: 'safer-line safer-line--current', marker: 'circle' as const },
]

/** One line per financial year across April to March: the CSP's usual three-year trend chart. */
export function trendChart(id: string, name: string, years: TrendYear[], format: (v: number) => string): LineChart {
  const width = 560
  const height = 260
  const plot = { left: 56, right: width - 12, top: 16, bottom: height - 58 }
  const values = years.flatMap(year => year.months.filter((v): v is number => v !== null))
  const { top, ticks } = axisTicks(Math.max(0, ...values))
  const step = (plot.right - plot.left) / 11
  const x = (index: number) => plot.left + index * step
  const y = (value: number) => plot.bottom - (value / top) * (plot.bottom - plot.top)
  const series = years.map((year, index) => {
    const style = STYLES[(STYLES.length - years.length + index) % STYLES.length] ?? {
      classes: 'safer-line safer-line--current',
      marker: 'circle' as const,
    }
    const points = year.months.flatMap((value, month) =>
      value === null ? [] : [{ x: x(month), y: y(value), value: format(value), month }],
    )
    // A gap in the months breaks the line rather than joining across it.
    let path = ''
    let previousMonth = -2
    for (const point of points) {
      path += `${point.month === previousMonth + 1 ? 'L' : 'M'}${point.x.toFixed(1)} ${point.y.toFixed(1)} `
      previousMonth = point.month
    }
    return {
      label: financialYearLabel(year.startYear),
      classes: style.classes,
      marker: style.marker,
      path: path.trim(),
      points: points.map(({ x: px, y: py, value }) => ({ x: px, y: py, value })),
      legend: { x: plot.left + index * 130, y: height - 14 },
    }
  })
  const latest = years[years.length - 1]
  return {
    id,
    width,
    height,
    title: `${name}: each month, ${years.map(year => financialYearLabel(year.startYear)).join(', ')}`,
    description: `Line chart with one line per financial year from April to March${
      latest ? `, up to the latest month of ${financialYearLabel(latest.startYear)}` : ''
    }. The same figures are in the table beside the chart.`,
    plot,
    gridlines: ticks.map(value => ({ y: y(value), label: compact(value) })),
    months: MONTHS.map((label, index) => ({ x: x(index), label })),
    series,
  }
}

export interface PairBarChart {
  id: string
  width: number
  height: number
  title: string
  description: string
  labelWidth: number
  plotWidth: number
  rows: {
    label: string
    y: number
    current: { width: number; text: string }
    previous: { width: number; text: string }
  }[]
  legend: { current: string; previous: string; y: number }
}

/** Horizontal bars, this year above last year, one pair per row; each row scaled to its own largest figure. */
export function pairBarChart(
  id: string,
  title: string,
  rows: { label: string; current: number; previous: number }[],
  labels: { current: string; previous: string },
): PairBarChart {
  const labelWidth = 220
  const plotWidth = 260
  const rowHeight = 40
  return {
    id,
    width: labelWidth + plotWidth + 70,
    height: rows.length * rowHeight + 40,
    title,
    description: `Bar chart of ${String(rows.length)} outputs: ${labels.current} beside ${labels.previous}. Each pair of bars has its own scale, so compare the two bars of a pair, not bars of different rows. The same figures are in the table beside the chart.`,
    labelWidth,
    plotWidth,
    rows: rows.map((row, index) => {
      const max = Math.max(row.current, row.previous, 1)
      return {
        label: row.label.length > 30 ? `${row.label.slice(0, 29)}…` : row.label,
        y: 8 + index * rowHeight,
        current: { width: Math.max(1, (row.current / max) * plotWidth), text: row.current.toLocaleString('en-GB') },
        previous: { width: Math.max(1, (row.previous / max) * plotWidth), text: row.previous.toLocaleString('en-GB') },
      }
    }),
    legend: { ...labels, y: rows.length * rowHeight + 28 },
  }
}
