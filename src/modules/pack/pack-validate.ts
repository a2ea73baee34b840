/**
 * Checks a CSP pack and names every problem with its file and line: the manifest and each file it names against
 * their schemas, the references between files (an outcome's indicators, an indicator's priority, a historic
 * figure's indicator, a demo panel member's panel and partner), each panel's code once, and, unless asked not to, the geography files themselves (GeoJSON features and CSV rows).
 * `safer pack validate <folder>` prints what this finds; the startup loader runs the cheap part.
 */
import fs from 'node:fs'
import path from 'node:path'

import { parse } from 'csv-parse/sync'
import Type, { type Static, type TSchema } from 'typebox'
import Value from 'typebox/value'

import { JsonSyntaxError, parseJsonWithLines, type LocatedJson } from './json-lines.js'
import { DEMO_PARTNERS, DEMO_TEAMS } from '../accounts/index.js'
import { isValidPostcode, normalisePostcode } from '../geography/index.js'
import { CaseReviewPolicySchema, DEFAULT_CASE_REVIEW_POLICY, withLocalChanges } from '../case-review/index.js'
import {
  DEFAULT_POWERS_POLICY,
  PowersPolicyChangesSchema,
  powersPolicyChangeProblems,
  withLocalPowersChanges,
  type PowersPolicy,
} from '../powers/index.js'
import { CATEGORIES } from '../reporting/index.js'
import type { CaseReviewPolicy } from '../case-review/index.js'
import {
  DemoFileSchema,
  PoliciesFileSchema,
  HistoricValuesFileSchema,
  IndicatorsFileSchema,
  ManifestSchema,
  PanelsFileSchema,
  PlanFileSchema,
  type CspManifest,
  type PackLetterhead,
  type DemoFile,
  type HistoricValuesFile,
  type IndicatorsFile,
  type PanelsFile,
  type PlanFile,
} from './pack-schema.js'

/** A pack's Case Review changes: any keys of the policy, none other (the whole is checked once applied). */
const CaseReviewChangesSchema = Type.Partial(CaseReviewPolicySchema, { additionalProperties: false })

export interface PackProblem {
  /** The file's name within the pack folder. */
  file: string
  /** 1-based; null when the problem is the file as a whole (missing, unreadable). */
  line: number | null
  message: string
}

export interface ValidatedPack {
  manifest: CspManifest
  plan: PlanFile | null
  indicators: IndicatorsFile | null
  historicValues: HistoricValuesFile | null
  demo: DemoFile | null
  panels: PanelsFile | null
  /** The policies in force: Safer's defaults with the pack's changes (`policies.json`), each with its version. */
  policies: { caseReview: CaseReviewPolicy; powers: PowersPolicy }
  /** Who letters come from, the logo read from the pack (null: no letterhead). */
  letterhead: PackLetterhead | null
}

/** The largest logo a letterhead may carry (it is inlined in every letter kept). */
export const MAX_LOGO_BYTES = 100 * 1024

const LOGO_TYPES: Record<string, string> = { '.svg': 'image/svg+xml', '.png': 'image/png' }

/**
 * The letterhead's logo, inlined as a data URI: an SVG or PNG in the pack, small, and (an SVG) with no script and no
 * reference to anything outside itself, so a letter never runs or fetches anything.
 */
