/**
 * The `safer import …` and `safer hotspots evaluate` commands. cli.ts registers them and supplies how to open the
 * database (imports) and where the configured borough's geography pack is (evaluation without --boundary).
 */
import { InvalidArgumentError, type Command } from 'commander'

import {
  DEFAULT_PARAMETERS,
  evaluateHotspotMethods,
  EvaluationError,
  loadStreetPoints,
  packBoundary,
  readBoundary,
  type DetailedResult,
} from './hotspot-evaluation.js'
import type { ImportService, ImportSummary, ProgressListener } from './import-service.js'
import { normaliseCrimeType } from './police-formats.js'

export interface IntelligenceCliContext {
  withImports<T>(name: string, work: (imports: ImportService) => Promise<T>): Promise<T>
  geographyPack(): string
  stdout: Output
  stderr: Output
}

export interface Output {
  write(text: string): unknown
  isTTY?: boolean
}

type Format = 'text' | 'json'

function parseFormat(value: string): Format {
  if (value !== 'text' && value !== 'json') throw new InvalidArgumentError('use text or json')
  return value
}

function parseNumber(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value)
    if (!Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected a number from ${String(min)} to ${String(max)}`)
    return n
  }
}

function parseCrimeType(value: string): string {
  const type = normaliseCrimeType(value)
  if (!type) throw new InvalidArgumentError('not a police.uk crime type (e.g. "Shoplifting" or shoplifting)')
  return type
}

/** A one-line counter redrawn in place, only when a person is watching (stdout is a terminal). */
function progress(context: IntelligenceCliContext): { listener?: ProgressListener; done(): void } {
  if (!context.stdout.isTTY) return { done: () => undefined }
  let drawn = false
  return {
    listener: ({ file, rows }) => {
      drawn = true
      context.stderr.write(`\r\u001b[2K${file}: ${rows.toLocaleString('en-GB')} rows`)
    },
    done: () => {
      if (drawn) context.stderr.write('\r\u001b[2K')
    },
  }
}

const number = (value: number) => value.toLocaleString('en-GB')

export function formatImportSummary(summary: ImportSummary): string[] {
  const lines = [
    `Imported ${summary.imported.toLocaleString('en-GB')} rows from ${String(summary.files)} file(s); ` +
      `rejected ${String(summary.rejected.length)}.`,
    `Months replaced: ${summary.months.length === 0 ? 'none' : summary.months.join(', ')}.`,
  ]
  if (summary.noLocation > 0 || summary.outsideArea > 0)
    lines.push(
      `Kept and flagged: ${String(summary.noLocation)} without a location, ${String(summary.outsideArea)} outside the borough.`,
    )
  if (summary.placement) {
    const p = summary.placement
    lines.push(
      `Placed in the borough: ${number(p.inArea)} located rows (${number(p.byLsoaCode)} by the file's LSOA code, ` +
        `${number(p.byPoint)} by point with the 25 m tolerance); by point with the tolerance alone: ` +
        `${number(p.inAreaByPointTolerance)}.`,
    )
  }
  if (summary.skipped > 0) lines.push(`Left out: ${String(summary.skipped)} (other boroughs and zero counts).`)
  for (const note of summary.notes) lines.push(`Note: ${note}`)
  for (const row of summary.rejected) lines.push(`  rejected ${row.file} line ${String(row.line)}: ${row.reason}`)
  return lines
}

function printSummary(context: IntelligenceCliContext, summary: ImportSummary, format: Format): void {
  if (format === 'json') {
    context.stdout.write(`${JSON.stringify(summary)}\n`)
    return
  }
  for (const line of formatImportSummary(summary)) context.stdout.write(`${line}\n`)
}

