/**
 * Pages: the hotspot map and ranked tables (public: aggregated police.uk open data), "when" reports happen and the
 * weekly tasking pack (staff: they use Safer's own reports), and the police data upload (analysts and administrators).
 * API: the hotspot summary, surface, LSOA boundaries and snapped police.uk points (public), and report points (staff).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'

import fastifyMultipart, { type MultipartFile } from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify'
import Type, { type Static } from 'typebox'

import { hasAnyRole } from '../accounts/index.js'
import { activityErrorText } from '../activity/index.js'
import type { GeographyService } from '../geography/index.js'
import type { PdfRenderer } from '../../platform/pdf.js'
import { t } from '../../platform/i18n.js'
import { ImportFileError, type ImportService, type ImportSummary } from './import-service.js'
import { hotspotApiPaths, intelligencePaths } from './intelligence-paths.js'
import { presentHotspotPage, validateHotspotQuery, type HotspotQueryInput } from './intelligence-presenters.js'
import { HOTSPOT_METHODS, type IntelligenceService } from './intelligence-service.js'
import { presentImportSummary, presentTaskingPack, presentWhen } from './tasking-presenters.js'
import { isRealDate, type TaskingService } from './tasking-service.js'

const MONTH = '^\\d{4}-(0[1-9]|1[0-2])$'
/** The hotspot page's period when none is chosen: this many of the latest months that have data. */
const DEFAULT_PERIOD_MONTHS = 12

const ApiQuery = Type.Object({
  crimeType: Type.Optional(Type.String({ maxLength: 60 })),
  from: Type.Optional(Type.String({ pattern: MONTH })),
  to: Type.Optional(Type.String({ pattern: MONTH })),
  method: Type.Optional(Type.Union(HOTSPOT_METHODS.map(method => Type.Literal(method)))),
})

/**
 * The pages' inputs. Page routes validate with `attachValidation`, so input the schema refuses (a repeated field, an
 * over-long value) re-renders the page with a GOV.UK error on that field and status 400, never Fastify's JSON 400.
 */
const PageText = (maxLength: number) => Type.Optional(Type.String({ maxLength }))
const HotspotPageQuery = Type.Object({
  crimeType: PageText(100),
  from: PageText(20),
  to: PageText(20),
  method: PageText(40),
})
const WhenQuery = Type.Object({ from: PageText(20), to: PageText(20), category: PageText(100) })
const DecisionBody = Type.Object({
  id: PageText(64),
  // Generous: the service says when text is too long, keeping what was typed.
  decision: PageText(100_000),
  owner: PageText(100_000),
  dueOn: PageText(40),
  outputType: PageText(100),
  outputQuantity: PageText(20),
  outputWard: PageText(40),
  _csrf: PageText(200),
})
const DecisionDoneBody = Type.Object({
  decisionId: PageText(64),
  completedOn: PageText(40),
  _csrf: PageText(200),
})
/** A multipart form: `kind` a field, `file` the upload `onFile` stored (checked by `isUploaded`). */
const ImportBody = Type.Object({
  kind: Type.Optional(Type.Unknown()),
  file: Type.Optional(Type.Unknown()),
  replacePartial: Type.Optional(Type.Unknown()),
})

/** The first field a schema refusal names (`/from` or a missing property), for the inline error. */
function refusedField(request: FastifyRequest): string | undefined {
  const validation: unknown = request.validationError?.validation
  const first = Array.isArray(validation) ? (validation[0] as FastifySchemaValidationError | undefined) : undefined
  if (!first) return undefined
  const fromPath = first.instancePath.split('/')[1]
  if (fromPath) return fromPath
  const missing = first.params.missingProperty
  return typeof missing === 'string' ? missing : 'form'
}

/** The inline error for a hotspot filter the schema refused. */
function hotspotFieldError(field: string): string {
  return ['crimeType', 'from', 'to', 'method'].includes(field)
    ? t(`intelligence.errors.${field}`)
    : t('intelligence.errors.invalid')
}

function isUploaded(value: unknown): value is Uploaded {
  return (
    typeof value === 'object' &&
    value !== null &&
    'path' in value &&
    'dir' in value &&
    typeof value.path === 'string' &&
    typeof value.dir === 'string'
  )
}

const IMPORT_KINDS = ['police-street', 'police-stop-search', 'mps-recorded-crime'] as const
type ImportKind = (typeof IMPORT_KINDS)[number]
const MAX_UPLOAD_BYTES = 200 * 1024 * 1024