function checkLetterhead(
  dir: string,
  manifest: CspManifest,
  json: LocatedJson | null,
  problems: PackProblem[],
): PackLetterhead | null {
  const letterhead = manifest.letterhead
  if (!letterhead) return null
  if (!letterhead.logo) return { ...letterhead, logoSrc: null }
  const line = json?.lineOf('/letterhead/logo') ?? null
  const file = path.join(dir, letterhead.logo)
  const type = LOGO_TYPES[path.extname(file).toLowerCase()]
  const problem = (message: string) => {
    problems.push({ file: 'pack.json', line, message: `letterhead.logo "${letterhead.logo ?? ''}" ${message}` })
    return null
  }
  if (!type) return problem('must be an .svg or .png file')
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return problem('is missing from the pack')
  const bytes = fs.readFileSync(file)
  if (bytes.length > MAX_LOGO_BYTES) return problem(`is larger than ${String(MAX_LOGO_BYTES / 1024)} KB`)
  if (type === 'image/svg+xml') {
    const text = bytes.toString('utf8')
    if (!/<svg[\s>]/.test(text)) return problem('is not an SVG image')
    if (/<script|\son[a-z]+\s*=|(?:href|src)\s*=\s*["'](?!#|data:)/i.test(text))
      return problem('must not contain scripts, event handlers or links to other files')
  } else if (!bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return problem('is not a PNG image')
  }
  return { ...letterhead, logoSrc: `data:${type};base64,${bytes.toString('base64')}` }
}

export function describeProblem(problem: PackProblem): string {
  return `${problem.file}${problem.line === null ? '' : `:${String(problem.line)}`}: ${problem.message}`
}

interface SchemaError {
  keyword: string
  instancePath: string
  schemaPath: string
  message: string
  params: Record<string, unknown>
}

/** TypeBox's errors, condensed to one readable message per fault. */
function schemaProblems(schema: TSchema, value: unknown): { pointer: string; message: string }[] {
  const errors = [...Value.Errors(schema, value)] as unknown as SchemaError[]
  // A union's path: where an `anyOf` failed, or where one of its branches did (TypeBox does not always report the
  // `anyOf` itself when a file has several faults).
  const anyOfPaths = new Set(
    errors
      .filter(error => error.keyword === 'anyOf' || /\/anyOf\/\d+$/.test(error.schemaPath))
      .map(error => error.instancePath),
  )
  const found: { pointer: string; message: string }[] = []
  const reported = new Set<string>()
  for (const error of errors) {
    const where = error.instancePath
    const field = where.slice(where.lastIndexOf('/') + 1)
    if (error.keyword === 'additionalProperties') continue
    if (error.keyword === 'boolean') {
      found.push({ pointer: where, message: `"${field}" is not a field this file may have` })
    } else if (anyOfPaths.has(where)) {
      // One message per union, whichever of its errors comes first.
      if (reported.has(where)) continue
      reported.add(where)
      const allowed = errors
        .filter(other => other.instancePath === where && other.keyword === 'const')
        .map(other => JSON.stringify(other.params.allowedValue))
      found.push({
        pointer: where,
        message:
          allowed.length > 0
            ? `${field} must be one of ${allowed.join(', ')}`
            : `${field} is not of a form allowed here`,
      })
    } else {
      found.push({ pointer: where, message: `${where === '' ? 'the file' : field} ${error.message}` })
    }
  }
  return found
}

function readJsonFile(dir: string, file: string, problems: PackProblem[]): LocatedJson | null {
  const full = path.join(dir, file)
  if (!fs.existsSync(full)) {
    problems.push({ file, line: null, message: 'the file is missing' })
    return null
  }
  try {
    return parseJsonWithLines(fs.readFileSync(full, 'utf8'))
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      problems.push({ file, line: error.line, message: `not valid JSON: ${error.message}` })
    } else {
      problems.push({ file, line: null, message: `cannot be read: ${(error as Error).message}` })
    }
    return null
  }
}

function checkSchema<S extends TSchema>(
  file: string,
  json: LocatedJson,
  schema: S,
  problems: PackProblem[],
): Static<S> | null {
  const found = schemaProblems(schema, json.value)
  for (const problem of found) problems.push({ file, line: json.lineOf(problem.pointer), message: problem.message })
  return found.length === 0 ? (json.value as Static<S>) : null
}

function duplicates(
  file: string,
  json: LocatedJson,
  listPointer: string,
  ids: string[],
  what: string,
  problems: PackProblem[],
): void {
  const seen = new Set<string>()
  ids.forEach((id, index) => {
    if (seen.has(id))
      problems.push({
        file,
        line: json.lineOf(`${listPointer}/${String(index)}`),
        message: `${what} "${id}" appears twice`,
      })
    seen.add(id)
  })
}

interface GeoFeature {
  properties?: Record<string, unknown> | null
  geometry?: { type?: unknown } | null
}

function checkGeoJson(
  dir: string,
  file: string,
  codeProperty: string,
  nameProperty: string,
  problems: PackProblem[],
): number {
  const json = readJsonFile(dir, file, problems)
  if (!json) return 0
  const collection = json.value as { type?: unknown; features?: unknown }
  if (collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    problems.push({ file, line: 1, message: 'not a GeoJSON FeatureCollection' })
    return 0
  }
  const codes = new Set<string>()
  ;(collection.features as GeoFeature[]).forEach((feature, index) => {
    const line = json.lineOf(`/features/${String(index)}`)
    const properties = feature.properties ?? {}
    const code = properties[codeProperty]
    if (typeof code !== 'string' || code === '') {
      problems.push({ file, line, message: `feature ${String(index)} has no "${codeProperty}" (its code)` })
    } else if (codes.has(code)) {
      problems.push({ file, line, message: `code ${code} appears twice` })
    } else {
      codes.add(code)
    }
    if (typeof properties[nameProperty] !== 'string')
      problems.push({ file, line, message: `feature ${String(index)} has no "${nameProperty}" (its name)` })
    const type = feature.geometry?.type
    if (type !== 'Polygon' && type !== 'MultiPolygon')
      problems.push({
        file,
        line,
        message: `feature ${String(index)} is a ${String(type)}, not a Polygon or MultiPolygon`,
      })
  })
  return collection.features.length
}

function checkCsv(dir: string, file: string, columns: string[], numeric: string[], problems: PackProblem[]): void {
  const full = path.join(dir, file)
  if (!fs.existsSync(full)) {
    problems.push({ file, line: null, message: 'the file is missing' })
    return
  }
  let records: { record: Record<string, string>; info: { lines: number } }[]
  try {
    records = parse(fs.readFileSync(full), {
      columns: true,
      skip_empty_lines: true,
      bom: true,
      trim: true,
      info: true,
    }) as unknown as { record: Record<string, string>; info: { lines: number } }[]
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? null
    problems.push({ file, line, message: `not valid CSV: ${(error as Error).message}` })
    return
  }
  const header = records[0] ? Object.keys(records[0].record) : []
  const missing = columns.filter(column => !header.includes(column))
  if (records.length === 0) problems.push({ file, line: 1, message: 'has no rows' })
  else if (missing.length > 0)
    problems.push({ file, line: 1, message: `has no column ${missing.map(column => `"${column}"`).join(', ')}` })
  else
    for (const { record, info } of records)
      for (const column of numeric)
        if (!Number.isFinite(Number(record[column])) || (record[column] ?? '') === '')
          problems.push({ file, line: info.lines, message: `${column} "${record[column] ?? ''}" is not a number` })
}

function checkGeography(dir: string, manifest: CspManifest, problems: PackProblem[]): void {
  const boroughs = checkGeoJson(
    dir,
    manifest.borough.file,
    manifest.borough.codeProperty,
    manifest.borough.nameProperty,
    problems,
  )
  if (fs.existsSync(path.join(dir, manifest.borough.file)) && boroughs !== 1)
    problems.push({
      file: manifest.borough.file,
      line: 1,
      message: `the borough file must hold exactly one feature, not ${String(boroughs)}`,
    })
  for (const layer of [manifest.wards, manifest.lsoa2021, manifest.lsoa2011, manifest.neighbours])
    if (layer) checkGeoJson(dir, layer.file, layer.codeProperty, layer.nameProperty, problems)
  const population = manifest.lsoa2011?.population
  if (population)
    checkCsv(dir, population.file, [population.codeColumn, population.valueColumn], [population.valueColumn], problems)
  const postcodes = manifest.postcodes
  if (postcodes)
    checkCsv(
      dir,
      postcodes.file,
      [postcodes.postcodeColumn, postcodes.latitudeColumn, postcodes.longitudeColumn],
      [],
      problems,
    )
}

function geographyFiles(manifest: CspManifest): string[] {
  return [
    manifest.borough.file,
    manifest.wards.file,
    manifest.lsoa2021.file,
    manifest.lsoa2011?.file,
    manifest.lsoa2011?.population?.file,
    manifest.neighbours?.file,
    manifest.postcodes?.file,
  ].filter((file): file is string => file !== undefined)
}

/** The keys of the unknown one's module, closest first (the longest shared beginning), when it has any. */
function nearest(key: string, keys: ReadonlySet<string>): string {
  const prefix = `${key.split(':')[0] ?? ''}:`
  const shared = (known: string) => {
    let length = 0
    while (length < known.length && known[length] === key[length]) length += 1
    return length
  }
  const same = [...keys]
    .filter(known => known.startsWith(prefix))
    .sort((a, b) => shared(b) - shared(a) || a.localeCompare(b))
  if (same.length === 0) return ''
  return `; ${prefix} has ${same.slice(0, 8).join(', ')}${same.length > 8 ? ', …' : ''}`
}

/**
 * Every problem in the pack at `dir`. With `geography: false` the GeoJSON and CSV files are only checked to exist
 * (reading them costs seconds; the geography import reads them anyway). With `sourceKeys` (the count sources Safer's
 * modules register), an indicator whose count source key is not one of them is a problem.
 */
export function validatePack(
  dir: string,
  options: { geography?: boolean; sourceKeys?: ReadonlySet<string> } = {},
): { problems: PackProblem[]; pack: ValidatedPack | null } {
  const problems: PackProblem[] = []
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    return { problems: [{ file: dir, line: null, message: 'is not a folder' }], pack: null }
  }
  const manifestJson = readJsonFile(dir, 'pack.json', problems)
  const manifest = manifestJson ? checkSchema('pack.json', manifestJson, ManifestSchema, problems) : null
  if (!manifest) return { problems, pack: null }
  if (manifestJson) checkPublicWording(dir, manifest, manifestJson, problems)

  const plan = manifest.plan ? loadFile(dir, manifest.plan, PlanFileSchema, problems) : null
  const indicatorsJson = manifest.indicators ? readJsonFile(dir, manifest.indicators, problems) : null
  const indicators =
    manifest.indicators && indicatorsJson
      ? checkLoaded(manifest.indicators, indicatorsJson, IndicatorsFileSchema, problems)
      : null
  // Other files' references are checked against the ids indicators.json has, even if it has faults of its own.
  const knownIndicatorIds = indicatorsJson ? rawIds(indicatorsJson.value, 'indicators') : null
  const historic = manifest.historicValues
    ? loadFile(dir, manifest.historicValues, HistoricValuesFileSchema, problems)
    : null

  if (plan && manifest.plan) {
    const file = manifest.plan
    const { json, value } = plan
    duplicates(
      file,
      json,
      '/priorities',
      value.priorities.map(p => p.id),
      'priority',
      problems,
    )
    duplicates(
      file,
      json,
      '/outcomes',
      value.outcomes.map(o => o.id),
      'outcome',
      problems,
    )
    const priorityIds = new Set(value.priorities.map(p => p.id))
    const outcomeIds = new Set(value.outcomes.map(o => o.id))
    const indicatorIds = knownIndicatorIds
    value.outcomes.forEach((outcome, index) => {
      if (!priorityIds.has(outcome.priorityId))
        problems.push({
          file,
          line: json.lineOf(`/outcomes/${String(index)}/priorityId`),
          message: `outcome ${outcome.id}: no priority "${outcome.priorityId}" in this plan`,
        })
      outcome.indicatorIds.forEach((id, position) => {
        if (indicatorIds && !indicatorIds.has(id))
          problems.push({
            file,
            line: json.lineOf(`/outcomes/${String(index)}/indicatorIds/${String(position)}`),
            message: `outcome ${outcome.id}: no indicator "${id}" in ${manifest.indicators ?? 'the pack'}`,
          })
      })
    })
    value.demoActions?.forEach((action, index) => {
      if (!outcomeIds.has(action.outcomeId))
        problems.push({
          file,
          line: json.lineOf(`/demoActions/${String(index)}/outcomeId`),
          message: `action "${action.title}": no outcome "${action.outcomeId}" in this plan`,
        })
    })
  }
  if (indicators && manifest.indicators) {
    const file = manifest.indicators
    const { json, value } = indicators
    duplicates(
      file,
      json,
      '/indicators',
      value.indicators.map(i => i.id),
      'indicator',
      problems,
    )
    if (!manifest.plan)
      problems.push({ file: 'pack.json', line: 1, message: 'indicators need a plan (their priorities): add "plan"' })
    const priorityIds = plan ? new Set(plan.value.priorities.map(p => p.id)) : null
    value.indicators.forEach((indicator, index) => {
      if (priorityIds && !priorityIds.has(indicator.priorityId))
        problems.push({
          file,
          line: json.lineOf(`/indicators/${String(index)}/priorityId`),
          message: `indicator ${indicator.id}: no priority "${indicator.priorityId}" in ${manifest.plan ?? 'the plan'}`,
        })
      const source = indicator.source
      if (options.sourceKeys && source?.kind === 'count' && !options.sourceKeys.has(source.key))
        problems.push({
          file,
          line: json.lineOf(`/indicators/${String(index)}/source/key`),
          message: `indicator ${indicator.id}: no count source "${source.key}" is registered (see docs/performance-sources.md${nearest(source.key, options.sourceKeys)})`,
        })
    })
  }
  if (historic && manifest.historicValues) {
    const file = manifest.historicValues
    const { json, value } = historic
    duplicates(
      file,
      json,
      '/sets',
      value.sets.map(s => s.id),
      'set',
      problems,
    )
    const indicatorIds = knownIndicatorIds
    if (!manifest.indicators)
      problems.push({ file: 'pack.json', line: 1, message: 'historic values need indicators: add "indicators"' })
    value.sets.forEach((set, setIndex) => {
      duplicates(
        file,
        json,
        `/sets/${String(setIndex)}/figures`,
        set.figures.map(f => f.indicatorId),
        'indicator',
        problems,
      )
      set.figures.forEach((figure, index) => {
        if (indicatorIds && !indicatorIds.has(figure.indicatorId))
          problems.push({
            file,
            line: json.lineOf(`/sets/${String(setIndex)}/figures/${String(index)}/indicatorId`),
            message: `no indicator "${figure.indicatorId}" in ${manifest.indicators ?? 'the pack'}`,
          })
      })
    })
  }

  const panelsJson = manifest.panels ? readJsonFile(dir, manifest.panels, problems) : null
  const panels =
    manifest.panels && panelsJson ? checkLoaded(manifest.panels, panelsJson, PanelsFileSchema, problems) : null
  if (panels && manifest.panels)
    duplicates(
      manifest.panels,
      panels.json,
      '/panels',
      panels.value.panels.map(panel => panel.code),
      'panel',
      problems,
    )
  // Demo members are checked against the panel codes panels.json has, even if it has faults of its own.
  const knownPanelCodes = panelsJson ? rawIds(panelsJson.value, 'panels', 'code') : null

  const demo = manifest.demo ? loadFile(dir, manifest.demo, DemoFileSchema, problems) : null
  if (demo && manifest.demo) {
    const file = manifest.demo
    const known = {
      partnerNames: new Set<string>(DEMO_PARTNERS.map(partner => partner.code)),
      teamNames: new Set<string>(DEMO_TEAMS.map(team => team.code)),
    }
    for (const key of ['partnerNames', 'teamNames'] as const)
      for (const code of Object.keys(demo.value[key] ?? {}))
        if (!known[key].has(code))
          problems.push({
            file,
            line: demo.json.lineOf(`/${key}/${code}`),
            message: `the demo has no ${key === 'partnerNames' ? 'partner' : 'team'} "${code}" (it has ${[...known[key]].join(', ')})`,
          })
    for (const [panel, members] of Object.entries(demo.value.panelMembers ?? {})) {
      if (!knownPanelCodes?.has(panel))
        problems.push({
          file,
          line: demo.json.lineOf(`/panelMembers/${panel}`),
          message: knownPanelCodes
            ? `panelMembers: no panel "${panel}" in ${manifest.panels ?? 'panels.json'}`
            : 'panelMembers need panels: add "panels" to pack.json',
        })
      members.forEach((code, index) => {
        if (!known.partnerNames.has(code))
          problems.push({
            file,
            line: demo.json.lineOf(`/panelMembers/${panel}/${String(index)}`),
            message: `panelMembers: the demo has no partner "${code}" (it has ${[...known.partnerNames].join(', ')})`,
          })
      })
    }
  }

  if (demo && manifest.demo) {
    const file = manifest.demo
    const teams = new Set<string>(DEMO_TEAMS.map(team => team.code))
    const categories = new Set<string>(CATEGORIES.map(category => category.code))
    demo.value.allocationRules?.forEach((rule, index) => {
      const at = `/allocationRules/${String(index)}`
      if (!teams.has(rule.team))
        problems.push({
          file,
          line: demo.json.lineOf(`${at}/team`),
          message: `allocation rule ${String(index + 1)}: the demo has no team "${rule.team}" (it has ${[...teams].join(', ')})`,
        })
      if (rule.category !== undefined && !categories.has(rule.category))
        problems.push({
          file,
          line: demo.json.lineOf(`${at}/category`),
          message: `allocation rule ${String(index + 1)}: there is no report category "${rule.category}"`,
        })
    })
  }

  const policies = manifest.policies ? checkPolicies(dir, manifest.policies, problems) : defaultPolicies()
  const letterhead = checkLetterhead(dir, manifest, manifestJson, problems)

  if (options.geography ?? true) {
    checkGeography(dir, manifest, problems)
  } else {
    for (const file of geographyFiles(manifest))
      if (!fs.existsSync(path.join(dir, file))) problems.push({ file, line: null, message: 'the file is missing' })
  }

  return {
    problems,
    pack:
      problems.length === 0
        ? {
            manifest,
            plan: plan?.value ?? null,
            indicators: indicators?.value ?? null,
            historicValues: historic?.value ?? null,
            demo: demo?.value ?? null,
            panels: panels?.value ?? null,
            policies,
            letterhead,
          }
        : null,
  }
}

