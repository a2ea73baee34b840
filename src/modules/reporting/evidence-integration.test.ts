import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import type { FastifyInstance } from 'fastify'
import sharp from 'sharp'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { jpegWithGps, m4aWithTags, SECRET } from '../../../test/helpers/evidence-fixtures.js'
import { createStaff, signIn } from '../../../test/helpers/staff.js'
import { fixedClock } from '../../platform/clock.js'
import { EVIDENCE_LIMITS } from './evidence.js'

interface FilePart {
  name: string
  filename: string
  contentType: string
  content: Buffer
}

/** A browser as far as these tests need: cookies, the last CSRF token, url-encoded and multipart posts. */
class Browser {
  cookies = new Map<string, string>()
  token = ''
  constructor(private readonly app: FastifyInstance) {}

  private remember(setCookie: string | string[] | undefined) {
    for (const cookie of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = cookie.split(';')
      const index = pair?.indexOf('=') ?? -1
      if (!pair || index < 0) continue
      this.cookies.set(pair.slice(0, index), pair.slice(index + 1))
    }
  }

  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  async get(url: string) {
    const response = await this.app.inject({ method: 'GET', url, headers: { cookie: this.header() } })
    this.remember(response.headers['set-cookie'])
    const match = /name="_csrf" value="([^"]+)"/.exec(response.body)
    if (match?.[1]) this.token = match[1]
    return response
  }

  async post(url: string, fields: Record<string, string>) {
    if (!this.token) await this.get('/report/triage')
    const response = await this.app.inject({
      method: 'POST',
      url,
      payload: new URLSearchParams({ _csrf: this.token, ...fields }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.header() },
    })
    this.remember(response.headers['set-cookie'])
    return response
  }

  /** What a browser sends for the evidence form, JavaScript or not: multipart/form-data. */
  async upload(url: string, fields: Record<string, string>, file: FilePart | null) {
    if (!this.token) await this.get('/report/triage')
    const boundary = '----saferTestBoundary7MA4YWxkTrZu0gW'
    const parts: Buffer[] = []
    for (const [name, value] of Object.entries({ _csrf: this.token, ...fields }))
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`))
    const chosen = file ?? {
      name: 'evidence',
      filename: '',
      contentType: 'application/octet-stream',
      content: Buffer.alloc(0),
    }
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${chosen.name}"; filename="${chosen.filename}"\r\nContent-Type: ${chosen.contentType}\r\n\r\n`,
      ),
      chosen.content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    )
    const response = await this.app.inject({
      method: 'POST',
      url,
      payload: Buffer.concat(parts),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: this.header() },
    })
    this.remember(response.headers['set-cookie'])
    return response
  }
}

const answers = {
  triage: { triage: 'asb' },
  what: { category: 'fly_tipping' },
  where: { postcode: 'E1 0AA', locationDescription: 'Behind the shops' },
  when: { occurredDay: '18', occurredMonth: '11', occurredYear: '2026', pattern: 'one_off' },
  description: { description: 'Mattresses dumped again.' },
}
const later = {
  impact: { reporterRole: 'witness', howOften: 'first_time', unsafeAtHome: 'no', healthAffected: 'no', targeted: 'no' },
  who: { mode: 'anonymous', contactPreference: 'none', consent: 'yes' },
}

async function answer(browser: Browser, steps: Record<string, Record<string, string>>) {
  for (const [step, fields] of Object.entries(steps)) {
    const response = await browser.post(`/report/${step}`, fields)
    assert.equal(response.statusCode, 303, `${step}: ${response.body.slice(0, 300)}`)
  }
}

const photo = async (): Promise<FilePart> => ({
  name: 'evidence',
  filename: 'IMG_0042.jpg',
  contentType: 'image/jpeg',
  content: await jpegWithGps(),
})

