/**
 * The privacy module's composition: the service, the printable view and the PDF, and writing a bundle to a folder.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import type { Kysely } from 'kysely'

import type { Config } from '../../config.js'
import type { Database } from '../../db/schema.js'
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import type { PdfRenderer } from '../../platform/pdf.js'
import { t } from '../../platform/i18n.js'
import { createNunjucksEnvironment } from '../../platform/views.js'
import { bundleView } from './privacy-presenters.js'
import { createPrivacyService, PrivacyError, type Subject, type SubjectAccessBundle } from './privacy-service.js'

export interface PrivacyOptions {
  db: Kysely<Database>
  audit: AuditService
  clock: Clock
  pdf: PdfRenderer
  config: Pick<Config, 'env'> & { retention?: Pick<Config['retention'], 'periods'> }
  /** Opens the notification outbox's sealed personalisation (the reporting module's sealer). */
  openPersonalisation?: (personalisation: Record<string, unknown>) => Record<string, string>
}

export interface ExportResult {
  outDir: string
  files: string[]
  counts: Record<string, number>
}

export function createPrivacy({ db, audit, clock, pdf, config, openPersonalisation }: PrivacyOptions) {
  const service = createPrivacyService({
    db,
    audit,
    clock,
    ...(config.retention ? { closedCaseRetention: config.retention.periods.closedCases } : {}),
    ...(openPersonalisation ? { openPersonalisation } : {}),
  })
  const nunjucks = createNunjucksEnvironment(config)

  function renderHtml(bundle: SubjectAccessBundle): string {
    return nunjucks.render('privacy/views/bundle.njk', { view: bundleView(bundle) })
  }

  function defaultOutDir(subject: Subject): string {
    const key = subject.kind === 'email' ? subject.email : subject.partyId
    const hash = createHash('sha256').update(key).digest('hex').slice(0, 8)
    return path.resolve(`sar-${clock.now().toISOString().slice(0, 10)}-${hash}`)
  }

  /** Writes bundle.json, bundle.html, bundle.pdf, evidence/ and letters/ into a new or empty folder. */
  async function exportTo(
    subject: Subject,
    options: { outDir?: string; actor: Actor; request?: string },
  ): Promise<ExportResult> {
    const outDir = path.resolve(options.outDir ?? defaultOutDir(subject))
    if (fs.existsSync(outDir) && fs.readdirSync(outDir).length > 0)
      throw new PrivacyError('folder-not-empty', { folder: outDir })
    const { bundle, files, counts } = await service.exportBundle(subject, {
      actor: options.actor,
      ...(options.request ? { request: options.request } : {}),
    })
    const html = renderHtml(bundle)
    const document = await pdf.render(html, { footer: t('subjectAccess.title') })
    fs.mkdirSync(outDir, { recursive: true, mode: 0o700 })
    const written: string[] = []
    const write = (relative: string, content: Buffer | string) => {
      const target = path.join(outDir, relative)
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 })
      fs.writeFileSync(target, content, { mode: 0o600 })
      written.push(relative)
    }
    write('bundle.json', `${JSON.stringify(bundle, null, 2)}\n`)
    write('bundle.html', html)
    write('bundle.pdf', document)
    for (const file of files) write(file.path, await service.fileContent(file))
    return { outDir, files: written, counts }
  }

  return { service, renderHtml, exportTo }
}

export type Privacy = ReturnType<typeof createPrivacy>