/**
 * The example postcode is shown as one residents can type: the pack must have postcodes, it must be one, and it must
 * be in the pack's own postcode file (else the hint's example is refused as "not in the borough").
 */
function checkPublicWording(dir: string, manifest: CspManifest, json: LocatedJson, problems: PackProblem[]): void {
  const example = manifest.publicWording?.examplePostcode
  if (example === undefined) return
  const line = json.lineOf('/publicWording/examplePostcode')
  if (!manifest.postcodes)
    problems.push({
      file: 'pack.json',
      line,
      message: 'publicWording.examplePostcode needs "postcodes": a pack without them has no postcode box to give it',
    })
  else if (!isValidPostcode(example))
    problems.push({ file: 'pack.json', line, message: `publicWording.examplePostcode "${example}" is not a postcode` })
  else if (!inPostcodeFile(dir, manifest.postcodes.file, manifest.postcodes.postcodeColumn, example))
    problems.push({
      file: 'pack.json',
      line,
      message: `publicWording.examplePostcode "${example}" is not in ${manifest.postcodes.file}: residents typing it would be refused`,
    })
}

/** Whether the postcode file lists the postcode (true when the file cannot be read: its own check says why). */
function inPostcodeFile(dir: string, file: string, column: string, postcode: string): boolean {
  let records: Record<string, string>[]
  try {
    records = parse(fs.readFileSync(path.join(dir, file)), { columns: true, bom: true, skip_empty_lines: true })
  } catch {
    return true
  }
  const wanted = normalisePostcode(postcode)
  return records.length === 0 || records.some(record => normalisePostcode(record[column] ?? '') === wanted)
}

