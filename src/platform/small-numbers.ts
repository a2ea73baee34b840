/**
 * Small-number protection for public counts (docs/public-data.md). One row of a public table (for example one ward's
 * reports by category, with the row total) goes in; the same row comes out with the counts that could identify
 * someone replaced by a suppressed marker.
 *
 * - Primary suppression: a sensitive cell (harassment, hate, neighbour disputes: categories aimed at a person) with a
 *   count from 1 to threshold − 1 is suppressed. Zero is published: it says nothing about anyone.
 * - Secondary suppression: when the total is published, the suppressed cells' sum can be worked out (total minus the
 *   published cells). More cells are suppressed, smallest first, until no suppressed sensitive cell can be pinned to
 *   one value: at least one non-sensitive cell is suppressed too, and the suppressed sum is large enough that every
 *   sensitive cell could still be any value from 1 to threshold − 1. When no cells are left to suppress, the total is
 *   withheld instead.
 */

export interface CountCell<K extends string = string> {
  key: K
  count: number
  /** A category whose small counts could identify a person (primary suppression applies). */
  sensitive: boolean
}

export interface ProtectedCell<K extends string = string> {
  key: K
  /** The count, or null when suppressed. */
  count: number | null
  suppressed: boolean
  /** Why: `primary` (a small sensitive count, shown as "fewer than {threshold}") or `secondary` (hides a primary). */
  reason: 'primary' | 'secondary' | null
}

export interface ProtectedRow<K extends string = string> {
  cells: ProtectedCell<K>[]
  /** The row total, or null when it is withheld. */
  total: number | null
  totalSuppressed: boolean
  threshold: number
}

export function protectSmallNumbers<K extends string>(
  cells: readonly CountCell<K>[],
  options: { threshold: number; publishTotal?: boolean },
): ProtectedRow<K> {
  const { threshold } = options
  const publishTotal = options.publishTotal ?? true
  if (!Number.isInteger(threshold) || threshold < 1) throw new RangeError('threshold must be a whole number, 1 or more')
  const reason = new Map<number, 'primary' | 'secondary'>()
  cells.forEach((cell, index) => {
    if (cell.sensitive && cell.count >= 1 && cell.count < threshold) reason.set(index, 'primary')
  })
  const total = cells.reduce((sum, cell) => sum + cell.count, 0)
  let totalSuppressed = false
  if (reason.size > 0 && publishTotal) {
    // Candidates for secondary suppression: published non-zero cells, smallest first (least information lost).
    const candidates = cells
      .map((cell, index) => ({ cell, index }))
      .filter(({ cell, index }) => !reason.has(index) && cell.count > 0)
      .sort((a, b) => a.cell.count - b.cell.count || a.index - b.index)
    // What a reader knows of a hidden cell: a primary is 1 to threshold − 1; a secondary is at least 1, or at least
    // threshold when its category is sensitive (else it would be a primary); neither has an upper bound.
    const lowest = (index: number) =>
      reason.get(index) === 'secondary' && cells[index]?.sensitive === true ? threshold : 1
    const safe = () => {
      const hidden = [...reason.keys()]
      if (!hidden.some(index => reason.get(index) === 'secondary')) return false
      const hiddenSum = hidden.reduce((sum, index) => sum + (cells[index]?.count ?? 0), 0)
      const lowestSum = hidden.reduce((sum, index) => sum + lowest(index), 0)
      // A primary is at most hiddenSum − (the other hidden cells' lowest values): that must still allow threshold − 1.
      return hiddenSum - (lowestSum - 1) >= threshold - 1
    }
    for (const { index } of candidates) {
      if (safe()) break
      reason.set(index, 'secondary')
    }
    if (!safe()) totalSuppressed = true
  }
  return {
    cells: cells.map((cell, index) => {
      const why = reason.get(index) ?? null
      return { key: cell.key, count: why ? null : cell.count, suppressed: why !== null, reason: why }
    }),
    total: publishTotal && !totalSuppressed ? total : null,
    totalSuppressed: publishTotal && totalSuppressed,
    threshold,
  }
}
