/**
 * View data for the "when" page (an hour-of-week heat map and a monthly trend, as server-rendered SVG, each beside
 * its data table), the weekly tasking pack, and the import page's summary. No I/O.
 */
import { formatLongDate } from '../../platform/dates.js'
import { t } from '../../platform/i18n.js'
import type { ImportSummary } from './import-service.js'
import type { TaskingPack, WhenSummary } from './tasking-service.js'

const number = (value: number) => value.toLocaleString('en-GB')
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

/** Light to dark blue in five steps; zero is white. The table beside the map gives the numbers. */
const SHADES = ['#ffffff', '#d2e2f1', '#a5c5e3', '#5694ca', '#1d70b8', '#003078']

function shade(value: number, top: number): string {
  if (value <= 0 || top <= 0) return SHADES[0] ?? '#ffffff'
  return SHADES[Math.min(5, Math.ceil((value / top) * 5))] ?? '#003078'
}

export function presentWhen(summary: WhenSummary) {
  const cell = 22
  const left = 44
  const topMargin = 22
  const top = Math.max(0, ...summary.grid.flat())
  const dayNames = DAYS.map(day => t(`intelligence.when.days.${day}`))
  const heat = {
    width: left + 24 * cell + 4,
    height: topMargin + 7 * cell + 4,
    hours: Array.from({ length: 24 }, (_, hour) => ({
      x: left + hour * cell + cell / 2,
      y: topMargin - 6,
      label: hour % 3 === 0 ? String(hour).padStart(2, '0') : '',
    })),
    days: dayNames.map((name, day) => ({ x: left - 6, y: topMargin + day * cell + cell / 2 + 4, label: name })),
    cells: summary.grid.flatMap((row, day) =>
      row.map((value, hour) => ({
        x: left + hour * cell,
        y: topMargin + day * cell,
        size: cell - 2,
        fill: shade(value, top),
        title: t('intelligence.when.cellTitle', {
          day: dayNames[day] ?? '',
          hour: String(hour).padStart(2, '0'),
          reports: value,
        }),
      })),
    ),
  }
  const tableHead = [
    { text: t('intelligence.when.day') },
    ...Array.from({ length: 24 }, (_, hour) => ({ text: String(hour).padStart(2, '0'), format: 'numeric' })),
    { text: t('intelligence.when.noTime'), format: 'numeric' },
  ]
  const tableRows = summary.grid.map((row, day) => [
    { text: dayNames[day] ?? '' },
    ...row.map(value => ({ text: String(value), format: 'numeric' })),
    { text: String(summary.noTime[day] ?? 0), format: 'numeric' },
  ])

  const monthly = summary.monthly
  const peak = Math.max(1, ...monthly.map(point => point.reports))
  const barWidth = 28
  const chartHeight = 160
  const trend = {
    width: 40 + Math.max(1, monthly.length) * barWidth,
    height: chartHeight + 40,
    peak,
    bars: monthly.map((point, i) => {
      const height = Math.round((point.reports / peak) * chartHeight)
      return {
        x: 36 + i * barWidth,
        y: 10 + chartHeight - height,
        width: barWidth - 6,
        height,
        label: point.month.slice(5),
        labelX: 36 + i * barWidth + (barWidth - 6) / 2,
        title: t('intelligence.when.monthTitle', { month: point.month, reports: point.reports }),
      }
    }),
  }
  return {
    total: number(summary.total),
    heat,
    tableHead,
    tableRows,
    trend,
    trendRows: monthly.map(point => [{ text: point.month }, { text: number(point.reports), format: 'numeric' }]),
  }
}

const change = (now: number, before: number, periods: number) => {
  const baseline = before / periods
  const diff = now - baseline
  return `${diff >= 0 ? '+' : '−'}${Math.abs(diff).toFixed(1)}`
}
const pValue = (p: number) => (p < 0.001 ? '< 0.001' : p.toFixed(3))

