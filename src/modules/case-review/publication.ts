/**
 * The statutory annual figures (ASBCPA 2014 s104(10); docs/domain-rules.md §2): applications received, how many
 * times the threshold was not met, reviews carried out and reviews that made recommendations, per reporting year
 * (the financial year, April to March, unless the policy says otherwise). Pure, on London calendar dates.
 *
 * - An application linked as a duplicate of an earlier one about the same problem is counted once, with it.
 * - "Threshold not met" counts threshold decisions dated in the year (a decision overturned on appeal still counts:
 *   it was made).
 * - A review is carried out when its outcome is sent; it made recommendations when it has one or more.
 */
export interface PublicationFacts {
  receivedOn: string
  duplicate: boolean
  thresholdDecision: 'met' | 'not-met' | null
  thresholdDecidedOn: string | null
  outcomeOn: string | null
  recommendations: number
}

export interface YearFigures {
  /** '2025/26' style label, or '2025' for a calendar year. */
  label: string
  startYear: number
  start: string
  end: string
  applications: number
  thresholdNotMet: number
  reviews: number
  reviewsWithRecommendations: number
}

export function yearOf(iso: string, startMonth: number): number {
  const [year, month] = iso.split('-').map(Number) as [number, number]
  return month >= startMonth ? year : year - 1
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

export function yearBounds(startYear: number, startMonth: number) {
  const start = `${String(startYear)}-${pad(startMonth)}-01`
  const endMonth = startMonth === 1 ? 12 : startMonth - 1
  const endYear = startMonth === 1 ? startYear : startYear + 1
  const lastDay = new Date(Date.UTC(endYear, endMonth, 0)).getUTCDate()
  const end = `${String(endYear)}-${pad(endMonth)}-${pad(lastDay)}`
  const label =
    startMonth === 1 ? String(startYear) : `${String(startYear)}/${String((startYear + 1) % 100).padStart(2, '0')}`
  return { start, end, label }
}

/** Figures for every year from the first application's year to the year of `today`, newest first. */
export function annualFigures(facts: readonly PublicationFacts[], startMonth: number, today: string): YearFigures[] {
  const current = yearOf(today, startMonth)
  const first = facts.reduce((min, fact) => Math.min(min, yearOf(fact.receivedOn, startMonth)), current)
  const years: YearFigures[] = []
  for (let year = current; year >= first; year -= 1) {
    const inYear = (iso: string | null) => iso !== null && yearOf(iso, startMonth) === year
    years.push({
      ...yearBounds(year, startMonth),
      startYear: year,
      applications: facts.filter(fact => !fact.duplicate && inYear(fact.receivedOn)).length,
      thresholdNotMet: facts.filter(
        fact => !fact.duplicate && fact.thresholdDecision === 'not-met' && inYear(fact.thresholdDecidedOn),
      ).length,
      reviews: facts.filter(fact => !fact.duplicate && inYear(fact.outcomeOn)).length,
      reviewsWithRecommendations: facts.filter(
        fact => !fact.duplicate && inYear(fact.outcomeOn) && fact.recommendations > 0,
      ).length,
    })
  }
  return years
}

function csvCell(value: string | number): string {
  const text = String(value)
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function figuresCsv(years: readonly YearFigures[], headers: readonly string[]): string {
  const rows = years.map(year => [
    year.label,
    year.start,
    year.end,
    year.applications,
    year.thresholdNotMet,
    year.reviews,
    year.reviewsWithRecommendations,
  ])
  return [headers, ...rows].map(row => row.map(csvCell).join(',')).join('\r\n') + '\r\n'
}