function defaultPolicies(): ValidatedPack['policies'] {
  return { caseReview: DEFAULT_CASE_REVIEW_POLICY, powers: DEFAULT_POWERS_POLICY }
}

/**
 * The pack's policy changes, each part checked against the schema of what may change and then, applied, against the
 * whole policy's rules; every problem names its line. With problems, the defaults are returned (the pack is refused).
 */
function checkPolicies(dir: string, file: string, problems: PackProblem[]): ValidatedPack['policies'] {
  const loaded = loadFile(dir, file, PoliciesFileSchema, problems)
  if (!loaded) return defaultPolicies()
  const { json, value } = loaded
  const before = problems.length
  const located = (prefix: string, found: { pointer: string; message: string }[]) => {
    for (const problem of found)
      problems.push({ file, line: json.lineOf(`${prefix}${problem.pointer}`), message: problem.message })
  }
  let caseReview = DEFAULT_CASE_REVIEW_POLICY
  if (value.caseReview) {
    const found = schemaProblems(CaseReviewChangesSchema, value.caseReview)
    located('/caseReview', found)
    if (found.length === 0) {
      caseReview = withLocalChanges(value.caseReview)
      located('/caseReview', schemaProblems(CaseReviewPolicySchema, caseReview))
    }
  }
  let powers = DEFAULT_POWERS_POLICY
  if (value.powers) {
    const found = schemaProblems(PowersPolicyChangesSchema, value.powers)
    located('/powers', found)
    if (found.length === 0) {
      const changes = value.powers as Static<typeof PowersPolicyChangesSchema>
      const bounds = powersPolicyChangeProblems(changes)
      located('/powers', bounds)
      if (bounds.length === 0) powers = withLocalPowersChanges(changes)
    }
  }
  return problems.length === before ? { caseReview, powers } : defaultPolicies()
}

function loadFile<S extends TSchema>(
  dir: string,
  file: string,
  schema: S,
  problems: PackProblem[],
): { json: LocatedJson; value: Static<S> } | null {
  const json = readJsonFile(dir, file, problems)
  return json ? checkLoaded(file, json, schema, problems) : null
}

function checkLoaded<S extends TSchema>(
  file: string,
  json: LocatedJson,
  schema: S,
  problems: PackProblem[],
): { json: LocatedJson; value: Static<S> } | null {
  const value = checkSchema(file, json, schema, problems)
  return value === null ? null : { json, value }
}

/** The string `id`s (or other `field`) of the objects in `value[key]`, however else the file is wrong. */
function rawIds(value: unknown, key: string, field = 'id'): Set<string> {
  const list = (value as Record<string, unknown> | null)?.[key]
  const ids = new Set<string>()
  if (Array.isArray(list))
    for (const item of list as unknown[]) {
      const id = (item as Record<string, unknown> | null)?.[field]
      if (typeof id === 'string') ids.add(id)
    }
  return ids
}