export function presentTaskingPack(pack: TaskingPack, options: { activityTypes?: boolean } = {}) {
  const typeNames = new Map(pack.outputs.types.map(type => [type.code, type.name]))
  const police = pack.police
  return {
    weekStart: pack.weekStart,
    weekEnd: pack.weekEnd,
    police: police && {
      latest: police.latest,
      earlier: `${police.earlierFrom} to ${police.earlierTo}`,
      periods: police.periods,
      noBaseline: police.periods === 0,
      // A month never imported is "no data", never 0: it is left out of the mean before.
      monthRows: police.baselineMonths.map(month => [
        { text: month.month },
        month.records === null
          ? { text: t('intelligence.tasking.noData') }
          : { text: number(month.records), format: 'numeric' },
      ]),
      crimesNow: number(police.crimesNow),
      cellSize: police.cellSize,
      wardRows: police.wards
        .slice(0, 10)
        .map(ward => [
          { text: ward.name },
          { text: number(ward.now), format: 'numeric' },
          police.periods === 0
            ? { text: t('intelligence.tasking.noData') }
            : { text: ward.baseline.toFixed(1), format: 'numeric' },
          police.periods === 0
            ? { text: t('intelligence.tasking.noData') }
            : { text: change(ward.now, ward.before, police.periods), format: 'numeric' },
          { text: ward.emerging ? t('intelligence.tasking.emergingYes') : '' },
        ]),
      placeRows: police.places.map(place => [
        { text: String(place.rank), format: 'numeric' },
        { text: place.ward ?? t('intelligence.unknown') },
        { text: `${place.latitude.toFixed(5)}, ${place.longitude.toFixed(5)}` },
        { text: number(place.now), format: 'numeric' },
        police.periods === 0
          ? { text: t('intelligence.tasking.noData') }
          : { text: place.baseline.toFixed(1), format: 'numeric' },
      ]),
      emergingRows: [
        ...police.wards
          .filter(ward => ward.emerging)
          .map(ward => [
            { text: t('intelligence.tasking.wardArea', { name: ward.name }) },
            { text: number(ward.now), format: 'numeric' },
            { text: ward.baseline.toFixed(1), format: 'numeric' },
            { text: pValue(ward.pValue), format: 'numeric' },
          ]),
        ...police.emergingCells.map(cell => [
          {
            text: t('intelligence.tasking.cellArea', {
              size: police.cellSize,
              ward: cell.ward ?? t('intelligence.unknown'),
              centre: `${cell.latitude.toFixed(5)}, ${cell.longitude.toFixed(5)}`,
            }),
          },
          { text: number(cell.now), format: 'numeric' },
          { text: cell.baseline.toFixed(1), format: 'numeric' },
          { text: pValue(cell.pValue), format: 'numeric' },
        ]),
      ],
    },
    reported: {
      earlier: `${pack.reported.earlierFrom} to ${pack.reported.earlierTo}`,
      periods: pack.reported.periods,
      rows: pack.reported.wards.map(ward => [
        { text: ward.name },
        { text: number(ward.now), format: 'numeric' },
        { text: ward.baseline.toFixed(1), format: 'numeric' },
        { text: ward.emerging ? t('intelligence.tasking.emergingYes') : '' },
      ]),
    },
    outputs: {
      since: pack.outputs.since,
      rows: pack.outputs.records.map(record => [
        { text: record.occurredOn },
        { text: typeNames.get(record.typeCode) ?? record.typeCode },
        { text: number(record.quantity), format: 'numeric' },
        { text: record.operation ?? '' },
      ]),
    },
    providerCount: pack.providerCount,
    sections: pack.sections.map(section => ({
      title: section.title,
      description: section.description,
      empty: section.empty,
      head: section.head.map(text => ({ text })),
      rows: section.rows.map(row => row.map(text => ({ text }))),
    })),
    decisionRows: pack.decisions.map(decision => [
      {
        text:
          decision.week_start === pack.weekStart
            ? decision.decision
            : t('intelligence.tasking.carried', {
                decision: decision.decision,
                week: formatLongDate(decision.week_start),
              }),
      },
      { text: decision.owner },
      { text: formatLongDate(decision.due_on) },
      {
        text:
          decision.activity_record_id === null
            ? t('intelligence.tasking.noOutput')
            : t('intelligence.tasking.outputRecorded', { id: decision.activity_record_id }),
      },
      {
        text:
          decision.completed_on !== null
            ? t('intelligence.tasking.doneOn', { date: formatLongDate(decision.completed_on) })
            : decision.due_on < pack.today
              ? t('intelligence.tasking.overdue')
              : t('intelligence.tasking.toDo'),
      },
    ]),
    /** The decisions still to do, for the "mark as done" form. */
    openDecisionItems: pack.decisions
      .filter(decision => decision.completed_on === null)
      .map(decision => ({
        value: decision.id,
        text: t('intelligence.tasking.openItem', {
          decision: decision.decision.length > 90 ? `${decision.decision.slice(0, 89)}…` : decision.decision,
          owner: decision.owner,
          due: formatLongDate(decision.due_on),
        }),
      })),
    outputTypeItems: options.activityTypes
      ? [
          { value: '', text: t('intelligence.tasking.form.noOutput') },
          ...pack.outputs.types.map(type => ({ value: type.code, text: type.name })),
        ]
      : [],
  }
}

export function presentImportSummary(summary: ImportSummary) {
  return {
    imported: number(summary.imported),
    rejectedCount: number(summary.rejected.length),
    months: summary.months.join(', ') || t('intelligence.import.noMonths'),
    flagged: t('intelligence.import.flagged', { noLocation: summary.noLocation, outside: summary.outsideArea }),
    rejectedRows: summary.rejected
      .slice(0, 500)
      .map(row => [{ text: row.file }, { text: String(row.line), format: 'numeric' }, { text: row.reason }]),
    rejectedMore: summary.rejected.length > 500 ? number(summary.rejected.length - 500) : null,
    placement: summary.placement
      ? t('intelligence.import.placement', {
          inArea: number(summary.placement.inArea),
          byLsoaCode: number(summary.placement.byLsoaCode),
          byPoint: number(summary.placement.byPoint),
          byTolerance: number(summary.placement.inAreaByPointTolerance),
        })
      : null,
    notes: summary.notes,
    partialRows: (summary.partialMonths ?? []).map(month => [
      { text: `${month.level} ${month.month}` },
      { text: number(month.total), format: 'numeric' },
      { text: number(month.held), format: 'numeric' },
      { text: t(`intelligence.import.partialActions.${month.action}`) },
    ]),
  }
}