interface Uploaded {
  path: string
  dir: string
  filename: string
  bytes: number
  truncated: boolean
}

const errorSummary = (errors: Record<string, string>) =>
  Object.entries(errors).map(([field, text]) => ({ text, href: `#${field}` }))

export interface IntelligencePageOptions {
  intelligence: IntelligenceService
  imports: ImportService
  tasking: TaskingService
  geography: GeographyService
  pdf: PdfRenderer
}

/** Staff move between the section's pages from a row of links under the service navigation. */
export function addSectionNavigation(app: FastifyInstance): void {
  app.addHook('preHandler', async (request, reply) => {
    const user = request.user
    if (!user) return
    const path = request.url.split('?')[0]
    const items = [
      { href: intelligencePaths.tasking, text: t('intelligence.nav.tasking') },
      { href: intelligencePaths.hotspots, text: t('intelligence.nav.hotspots') },
      { href: intelligencePaths.when, text: t('intelligence.nav.when') },
      { href: intelligencePaths.stopSearch, text: t('intelligence.nav.stopSearch') },
      ...(hasAnyRole(user, ['analyst', 'administrator'])
        ? [{ href: intelligencePaths.import, text: t('intelligence.nav.import') }]
        : []),
    ]
    reply.locals = {
      ...reply.locals,
      sectionNavigation: {
        label: t('intelligence.nav.section'),
        items: items.map(item => ({ ...item, current: item.href === path })),
      },
    }
  })
}