export function formatEvaluationTable(results: DetailedResult[]): string[] {
  const rows = results.map(result => [
    result.method,
    `${(result.hitRate * 100).toFixed(1)}%`,
    result.pai.toFixed(2),
    `${String(result.hits)}/${String(result.testCrimes)}`,
    `${(result.areaShare * 100).toFixed(2)}%`,
    `${String(result.cellsSelected)}/${String(result.studyCells)} of ${String(result.cellSize)} m`,
  ])
  const header = ['method', 'hit rate', 'PAI', 'hits', 'area', 'cells']
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map(row => (row[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map(width => '-'.repeat(width))), ...rows.map(line)]
}

export function registerIntelligenceCommands(program: Command, context: IntelligenceCliContext): void {
  const imports = program.command('import').description('Import police and MPS crime data for hotspot analysis')
  const formatOption = [
    '--format <format>',
    'text or json (json prints {imported, rejected, months, notes, …}; street files add placement, MPS tables partialMonths)',
  ] as const

  imports
    .command('police-street')
    .argument('<paths...>', 'data.police.uk *-street.csv files, or folders of them')
    .option(...formatOption, parseFormat, 'text')
    .description('Import street-level crime; each force and month replaces what was stored for it')
    .action(async (paths: string[], options: { format: Format }) => {
      const bar = progress(context)
      const summary = await context.withImports('import police-street', service =>
        service.importPoliceStreet(paths, { onProgress: bar.listener }),
      )
      bar.done()
      printSummary(context, summary, options.format)
    })

  imports
    .command('police-stop-search')
    .argument('<paths...>', 'data.police.uk *-stop-and-search.csv files, or folders of them')
    .option(
      '--force <slug>',
      'police force slug, when the file name does not say (YYYY-MM-<force>-stop-and-search.csv)',
    )
    .option('--month <YYYY-MM>', 'month of the file, when the file name does not say')
    .option(...formatOption, parseFormat, 'text')
    .description('Import stop and search; each force and month replaces what was stored for it')
    .action(async (paths: string[], options: { format: Format; force?: string; month?: string }) => {
      const bar = progress(context)
      const summary = await context.withImports('import police-stop-search', service =>
        service.importStopSearch(paths, { force: options.force, month: options.month, onProgress: bar.listener }),
      )
      bar.done()
      printSummary(context, summary, options.format)
    })

  imports
    .command('mps-recorded-crime')
    .argument('<file>', 'an MPS recorded crime CSV (borough, ward or LSOA level; current or historical)')
    .option(
      '--replace-partial',
      'replace months even where the file holds far fewer records than Safer (only for a file you know is complete)',
    )
    .option(...formatOption, parseFormat, 'text')
    .description(
      "Import the configured borough's rows of an MPS recorded crime table; its months are replaced, except a " +
        'month the file holds far fewer records for than Safer (kept, and reported as partial)',
    )
    .action(async (file: string, options: { format: Format; replacePartial?: boolean }) => {
      const bar = progress(context)
      const summary = await context.withImports('import mps-recorded-crime', service =>
        service.importMpsRecordedCrime(file, { onProgress: bar.listener, replacePartial: options.replacePartial }),
      )
      bar.done()
      printSummary(context, summary, options.format)
    })

  const hotspots = program.command('hotspots').description('Hotspot analysis')
  hotspots
    .command('evaluate')
    .description(
      'Train every hotspot method on --train, choose its hottest cells covering --area-share of the study area, ' +
        'and report hit rate and PAI on --test (reads CSV files; no database)',
    )
    .requiredOption('--train <paths...>', 'street files or folders to learn from')
    .requiredOption('--test <paths...>', 'later street files or folders to score against')
    .option('--area-share <share>', 'share of the study area to choose (0-1)', parseNumber(0.0001, 1), 0.05)
    .option('--boundary <geojson>', 'study area: the union of its polygons (default: the configured borough)')
    .option('--crime-type <type>', 'only this crime type (CSV name or API slug)', parseCrimeType)
    .option('--cell-size <metres>', 'grid cell size', parseNumber(5, 5000), DEFAULT_PARAMETERS.cellSize)
    .option('--bandwidth <metres>', 'KDE bandwidth', parseNumber(1, 10_000), DEFAULT_PARAMETERS.kdeBandwidth)
    .option(
      '--half-life <months>',
      'space-time: months for an event weight to halve',
      parseNumber(0.1, 1200),
      DEFAULT_PARAMETERS.halfLifeMonths,
    )
    .option(
      '--recent-share <share>',
      'space-time: weight of the recent surface (0-1)',
      parseNumber(0, 1),
      DEFAULT_PARAMETERS.recentShare,
    )
    .option('--format <format>', 'text (a table) or json (one object per method; see below)', parseFormat, 'text')
    .addHelpText(
      'after',
      `
Output, per method (grid-counts, kde, space-time), in the table and in --format json:
  method         the hotspot method
  hitRate        share of test crimes in the study area that fall in the chosen cells (0-1)
  pai            predictive accuracy index: hitRate / areaShare
  cellSize       grid cell size, metres (--cell-size)
  studyCells     cells whose centre lies in the study area
  cellsSelected  cells chosen, the same number for every method (--area-share of studyCells, rounded)
  areaShare      cellsSelected / studyCells
  hits           test crimes inside the chosen cells
  testCrimes     test crimes inside the study area (crimes with no location or outside it are left out)
The text form prints the located training and test crimes first, then a table of method, hit rate, PAI,
hits/test crimes, cells chosen/study cells and area share.`,
    )
    .action(
      async (options: {
        train: string[]
        test: string[]
        areaShare: number
        boundary?: string
        crimeType?: string
        cellSize: number
        bandwidth: number
        halfLife: number
        recentShare: number
        format: Format
      }) => {
        const boundary = options.boundary ? readBoundary(options.boundary) : packBoundary(context.geographyPack())
        const train = await loadStreetPoints(options.train, options.crimeType)
        const test = await loadStreetPoints(options.test, options.crimeType)
        const results = evaluateHotspotMethods({
          train: train.points,
          test: test.points,
          boundary,
          areaShare: options.areaShare,
          parameters: {
            cellSize: options.cellSize,
            kdeBandwidth: options.bandwidth,
            halfLifeMonths: options.halfLife,
            recentShare: options.recentShare,
          },
        })
        if (options.format === 'json') {
          context.stdout.write(`${JSON.stringify(results)}\n`)
          return
        }
        context.stdout.write(
          `Trained on ${String(train.points.length)} located crimes (${String(train.files)} files), ` +
            `tested on ${String(test.points.length)} (${String(test.files)} files).\n`,
        )
        for (const line of formatEvaluationTable(results)) context.stdout.write(`${line}\n`)
      },
    )
}

export { EvaluationError }