describe('Integration: evidence uploads in the journey', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp({ clock: fixedClock('2026-11-20T10:00:00Z') })
    await new Promise(resolve => setTimeout(resolve, 1100))
    for (let attempt = 0; attempt < 20; attempt++) {
      if ((await t.app.inject({ method: 'GET', url: '/report' })).statusCode === 200) break
      await new Promise(resolve => setTimeout(resolve, 250))
    }
  })
  after(async () => {
    await t.close()
  })

  it('comes after the description, is optional, and goes on to the impact questions', async () => {
    const browser = new Browser(t.app)
    await answer(browser, answers)
    const page = await browser.get('/report/evidence')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /enctype="multipart\/form-data"/)
    assert.match(page.body, /type="file"/)
    const skip = await browser.upload('/report/evidence', { action: 'continue' }, null)
    assert.equal(skip.statusCode, 303)
    assert.equal(skip.headers.location, '/report/impact')
  })

  it('stores a photo without its GPS position, lists it, carries it into the report, and never shows it publicly', async () => {
    const browser = new Browser(t.app)
    await answer(browser, answers)
    const uploaded = await browser.upload('/report/evidence', { action: 'upload' }, await photo())
    assert.equal(uploaded.statusCode, 303)
    assert.equal(uploaded.headers.location, '/report/evidence')
    const page = await browser.get('/report/evidence')
    assert.match(page.body, /IMG_0042\.jpg/)

    const db = t.deps.database.db
    const stored = await db
      .selectFrom('report_evidence')
      .selectAll()
      .where('file_name', '=', 'IMG_0042.jpg')
      .executeTakeFirstOrThrow()
    assert.equal(stored.report_id, null)
    assert.equal(stored.kind, 'photo')
    assert.equal((await sharp(stored.content).metadata()).exif, undefined, 'EXIF (GPS) stripped')
    assert.ok(!stored.content.includes(Buffer.from(SECRET)))

    await answer(browser, later)
    const check = await browser.get('/report/check')
    assert.match(check.body, /Photos and recordings/)
    assert.match(check.body, /IMG_0042\.jpg/)
    const submitted = await browser.post('/report/check', {})
    assert.equal(submitted.statusCode, 303)
    const again = await browser.post('/report/check', {})
    assert.equal(again.statusCode, 303, 'a double submit lands on the same confirmation')
    const confirmation = await browser.get('/report/confirmation')
    const reference = /data-qa="reference">([^<]+)</.exec(confirmation.body)?.[1] ?? ''
    const report = await db
      .selectFrom('report')
      .select('id')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow()
    const taken = await db
      .selectFrom('report_evidence')
      .select(['report_id', 'draft_id'])
      .where('id', '=', stored.id)
      .executeTakeFirstOrThrow()
    assert.equal(taken.report_id, report.id)
    assert.equal(taken.draft_id, null)

    // Never public: tracking shows no file, and the staff file address needs a signed-in member of staff.
    const trackingUrl = /data-qa="tracking-link"[^>]*href="([^"]+)"|href="([^"]+)"[^>]*data-qa="tracking-link"/.exec(
      confirmation.body,
    )
    const tracking = await browser.get(trackingUrl?.[1] ?? trackingUrl?.[2] ?? '/track')
    assert.ok(!tracking.body.includes('IMG_0042'))
    const direct = await t.app.inject({ method: 'GET', url: `/staff/reports/${reference}/evidence/${stored.id}` })
    assert.notEqual(direct.statusCode, 200)
    assert.ok(!direct.rawPayload.includes(stored.content.subarray(0, 64)))

    // Staff see it on the report page and open it; every opening is an audit event naming the file.
    const officer = await createStaff(t.deps, { roles: ['officer'] })
    const session = await signIn(t.app, t.deps, officer)
    const detail = await t.app.inject({
      method: 'GET',
      url: `/staff/reports/${reference}`,
      headers: { cookie: session.cookie },
    })
    assert.equal(detail.statusCode, 200)
    const href = `/staff/reports/${reference}/evidence/${stored.id}`
    assert.ok(detail.body.includes(`href="${href}"`), 'the staff report page links the file')
    const opened = await t.app.inject({ method: 'GET', url: href, headers: { cookie: session.cookie } })
    assert.equal(opened.statusCode, 200)
    assert.equal(opened.headers['content-type'], 'image/jpeg')
    assert.ok(opened.rawPayload.equals(stored.content))
    assert.equal((await sharp(opened.rawPayload).metadata()).exif, undefined)
    // Route audit events are written as the response finishes: wait for the row rather than race it.
    const viewed = () =>
      db
        .selectFrom('audit_event')
        .selectAll()
        .where('action', '=', 'REPORT_EVIDENCE_VIEWED')
        .where('subject_id', '=', String(report.id))
        .execute()
    let audit = await viewed()
    for (let attempt = 0; audit.length === 0 && attempt < 40; attempt++) {
      await new Promise(resolve => setTimeout(resolve, 50))
      audit = await viewed()
    }
    assert.equal(audit.length, 1)
    assert.equal(audit[0]?.actor_id, officer.id)
    assert.equal((audit[0]?.details as { evidenceId?: string }).evidenceId, stored.id)
    const missing = await t.app.inject({
      method: 'GET',
      url: `/staff/reports/${reference}/evidence/00000000-0000-4000-8000-000000000000`,
      headers: { cookie: session.cookie },
    })
    assert.equal(missing.statusCode, 404)
  })

  it('takes an M4A recording and lets the resident remove a file', async () => {
    const browser = new Browser(t.app)
    await answer(browser, answers)
    const recording = {
      name: 'evidence',
      filename: 'voice memo.m4a',
      contentType: 'audio/x-m4a',
      content: m4aWithTags(),
    }
    assert.equal((await browser.upload('/report/evidence', { action: 'upload' }, recording)).statusCode, 303)
    const page = await browser.get('/report/evidence')
    assert.match(page.body, /Recording:<\/span> voice memo\.m4a/)
    const id = /name="remove" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
    const removed = await browser.post('/report/evidence/remove', { remove: id })
    assert.equal(removed.statusCode, 303)
    assert.match((await browser.get('/report/evidence')).body, /You have not added any files/)
    const gone = await t.deps.database.db.selectFrom('report_evidence').select('id').where('id', '=', id).execute()
    assert.equal(gone.length, 0)
  })

  for (const [label, file, message] of [
    [
      'a PDF renamed to .jpg',
      {
        name: 'evidence',
        filename: 'photo.jpg',
        contentType: 'image/jpeg',
        content: Buffer.from('%PDF-1.7 a document'),
      },
      /must be a JPG, PNG or WebP photo, or an MP3, M4A or WAV recording/,
    ],
    [
      'a file too large to take',
      {
        name: 'evidence',
        filename: 'long.mp3',
        contentType: 'audio/mpeg',
        content: Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(EVIDENCE_LIMITS.audioBytes + 10)]),
      },
      /must be smaller than 10 MB for a photo or 20 MB for a recording/,
    ],
    [
      'a photo over the photo limit',
      {
        name: 'evidence',
        filename: 'huge.jpg',
        contentType: 'image/jpeg',
        content: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(EVIDENCE_LIMITS.photoBytes + 10)]),
      },
      /must be smaller than 10 MB for a photo/,
    ],
    [
      'an empty file',
      { name: 'evidence', filename: 'empty.jpg', contentType: 'image/jpeg', content: Buffer.alloc(0) },
      /The selected file is empty/,
    ],
  ] as const) {
    it(`refuses ${label} with 400, a GOV.UK error summary, and the answers kept`, async () => {
      const browser = new Browser(t.app)
      await answer(browser, answers)
      const response = await browser.upload('/report/evidence', { action: 'continue' }, { ...file })
      assert.equal(response.statusCode, 400)
      assert.match(response.body, /govuk-error-summary/)
      assert.match(response.body, /href="#evidence"/)
      assert.match(response.body, message)
      assert.match(response.body, /govuk-file-upload--error|govuk-form-group--error/)
      const description = await browser.get('/report/description')
      assert.match(description.body, /Mattresses dumped again\./, 'earlier answers are kept')
    })
  }

  it('asks for a file when "Upload file" is pressed without one', async () => {
    const browser = new Browser(t.app)
    await answer(browser, answers)
    const response = await browser.upload('/report/evidence', { action: 'upload' }, null)
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /Select a photo or recording to upload/)
  })

  it('takes at most five files', async () => {
    const browser = new Browser(t.app)
    await answer(browser, answers)
    for (let i = 0; i < EVIDENCE_LIMITS.files; i++)
      assert.equal((await browser.upload('/report/evidence', { action: 'upload' }, await photo())).statusCode, 303)
    const page = await browser.get('/report/evidence')
    assert.equal((page.body.match(/data-qa="evidence-file"/g) ?? []).length, EVIDENCE_LIMITS.files)
    assert.doesNotMatch(page.body, /type="file"/, 'no file input once the limit is reached')
    const sixth = await browser.upload('/report/evidence', { action: 'upload' }, await photo())
    assert.equal(sixth.statusCode, 400)
    assert.match(sixth.body, /You can add up to 5 files/)
  })

  it('refuses an upload without the CSRF token', async () => {
    const browser = new Browser(t.app)
    await answer(browser, answers)
    browser.token = 'not-the-token'
    const response = await browser.upload('/report/evidence', { action: 'upload' }, await photo())
    assert.equal(response.statusCode, 403)
  })

  it('rate-limits uploads (not plain continues) per client with the friendly page', async () => {
    const limited = await buildTestApp({ config: { RATE_LIMIT_PUBLIC_PER_MINUTE: '100000' } })
    try {
      const browser = new Browser(limited.app)
      await answer(browser, answers)
      let last = 0
      for (let i = 0; i < 40; i++)
        assert.equal((await browser.upload('/report/evidence', { action: 'continue' }, null)).statusCode, 303)
      const notPhoto = { name: 'evidence', filename: 'x.jpg', contentType: 'image/jpeg', content: Buffer.from('x') }
      let count = 0
      for (; count < 40 && last !== 429; count++)
        last = (await browser.upload('/report/evidence', { action: 'upload' }, notPhoto)).statusCode
      assert.equal(last, 429)
      assert.equal(count, 31, 'thirty uploads in ten minutes, then the friendly page')
      const page = await browser.upload('/report/evidence', { action: 'upload' }, notPhoto)
      assert.equal(page.statusCode, 429)
      assert.match(String(page.headers['content-type']), /text\/html/)
      assert.match(page.body, /govuk-heading-l/)
      assert.ok(page.headers['retry-after'])
    } finally {
      await limited.close()
    }
  })
})