export const intelligencePageRoutes: FastifyPluginAsyncTypebox<IntelligencePageOptions> = async (
  app,
  { intelligence, imports, tasking, geography, pdf },
) => {
  addSectionNavigation(app)

  app.get(
    intelligencePaths.hotspots,
    { config: { access: 'public', audit: false }, schema: { querystring: HotspotPageQuery }, attachValidation: true },
    async (request, reply) => {
      const refused = refusedField(request)
      const [months, crimeTypes] = await Promise.all([intelligence.months(), intelligence.crimeTypes()])
      const asked: HotspotQueryInput = refused === undefined ? request.query : {}
      // Without a period, the latest months that have data (police data keeps its real dates, however old).
      const latestFrom =
        !asked.from && !asked.to && months.length > DEFAULT_PERIOD_MONTHS
          ? months[months.length - DEFAULT_PERIOD_MONTHS]
          : undefined
      const input: HotspotQueryInput = latestFrom ? { ...asked, from: latestFrom } : asked
      const checked: ReturnType<typeof validateHotspotQuery> =
        refused === undefined
          ? validateHotspotQuery(input, months)
          : { ok: false, errors: { [refused]: hotspotFieldError(refused) } }
      const view = (summary: Awaited<ReturnType<IntelligenceService['hotspots']>> | null) => ({
        ...presentHotspotPage({
          input,
          months,
          crimeTypes,
          summary,
          defaultPeriodMonths: latestFrom ? DEFAULT_PERIOD_MONTHS : undefined,
        }),
        showReports: request.user !== null,
      })
      if (!checked.ok) {
        reply.code(400)
        return reply.view('intelligence/views/hotspots.njk', {
          ...view(null),
          errors: checked.errors,
          errorSummary: errorSummary(checked.errors),
        })
      }
      const summary = months.length === 0 ? null : await intelligence.hotspots(checked.query)
      return reply.view('intelligence/views/hotspots.njk', view(summary))
    },
  )

  // "When": Safer's own reports by hour of the week and month. Aggregates only, but of reports: staff.
  app.get(
    intelligencePaths.when,
    { config: { access: 'staff', audit: false }, schema: { querystring: WhenQuery }, attachValidation: true },
    async (request, reply) => {
      const refused = refusedField(request)
      const query: Static<typeof WhenQuery> = refused === undefined ? request.query : {}
      const today = new Date(tasking.currentWeek().weekEnd)
      const yearAgo = new Date(Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth(), 1)).toISOString().slice(0, 10)
      const given = (value: string | undefined) => (value?.trim() ? value.trim() : undefined)
      const values = { from: given(query.from) ?? yearAgo, to: given(query.to) ?? tasking.currentWeek().weekEnd }
      const errors: Record<string, string> = {}
      if (refused === 'category') errors.category = t('intelligence.when.errors.category')
      else if (refused !== undefined)
        errors[refused === 'from' ? 'from' : 'to'] = t(`intelligence.when.errors.${refused === 'from' ? 'from' : 'to'}`)
      if (!isRealDate(values.from)) errors.from = t('intelligence.when.errors.from')
      if (!isRealDate(values.to)) errors.to = t('intelligence.when.errors.to')
      if (!errors.from && !errors.to && values.from > values.to) errors.to = t('intelligence.when.errors.order')
      const filter = { from: values.from, to: values.to, ...(query.category ? { category: query.category } : {}) }
      const categories = (await tasking.when({ from: '1900-01-01', to: '1900-01-01' })).categories
      if (query.category && !categories.includes(query.category))
        errors.category = t('intelligence.when.errors.category')
      const categoryItems = [
        { value: '', text: t('intelligence.when.allCategories'), selected: !query.category },
        ...categories.map(code => ({ value: code, text: categoryLabel(code), selected: code === query.category })),
      ]
      if (Object.keys(errors).length > 0) {
        reply.code(400)
        return reply.view('intelligence/views/when.njk', {
          values: { ...values, from: query.from, to: query.to },
          categoryItems,
          errors,
          errorSummary: errorSummary(errors),
        })
      }
      const when = presentWhen(await tasking.when(filter))
      return reply.view('intelligence/views/when.njk', { values, categoryItems, when })
    },
  )

  async function packView(request: FastifyRequest) {
    const user = request.user
    if (!user) throw new Error('tasking pack without a user')
    const pack = await tasking.pack({ id: user.id, partnerId: user.partnerId, roles: user.roles })
    return presentTaskingPack(pack, { activityTypes: true })
  }

  const wardItems = () => [
    { value: '', text: t('intelligence.tasking.form.anyWard') },
    ...geography.wards().map(ward => ({ value: ward.code, text: ward.name })),
  ]

  async function showPack(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { values?: Record<string, string>; errors?: Record<string, string>; decisionId?: string } = {},
  ) {
    const pack = await packView(request)
    const values = form.values ?? {}
    return reply.view('intelligence/views/tasking.njk', {
      pack,
      values,
      decisionId: form.decisionId ?? tasking.newDecisionId(),
      outputTypeItems: pack.outputTypeItems.map(item => ({ ...item, selected: item.value === values.outputType })),
      doneDecisionItems: [
        { value: '', text: t('intelligence.tasking.done.choose') },
        ...pack.openDecisionItems.map(item => ({ ...item, selected: item.value === values.decisionId })),
      ],
      wardItems: wardItems().map(item => ({ ...item, selected: item.value === values.outputWard })),
      ...(form.errors ? { errors: form.errors, errorSummary: errorSummary(form.errors) } : {}),
    })
  }

  app.get(
    intelligencePaths.tasking,
    { config: { access: 'staff', audit: 'INTELLIGENCE_TASKING_PACK_VIEWED' } },
    async (request, reply) => showPack(request, reply),
  )

  app.get(
    intelligencePaths.taskingPdf,
    { config: { access: 'staff', audit: 'INTELLIGENCE_TASKING_PACK_PRINTED' } },
    async (request, reply) => {
      const pack = await packView(request)
      const html = app.nunjucks.render('intelligence/views/tasking-print.njk', {
        pack,
        t,
        boroughName: geography.isLoaded() ? geography.borough().shortName : '',
      })
      const body = await pdf.render(html, {
        footer: `${t('intelligence.tasking.title')}: ${t('intelligence.tasking.week', { from: pack.weekStart, to: pack.weekEnd })}`,
      })
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="tasking-pack-${pack.weekStart}.pdf"`)
        .send(body)
    },
  )

  app.post(
    intelligencePaths.decisions,
    { config: { access: 'staff', audit: false }, schema: { body: DecisionBody }, attachValidation: true },
    async (request, reply) => {
      const refused = refusedField(request)
      const body: Static<typeof DecisionBody> = refused === undefined ? request.body : {}
      const text = (name: keyof Static<typeof DecisionBody>) => body[name] ?? ''
      const values = {
        decision: text('decision'),
        owner: text('owner'),
        dueOn: text('dueOn').trim(),
        outputType: text('outputType'),
        outputQuantity: text('outputQuantity'),
        outputWard: text('outputWard'),
      }
      const user = request.user
      if (!user) throw new Error('decision without a user')
      const result = await tasking.recordDecision({ id: text('id'), ...values }, { type: 'user', id: user.id })
      if (!result.ok) {
        const errors = Object.fromEntries(
          Object.entries(result.errors).map(([field, key]) => [
            field,
            key.startsWith('activity:')
              ? activityErrorText({
                  code: key.slice('activity:'.length),
                  params: { value: (values[field as keyof typeof values] ?? '').trim() },
                })
              : t(`intelligence.tasking.errors.${key}`),
          ]),
        )
        reply.code(400)
        return showPack(request, reply, { values, errors, decisionId: text('id') || undefined })
      }
      return reply.redirect(intelligencePaths.decisionsList, 303)
    },
  )

  app.post(
    intelligencePaths.decisionDone,
    { config: { access: 'staff', audit: false }, schema: { body: DecisionDoneBody }, attachValidation: true },
    async (request, reply) => {
      const refused = refusedField(request)
      const body: Static<typeof DecisionDoneBody> = refused === undefined ? request.body : {}
      const values = { decisionId: body.decisionId ?? '', completedOn: (body.completedOn ?? '').trim() }
      const user = request.user
      if (!user) throw new Error('decision without a user')
      const result = await tasking.completeDecision(
        { id: values.decisionId, completedOn: values.completedOn },
        { type: 'user', id: user.id },
      )
      if (!result.ok) {
        const field = result.error === 'unknown' ? 'doneDecision' : 'completedOn'
        reply.code(400)
        return showPack(request, reply, {
          values,
          errors: { [field]: t(`intelligence.tasking.done.errors.${result.error}`) },
        })
      }
      return reply.redirect(intelligencePaths.decisionsList, 303)
    },
  )

  // Uploads: multipart only in this scope; the file goes to a temporary folder under its own name (stop and search
  // files carry their force and month in the name), is imported, and the folder is removed after the response.
  await app.register(async scope => {
    await scope.register(fastifyMultipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, fieldSize: 1024 },
      async onFile(part: MultipartFile) {
        const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'safer-upload-'))
        const filename = path.basename(part.filename || 'upload.csv').replace(/[^A-Za-z0-9._-]/g, '_') || 'upload.csv'
        const file = path.join(dir, filename)
        await pipeline(part.file, fs.createWriteStream(file))
        const bytes = (await fs.promises.stat(file)).size
        ;(part as MultipartFile & { value: Uploaded }).value = {
          path: file,
          dir,
          filename,
          bytes,
          truncated: part.file.truncated,
        }
      },
    })
    scope.addHook('onResponse', async request => {
      const body: unknown = request.body
      const file = typeof body === 'object' && body !== null && 'file' in body ? body.file : undefined
      if (isUploaded(file)) await fs.promises.rm(file.dir, { recursive: true, force: true })
    })

    const access = { roles: ['analyst', 'administrator'] as const }
    const kindItems = (selected?: string) =>
      IMPORT_KINDS.map(kind => ({
        value: kind,
        text: t(`intelligence.import.kinds.${kind}`),
        checked: kind === selected,
      }))

    scope.get(intelligencePaths.import, { config: { access, audit: false } }, async (_request, reply) =>
      reply.view('intelligence/views/import.njk', { kindItems: kindItems() }),
    )

    scope.post(
      intelligencePaths.import,
      { config: { access, audit: false }, schema: { body: ImportBody }, attachValidation: true },
      async (request, reply) => {
        // This scope has no type provider: the schema has checked the shape, the guards type its two values.
        const raw: unknown = request.validationError ? {} : request.body
        const body = typeof raw === 'object' && raw !== null ? raw : {}
        const given = { kind: 'kind' in body ? body.kind : undefined, file: 'file' in body ? body.file : undefined }
        // The confirmation that an MPS table is complete: replace months even where it holds far fewer records.
        const replacePartial = 'replacePartial' in body && body.replacePartial === 'yes'
        const kind = IMPORT_KINDS.find(known => known === given.kind)
        const file = isUploaded(given.file) ? given.file : undefined
        const errors: Record<string, string> = {}
        if (!kind) errors.kind = t('intelligence.import.errors.kind')
        if (!file || file.bytes === 0) errors.file = t('intelligence.import.errors.file')
        else if (file.truncated) errors.file = t('intelligence.import.errors.tooLarge')
        const refuse = () => {
          reply.code(400)
          return reply.view('intelligence/views/import.njk', {
            kindItems: kindItems(typeof given.kind === 'string' ? given.kind : undefined),
            replacePartial,
            errors,
            errorSummary: errorSummary(errors),
          })
        }
        if (!kind || !file || Object.keys(errors).length > 0) return refuse()
        const options = { actor: request.actor, replacePartial }
        let summary: ImportSummary
        try {
          summary = await runImport(imports, kind, file.path, options)
        } catch (error) {
          if (!(error instanceof ImportFileError)) throw error
          errors.file = t('intelligence.import.errors.refused', {
            reason: `${path.basename(error.file)}: ${error.reason}`,
          })
          return refuse()
        }
        return reply.view('intelligence/views/import.njk', {
          kindItems: kindItems(kind),
          summary: presentImportSummary(summary),
        })
      },
    )
  })
}

function runImport(
  imports: ImportService,
  kind: ImportKind,
  file: string,
  options: { actor: FastifyRequest['actor']; replacePartial: boolean },
): Promise<ImportSummary> {
  if (kind === 'police-street') return imports.importPoliceStreet([file], { actor: options.actor })
  if (kind === 'police-stop-search') return imports.importStopSearch([file], { actor: options.actor })
  return imports.importMpsRecordedCrime(file, options)
}

function categoryLabel(code: string): string {
  try {
    return t(`report.categories.${code}.label`)
  } catch {
    return code
  }
}

export const intelligenceApiRoutes: FastifyPluginAsyncTypebox<{
  intelligence: IntelligenceService
  geography: GeographyService
}> = async (app, { intelligence, geography }) => {
  async function run(query: HotspotQueryInput) {
    const checked = validateHotspotQuery(query, await intelligence.months())
    if (!checked.ok) return { ok: false as const, errors: checked.errors }
    return { ok: true as const, summary: await intelligence.hotspots(checked.query) }
  }
  const invalid = (reply: FastifyReply, fields: Record<string, string>) =>
    reply.code(400).send({ error: 'invalid_query', message: t('intelligence.errors.invalid'), fields })
  const geoJson = (reply: FastifyReply, body: unknown) => reply.type('application/geo+json; charset=utf-8').send(body)

  app.get(
    hotspotApiPaths.summary,
    {
      config: { access: 'public', audit: false },
      schema: {
        tags: ['hotspots'],
        summary: 'Where imported police.uk crime concentrates: wards, LSOAs and the top places',
        querystring: ApiQuery,
      },
    },
    async (request, reply) => {
      const result = await run(request.query)
      if (!result.ok) return invalid(reply, result.errors)
      const { query, crimes, wards, lsoas, places, trend } = result.summary
      return { query, crimes, wards, lsoas, places, trend }
    },
  )

  app.get(
    hotspotApiPaths.surface,
    {
      config: { access: 'public', audit: false },
      schema: {
        tags: ['hotspots'],
        summary: 'The hotspot surface as a GeoJSON FeatureCollection of grid cells with rank and score',
        querystring: ApiQuery,
      },
    },
    async (request, reply) => {
      const result = await run(request.query)
      if (!result.ok) return invalid(reply, result.errors)
      return geoJson(reply, result.summary.surface)
    },
  )

  app.get(
    hotspotApiPaths.crimes,
    {
      config: { access: 'public', audit: false },
      schema: {
        tags: ['hotspots'],
        summary: 'Police.uk crimes in the borough as points (already snapped to anonymous map points by police.uk)',
        querystring: ApiQuery,
      },
    },
    async (request, reply) => {
      const checked = validateHotspotQuery(request.query, await intelligence.months())
      if (!checked.ok) return invalid(reply, checked.errors)
      return geoJson(reply, await intelligence.crimePoints(checked.query))
    },
  )

  app.get(
    hotspotApiPaths.lsoas,
    {
      config: { access: 'public', audit: false },
      schema: { tags: ['hotspots'], summary: 'Neighbourhood (2021 LSOA) boundaries as GeoJSON' },
    },
    async (_request, reply) =>
      geoJson(reply, {
        type: 'FeatureCollection',
        features: geography.lsoaGeometries(2021).map(lsoa => ({
          type: 'Feature',
          properties: { code: lsoa.code, name: lsoa.name },
          geometry: lsoa.geometry,
        })),
      }),
  )

  app.get(
    hotspotApiPaths.reports,
    {
      config: { access: 'staff', audit: { action: 'INTELLIGENCE_REPORT_POINTS_VIEWED', subjectType: 'report-map' } },
      schema: {
        tags: ['hotspots'],
        summary: "Safer's own reports as points with category and month (signed-in staff only)",
        querystring: ApiQuery,
      },
    },
    async (request, reply) => {
      const checked = validateHotspotQuery({ from: request.query.from, to: request.query.to }, [])
      if (!checked.ok) return invalid(reply, checked.errors)
      return geoJson(reply, await intelligence.reportPoints(checked.query))
    },
  )
}
