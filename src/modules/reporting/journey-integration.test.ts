import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import type { FastifyInstance } from 'fastify'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn } from '../../../test/helpers/staff.js'
import { fixedClock } from '../../platform/clock.js'
import { CATEGORIES } from './taxonomy.js'

/** A browser, as far as these tests need one: a cookie jar and the CSRF token of the last form page. */
class Browser {
  cookies = new Map<string, string>()
  token = ''
  constructor(private readonly app: FastifyInstance) {}

  private remember(setCookie: string | string[] | undefined) {
    for (const cookie of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = cookie.split(';')
      const index = pair?.indexOf('=') ?? -1
      if (!pair || index < 0) continue
      const value = pair.slice(index + 1)
      if (value === '' || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(pair.slice(0, index))
      else this.cookies.set(pair.slice(0, index), value)
    }
  }

  private header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  /** Signs in as a new officer through the real sign-in pages, keeping the session cookie in the jar. */
  /** An officer of the partner (council by default) whose triage pool holds the reports (no allocation rules). */
  async signInAsOfficer(t: TestApp, partnerCode = 'council') {
    const session = await signIn(this.app, t.deps, await createStaff(t.deps, { roles: ['officer'], partnerCode }))
    for (const pair of session.cookie.split('; ')) {
      const index = pair.indexOf('=')
      this.cookies.set(pair.slice(0, index), pair.slice(index + 1))
    }
    this.token = session.token
  }

  async get(url: string) {
    const response = await this.app.inject({ method: 'GET', url, headers: { cookie: this.header() } })
    this.remember(response.headers['set-cookie'])
    const match = /name="_csrf" value="([^"]+)"/.exec(response.body)
    if (match?.[1]) this.token = match[1]
    return response
  }

  async post(url: string, fields: Record<string, string | string[]>, options: { csrf?: boolean } = {}) {
    if (!this.token) await this.get('/report/triage')
    const params = new URLSearchParams()
    if (options.csrf !== false) params.append('_csrf', this.token)
    for (const [name, value] of Object.entries(fields)) {
      for (const item of Array.isArray(value) ? value : [value]) params.append(name, item)
    }
    const response = await this.app.inject({
      method: 'POST',
      url,
      payload: params.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.header() },
    })
    this.remember(response.headers['set-cookie'])
    return response
  }
}

const valid = {
  triage: { triage: 'asb' },
  what: { category: 'noise_music' },
  where: { postcode: 'E1 0AA', locationDescription: 'Block C stairwell' },
  when: {
    occurredDay: '18',
    occurredMonth: '11',
    occurredYear: '2026',
    occurredTime: '9:30pm',
    pattern: 'ongoing',
    frequency: 'daily',
  },
  description: { description: 'Music until 3am every night.' },
  impact: { reporterRole: 'victim', howOften: 'regularly', unsafeAtHome: 'no', healthAffected: 'yes', targeted: 'no' },
  who: { mode: 'named', name: 'Ada Resident', contactPreference: 'email', email: 'ada@example.org', consent: 'yes' },
} as const

async function answerAll(
  browser: Browser,
  overrides: Partial<Record<keyof typeof valid, Record<string, string | string[]>>> = {},
) {
  for (const step of Object.keys(valid) as (keyof typeof valid)[]) {
    const response = await browser.post(`/report/${step}`, { ...valid[step], ...overrides[step] })
    assert.equal(response.statusCode, 303, `${step}: ${response.body.slice(0, 400)}`)
  }
}

function errorSummaryOf(body: string): string {
  return /<div class="govuk-error-summary"[\s\S]*?<\/div>\s*<\/div>/.exec(body)?.[0] ?? ''
}

describe('Integration: the resident journey', () => {
  let t: TestApp
  const clock = fixedClock('2026-11-20T10:00:00Z')
  before(async () => {
    t = await buildTestApp({ clock })
    // Importing the geography pack blocks the event loop; under-pressure (1 s samples) answers 503 until the block
    // has left its sample, so wait for one clean sample before the first request.
    await new Promise(resolve => setTimeout(resolve, 1100))
    for (let attempt = 0; attempt < 20; attempt++) {
      if ((await t.app.inject({ method: 'GET', url: '/report' })).statusCode === 200) break
      await new Promise(resolve => setTimeout(resolve, 250))
    }
  })
  after(async () => {
    await t.close()
  })

  it('starts with triage guidance and sends every answer somewhere, with no wrong door', async () => {
    const browser = new Browser(t.app)
    const start = await browser.get('/report')
    assert.equal(start.statusCode, 200)
    assert.match(start.body, /call 999/)
    assert.match(start.body, /What is not anti-social behaviour/)
    assert.match(start.body, /href="\/report\/triage"/)

    const home = await browser.get('/')
    assert.match(home.body, /href="\/report"/)
    assert.match(home.body, /href="\/track"/)

    for (const [triage, expected, next] of [
      ['hate', /True Vision/, '/report/advice'],
      ['crime', /101/, '/report/advice'],
      ['emergency', /999/, '/report/advice'],
      ['asb', null, '/report/what'],
    ] as const) {
      const response = await browser.post('/report/triage', { triage })
      assert.equal(response.statusCode, 303)
      assert.equal(response.headers.location, next)
      if (expected) {
        const advice = await browser.get(next)
        assert.match(advice.body, expected)
        assert.match(advice.body, /href="\/report\/what"/, 'the resident can still report')
      }
    }
  })

  // Each page: a field, what to send for it, and the message the resident sees. Other fields stay valid.
  const cases: {
    page: keyof typeof valid
    field: string
    empty?: string
    invalid?: string
    message: { empty?: RegExp; invalid?: RegExp }
    kept: string
  }[] = [
    {
      page: 'triage',
      field: 'triage',
      empty: '',
      invalid: 'nonsense',
      message: { empty: /Select what best describes/, invalid: /Select what best describes/ },
      kept: '',
    },
    {
      page: 'what',
      field: 'category',
      empty: '',
      invalid: 'pirates',
      message: { empty: /Select what is happening/, invalid: /Select what is happening/ },
      kept: '',
    },
    {
      page: 'where',
      field: 'postcode',
      empty: '',
      invalid: 'NOT A CODE',
      message: { empty: /Enter a postcode/, invalid: /Enter a real postcode/ },
      kept: 'Block C stairwell',
    },
    {
      page: 'when',
      field: 'occurredDay',
      empty: '',
      invalid: '31',
      message: { invalid: /must be a real date/ },
      kept: '9:30pm',
    },
    { page: 'when', field: 'occurredTime', invalid: '25:99', message: { invalid: /Enter a real time/ }, kept: '2026' },
    {
      page: 'when',
      field: 'pattern',
      empty: '',
      invalid: 'sometimes',
      message: { empty: /one-off or ongoing/, invalid: /one-off or ongoing/ },
      kept: '9:30pm',
    },
    {
      page: 'when',
      field: 'frequency',
      empty: '',
      invalid: 'hourly',
      message: { empty: /how often/, invalid: /how often/ },
      kept: '9:30pm',
    },
    {
      page: 'description',
      field: 'description',
      empty: '',
      invalid: 'x'.repeat(5001),
      message: { empty: /Tell us what happened/, invalid: /5000 characters or fewer/ },
      kept: '',
    },
    {
      page: 'impact',
      field: 'reporterRole',
      empty: '',
      invalid: 'bystander',
      message: { empty: /who this is happening to/, invalid: /who this is happening to/ },
      kept: '',
    },
    {
      page: 'impact',
      field: 'targeted',
      empty: '',
      invalid: 'maybe',
      message: { empty: /targeted because of who you are/, invalid: /targeted because of who you are/ },
      kept: '',
    },
    {
      page: 'who',
      field: 'mode',
      empty: '',
      invalid: 'secret',
      message: { empty: /how you want to report/, invalid: /how you want to report/ },
      kept: 'Ada Resident',
    },
    { page: 'who', field: 'name', empty: '', message: { empty: /Enter your name/ }, kept: 'ada@example.org' },
    {
      page: 'who',
      field: 'email',
      empty: '',
      invalid: 'not-an-email',
      message: { empty: /email address in the correct format/, invalid: /email address in the correct format/ },
      kept: 'Ada Resident',
    },
    {
      page: 'who',
      field: 'consent',
      empty: '',
      invalid: 'perhaps',
      message: { empty: /share your report/, invalid: /share your report/ },
      kept: 'Ada Resident',
    },
  ]
  // 'when' with an empty day alone is "not a real date"; with all three empty it is "enter the date".
  cases.find(c => c.page === 'when' && c.field === 'occurredDay')!.message.empty = /must be a real date/

  for (const testCase of cases) {
    for (const kind of ['empty', 'invalid'] as const) {
      const value = testCase[kind]
      const expected = testCase.message[kind]
      if (value === undefined || !expected) continue
      it(`${testCase.page}: ${kind} ${testCase.field} gives 400, an error summary and keeps the answers`, async () => {
        const browser = new Browser(t.app)
        await browser.get('/report/triage')
        const response = await browser.post(`/report/${testCase.page}`, {
          ...valid[testCase.page],
          [testCase.field]: value,
        })
        assert.equal(response.statusCode, 400)
        const summary = errorSummaryOf(response.body)
        assert.match(summary, expected)
        assert.match(summary, new RegExp(`href="#${testCase.field}"`))
        assert.match(response.body, /<title>Error: /)
        if (testCase.kept) assert.ok(response.body.includes(testCase.kept), `keeps ${testCase.kept}`)
        const fixed = await browser.post(`/report/${testCase.page}`, valid[testCase.page])
        assert.equal(fixed.statusCode, 303)
      })
    }
  }

  it('requires a reason when targeted, and then flags hate', async () => {
    const browser = new Browser(t.app)
    const missing = await browser.post('/report/impact', { ...valid.impact, targeted: 'yes' })
    assert.equal(missing.statusCode, 400)
    assert.match(errorSummaryOf(missing.body), /href="#characteristics"/)
    await answerAll(browser, { impact: { targeted: 'yes', characteristics: ['religion', 'race'] } })
    const check = await browser.get('/report/check')
    assert.match(check.body, /Targeted because of religion or belief, race or ethnicity/)
    await browser.post('/report/check', {})
    const reference = /data-qa="reference">([^<]+)</.exec((await browser.get('/report/confirmation')).body)?.[1] ?? ''
    const row = await t.deps.database.db
      .selectFrom('report')
      .select(['hate', 'nsir_qualifier', 'priority'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { hate: true, nsir_qualifier: 'personal', priority: 'high' })
  })

  it('rejects an anonymous report that gives a name', async () => {
    const browser = new Browser(t.app)
    const response = await browser.post('/report/who', {
      mode: 'anonymous',
      name: 'Ada',
      contactPreference: 'none',
      consent: 'no',
    })
    assert.equal(response.statusCode, 400)
    assert.match(errorSummaryOf(response.body), /Remove your name/)
  })

  it('takes a whole report, shows check your answers with change links, and gives one reference for a double submit', async () => {
    const browser = new Browser(t.app)
    await answerAll(browser, { what: { category: 'abandoned_vehicle' } })
    const similar = await browser.get('/report/similar')
    assert.equal(similar.statusCode, 303)
    assert.equal(similar.headers.location, '/report/check')
    const check = await browser.get('/report/check')
    assert.equal(check.statusCode, 200)
    for (const href of [
      '/report/what?change=check#category',
      '/report/where?change=check#postcode',
      '/report/when?change=check#occurredDay',
      '/report/who?change=check#mode',
    ])
      assert.ok(check.body.includes(`href="${href}"`), href)
    assert.match(check.body, /E1 0AA/)
    assert.match(check.body, /18 November 2026, at 9:30 pm, Ongoing, Every day/)

    // Change an answer and come back to "check".
    const change = await browser.get('/report/what?change=check')
    assert.match(change.body, /name="returnTo" value="check"/)
    const changed = await browser.post('/report/what', { category: 'noise_shouting', returnTo: 'check' })
    assert.equal(changed.headers.location, '/report/check')

    const [first, second] = await Promise.all([browser.post('/report/check', {}), browser.post('/report/check', {})])
    assert.equal(first.statusCode, 303)
    assert.equal(second.statusCode, 303)
    const third = await browser.post('/report/check', {})
    assert.equal(third.headers.location, '/report/confirmation')
    const confirmation = await browser.get('/report/confirmation')
    assert.equal(confirmation.statusCode, 200)
    const reference = /data-qa="reference">([^<]+)</.exec(confirmation.body)?.[1] ?? ''
    assert.match(reference, /^ASB-2611-[34679ACDEFGHJKMNPQRTWXY]{4}$/)
    const again = await browser.get('/report/confirmation')
    assert.ok(again.body.includes(reference))
    const rows = await t.deps.database.db
      .selectFrom('report')
      .select(['id', 'category', 'reporter_email'])
      .where('reference', '=', reference)
      .execute()
    assert.equal(rows.length, 1)
    assert.equal(rows[0]?.category, 'noise_shouting')
    // The submission's own audit event is written in the report's statement: chained right after REPORT_RECEIVED,
    // as the request that created the report, with what the route's audit hook would have written.
    const events = await t.deps.database.db
      .selectFrom('audit_event')
      .select(['action', 'seq', 'correlation_id', 'details', 'actor_type', 'ip'])
      .where('subject_type', '=', 'report')
      .where('subject_id', '=', String(rows[0]?.id))
      .orderBy('seq')
      .execute()
    const received = events.find(event => event.action === 'REPORT_RECEIVED')
    const submitted = events.find(event => event.action === 'REPORT_SUBMITTED')
    assert.ok(received && submitted, JSON.stringify(events))
    assert.equal(submitted.seq, received.seq + 1)
    assert.equal(submitted.correlation_id, received.correlation_id)
    assert.equal(submitted.actor_type, 'anonymous')
    assert.deepEqual(submitted.details, { method: 'POST', route: '/report/check', status: 303 })
    assert.equal((await t.deps.audit.verify()).ok, true)
    const count = await t.deps.database.db
      .selectFrom('report')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .where('idempotency_key', 'like', 'web:%')
      .where('category', '=', 'noise_shouting')
      .executeTakeFirstOrThrow()
    assert.equal(count.n, 1)

    // The tracking link on the confirmation page works, and a wrong code does not.
    const trackingUrl = /href="(\/track\/[^"]+)" data-qa="tracking-link"/.exec(confirmation.body)?.[1] ?? ''
    const tracking = await browser.get(trackingUrl)
    assert.equal(tracking.statusCode, 200)
    assert.match(tracking.body, /Received/)
    const wrong = await browser.get(`/track/${reference}/AAAAAAAAAAAA`)
    assert.equal(wrong.statusCode, 404)
  })

  // Every ASB type through the whole journey, as the browser tests once did for each type with JavaScript on and off;
  // the browser tests keep one journey per goal (e2e/specs/reporting.spec.ts).
  it('accepts a report of every ASB type: each is offered on "what happened", and each is stored as chosen', async () => {
    for (const [index, category] of CATEGORIES.entries()) {
      const browser = new Browser(t.app)
      for (const [step, fields] of [
        ['triage', valid.triage],
        ['what', { category: category.code }],
        ['where', { postcode: index % 3 === 0 ? 'E14 5AB' : 'E1 0AA', locationDescription: `Place ${String(index)}` }],
        ['when', valid.when],
        ['description', { description: `A report of ${category.code}.` }],
        ['impact', valid.impact],
        ['who', { mode: 'anonymous', contactPreference: 'none', consent: 'yes' }],
      ] as const) {
        if (step === 'what') {
          const page = await browser.get('/report/what')
          assert.ok(page.body.includes(`value="${category.code}"`), `${category.code} is offered`)
        }
        const response = await browser.post(`/report/${step}`, fields)
        assert.equal(response.statusCode, 303, `${category.code} at ${step}: ${response.body.slice(0, 400)}`)
      }
      // Earlier reports of the loop are nearby: "Is it one of these?" is answered "none of these".
      if ((await browser.get('/report/similar')).statusCode === 200) {
        assert.equal((await browser.post('/report/similar', {})).headers.location, '/report/check')
      }
      assert.equal((await browser.get('/report/check')).statusCode, 200, category.code)
      assert.equal((await browser.post('/report/check', {})).headers.location, '/report/confirmation')
      const confirmation = await browser.get('/report/confirmation')
      const reference = /data-qa="reference">([^<]+)</.exec(confirmation.body)?.[1] ?? ''
      assert.match(reference, /^ASB-/, category.code)
      const row = await t.deps.database.db
        .selectFrom('report')
        .select(['category', 'reporter_mode'])
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow()
      assert.equal(row.category, category.code)
      assert.equal(row.reporter_mode, 'anonymous')
    }
  })

  it('keeps answers server-side, so a lost page or a new tab resumes the journey', async () => {
    const browser = new Browser(t.app)
    await browser.post('/report/what', { category: 'graffiti' })
    const page = await browser.get('/report/what')
    assert.match(page.body, /value="graffiti" checked/)
    const draft = await t.deps.database.db
      .selectFrom('report_draft')
      .select(['expires_at', 'created_at'])
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
    assert.equal(new Date(draft.expires_at).getTime() - new Date(draft.created_at).getTime(), 24 * 60 * 60 * 1000)
  })

  it('escapes markup in free text wherever it is shown', async () => {
    const browser = new Browser(t.app)
    const script = '<script>alert("x")</script><b>bold</b>'
    await answerAll(browser, { description: { description: script }, who: { name: `<img src=x onerror=alert(1)>` } })
    const check = await browser.get('/report/check')
    assert.ok(!check.body.includes('<script>alert'))
    assert.ok(!check.body.includes('<img src=x'))
    assert.ok(check.body.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'))
    await browser.post('/report/check', {})
    const staff = new Browser(t.app)
    await staff.signInAsOfficer(t)
    const reference = /data-qa="reference">([^<]+)</.exec((await browser.get('/report/confirmation')).body)?.[1] ?? ''
    const detail = await staff.get(`/staff/reports/${reference}`)
    assert.equal(detail.statusCode, 200)
    assert.ok(!detail.body.includes('<script>alert'))
    assert.ok(detail.body.includes('&lt;script&gt;'))
  })

  it("words the where page from the CSP pack, with the map's words only for a page that has the map", async () => {
    const browser = new Browser(t.app)
    await browser.post('/report/triage', valid.triage)
    await browser.post('/report/what', valid.what)
    const page = await browser.get('/report/where')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /The postcode nearest to where it happens, for example E1 1BJ/)
    // Without JavaScript the link says what it offers; the script shows the map's wording once the map is drawn.
    assert.match(page.body, /data-qa="cannot-use-map"><span data-without-map>I do not know the postcode<\/span>/)
    assert.match(page.body, /<span data-with-map hidden>I cannot use a map or do not know the postcode<\/span>/)
    assert.match(page.body, /<input type="hidden" name="map" id="map-shown" value="">/)
    const bad = await browser.post('/report/where', { postcode: 'ZZ', locationDescription: '' })
    assert.equal(bad.statusCode, 400)
    assert.match(errorSummaryOf(bad.body), /Enter a real postcode, like E1 1BJ/)
    assert.doesNotMatch(bad.body, /data-qa="other-council"/)
    // The hint's example is a postcode the borough's own postcode data knows.
    const example = await browser.post('/report/where', { postcode: 'E1 1BJ', locationDescription: '' })
    assert.equal(example.headers.location, '/report/when')
    // The footer is the council's, from the pack's letterhead: no crown, no Crown copyright.
    const footer = /data-qa="footer"[\s\S]*$/.exec(page.body)?.[0] ?? ''
    assert.match(
      footer,
      /<a class="govuk-footer__link" href="https:\/\/www.towerhamlets.gov.uk">© London Borough of Tower Hamlets<\/a>/,
    )
    assert.match(
      footer,
      /<img class="safer-footer__logo" src="data:image\/svg\+xml;base64,[^"]+" alt="Tower Hamlets Council">/,
    )
    assert.doesNotMatch(footer, /govuk-footer__crown|govuk-footer__copyright-logo|Crown copyright<|crown-copyright/)
    const statement = await t.app.inject({ method: 'GET', url: '/accessibility-statement' })
    assert.match(statement.body, /contact the council&#39;s community safety team\./)
  })

  it('rejects a form post without the CSRF token', async () => {
    const browser = new Browser(t.app)
    await browser.get('/report/what')
    const response = await browser.post('/report/what', { category: 'graffiti' }, { csrf: false })
    assert.equal(response.statusCode, 403)
  })

  it('stores nothing when the honeypot is filled in', async () => {
    const browser = new Browser(t.app)
    await answerAll(browser, { description: { description: 'honeypot test report' } })
    const response = await browser.post('/report/check', { website: 'http://spam.example' })
    assert.equal(response.statusCode, 400)
    const stored = await t.deps.database.db
      .selectFrom('report')
      .select('id')
      .where('description', '=', 'honeypot test report')
      .execute()
    assert.equal(stored.length, 0)
  })

  it('names the council and police force for a place outside the borough, and still offers the police route', async () => {
    const browser = new Browser(t.app)
    const hackney = await browser.post('/report/where', { postcode: '', latitude: '51.545', longitude: '-0.055' })
    assert.equal(hackney.headers.location, '/report/outside')
    const page = await browser.get('/report/outside')
    assert.match(page.body, /data-qa="outside-council">\s*The place you chose is in Hackney/)
    assert.match(page.body, /Metropolitan Police Service/)
    assert.match(page.body, /data-qa="police-route"/)
    assert.match(
      page.body,
      /data-qa="other-council">\s*<a class="govuk-link" href="https:\/\/www.gov.uk\/find-local-council"[^>]*>Find Hackney Council&#39;s website on GOV.UK</,
    )
    await browser.post('/report/where', { latitude: '51.5155', longitude: '-0.0920' })
    assert.match((await browser.get('/report/outside')).body, /City of London Police/)

    const unknown = await browser.post('/report/where', { postcode: 'SW1A 1AA' })
    assert.equal(unknown.statusCode, 400)
    assert.match(errorSummaryOf(unknown.body), /We could not find SW1A 1AA in Tower Hamlets/)
    assert.match(
      unknown.body,
      /data-qa="other-council">[\s\S]*If SW1A 1AA is in another council&#39;s area, find that council on GOV.UK/,
    )
  })

  it('takes a ward and a description from people who cannot use a map', async () => {
    const browser = new Browser(t.app)
    const missing = await browser.post('/report/where-ward', { wardCode: '', locationDescription: '' })
    assert.equal(missing.statusCode, 400)
    assert.match(errorSummaryOf(missing.body), /href="#wardCode"/)
    assert.match(errorSummaryOf(missing.body), /href="#locationDescription"/)
    await answerAll(browser)
    const ward = await browser.post('/report/where-ward', {
      wardCode: 'E05009336',
      locationDescription: 'Outside the market',
      returnTo: 'check',
    })
    assert.equal(ward.headers.location, '/report/check')
    const check = await browser.get('/report/check')
    assert.match(check.body, /Whitechapel: Outside the market/)
  })

  it('offers nearby similar reports before submitting, and links instead of duplicating', async () => {
    const earlier = await t.deps.reporting.intake.submit(
      {
        channel: 'phone',
        category: 'fly_tipping',
        location: { postcode: 'E1 0AD' },
        occurredOn: '2026-11-15',
        pattern: 'one_off',
        description: 'Mattresses dumped',
        impact: {
          reporterRole: 'witness',
          unsafeAtHome: 'no',
          healthAffected: 'no',
          targeted: 'no',
          characteristics: [],
        },
        reporter: { mode: 'anonymous', contactPreference: 'none', consentToShare: true },
      },
      { type: 'system', id: null },
    )
    const browser = new Browser(t.app)
    await answerAll(browser, { what: { category: 'fly_tipping' } })
    const similar = await browser.get('/report/similar')
    assert.equal(similar.statusCode, 200)
    // Only the type, the place at street level and the week: nothing that tells anyone whether they were reported.
    assert.ok(!similar.body.includes(earlier.report.reference), "no other report's reference")
    assert.doesNotMatch(similar.body, /Mattresses dumped/, 'no free text from other people')
    assert.doesNotMatch(similar.body, /20 November 2026|2026-11-20|20\/11\/2026|\btoday\b|days? ago/i, 'no exact date')
    assert.doesNotMatch(similar.body, /Received|Assessed/, 'no status')
    assert.match(similar.body, /Fly-tipping/)
    assert.match(similar.body, /near postcode E1 0, in /)
    assert.match(similar.body, /week of 16 November 2026/)
    // A reference typed into the form (the old field) links nothing: the page's choices are opaque tokens.
    await browser.post('/report/similar', { linkTo: earlier.report.reference, choice: earlier.report.reference })
    const unlinked = await browser.get('/report/check')
    assert.doesNotMatch(unlinked.body, /data-qa="linked-reference"/)
    const again = await browser.get('/report/similar')
    const token = /name="choice" value="([^"]+)"/.exec(again.body)?.[1] ?? ''
    assert.match(token, /^[A-Za-z0-9_-]{16}$/)
    const linked = await browser.post('/report/similar', { choice: token })
    assert.equal(linked.headers.location, '/report/check')
    const check = await browser.get('/report/check')
    assert.match(
      check.body,
      /added to an earlier report: Fly-tipping or dumped rubbish, near postcode E1 0, in [^,]+, week of 16 November 2026/,
    )
    assert.ok(!check.body.includes(earlier.report.reference))
    await browser.post('/report/check', {})
    const confirmation = (await browser.get('/report/confirmation')).body
    assert.match(confirmation, /We added your report to an earlier report: Fly-tipping/)
    const reference = /data-qa="reference">([^<]+)</.exec(confirmation)?.[1] ?? ''
    assert.ok(!confirmation.includes(earlier.report.reference))
    const row = await t.deps.database.db
      .selectFrom('report')
      .select(['linked_report_id', 'flags'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow()
    assert.equal(row.linked_report_id, earlier.report.id)
    assert.deepEqual((row.flags as { duplicateCandidates: string[] }).duplicateCandidates, [earlier.report.reference])
  })

  it('tracks honest status changes, offers "report it again", and shows the Case Review notice at 3 reports', async () => {
    const browser = new Browser(t.app)
    const who = { email: 'repeat@example.org' }
    const references: string[] = []
    let trackingUrl = ''
    for (let i = 0; i < 3; i++) {
      await answerAll(browser, { what: { category: 'drug_dealing' }, who })
      await browser.post('/report/check', {})
      const confirmation = await browser.get('/report/confirmation')
      references.push(/data-qa="reference">([^<]+)</.exec(confirmation.body)?.[1] ?? '')
      trackingUrl = /href="(\/track\/[^"]+)" data-qa="tracking-link"/.exec(confirmation.body)?.[1] ?? ''
      const page = await browser.get(trackingUrl)
      if (i < 2) assert.doesNotMatch(page.body, /case-review-notice/)
      else assert.match(page.body, /data-qa="case-review-notice"/)
    }
    const staff = new Browser(t.app)
    const refused = await staff.get('/staff/reports')
    assert.equal(refused.statusCode, 303)
    assert.match(String(refused.headers.location), /^\/sign-in\?next=%2Fstaff%2Freports/)
    // Drug dealing is the police's category: with no allocation rule it is in the police's triage pool.
    await staff.signInAsOfficer(t, 'police')
    const list = await staff.get('/staff/reports')
    assert.equal(list.statusCode, 200)
    assert.ok(references.every(reference => list.body.includes(reference)))
    assert.match(list.body, /Repeat caller/)

    const last = references[2] ?? ''
    await staff.get(`/staff/reports/${last}`)
    const missingAgency = await staff.post(`/staff/reports/${last}/status`, {
      status: 'closed',
      closureReason: 'referred',
      referredAgency: '',
    })
    assert.equal(missingAgency.statusCode, 400)
    assert.match(errorSummaryOf(missingAgency.body), /Enter the agency the report was referred to/)
    const closed = await staff.post(`/staff/reports/${last}/status`, {
      status: 'closed',
      closureReason: 'referred',
      referredAgency: 'Metropolitan Police Service',
      publicNote: 'Passed to the local policing team.',
    })
    assert.equal(closed.statusCode, 303)
    const page = await browser.get(trackingUrl)
    assert.match(page.body, /Closed: passed to Metropolitan Police Service/)
    assert.match(page.body, /Passed to the local policing team./)
    const outbox = await t.deps.database.db
      .selectFrom('notification_outbox')
      .innerJoin('report', 'report.id', 'notification_outbox.report_id')
      .select(['template'])
      .where('report.reference', '=', last)
      .orderBy('notification_outbox.id')
      .execute()
    assert.deepEqual(
      outbox.map(row => row.template),
      ['report-acknowledgement', 'report-status-closed'],
    )
    const sent = await t.deps.reporting.notifications.dispatchPending()
    assert.ok(sent.sent >= 2)

    // What was reported, only with the tracking code: the type, the postcode sector (never the exact place), the
    // dates and the resident's own words; the read is audited against the report.
    const reported = /data-qa="reported"[\s\S]*?<\/dl>/.exec(page.body)?.[0] ?? ''
    assert.match(reported, /Drug dealing/)
    assert.match(reported, /near postcode E1 0, in /)
    assert.doesNotMatch(reported, /E1 0AA|51\.5/)
    assert.match(reported, /Last happened on 18 November 2026 at 9:30 ?pm/)
    assert.match(reported, /20 November 2026/)
    assert.match(reported, /Music until 3am every night./)
    const trackedRow = await t.deps.database.db
      .selectFrom('report')
      .select('id')
      .where('reference', '=', last)
      .executeTakeFirstOrThrow()
    const reads = await t.deps.database.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'REPORT_TRACKED')
      .where('subject_id', '=', String(trackedRow.id))
      .execute()
    assert.ok(reads.length >= 2)

    // "Report it again": what is still true comes from the earlier report; only when and what happened are asked.
    const again = await browser.post(`${trackingUrl}/again`, {})
    assert.equal(again.headers.location, '/report/when')
    const what = await browser.get('/report/what')
    assert.match(what.body, /value="drug_dealing" checked/)
    const when = await browser.get('/report/when')
    assert.match(when.body, /value="ongoing" checked/)
    assert.doesNotMatch(
      /<input[^>]*id="occurredDay"[^>]*>/.exec(when.body)?.[0] ?? 'value=',
      /value=/,
      'the date is asked',
    )
    const later = {
      occurredDay: '19',
      occurredMonth: '11',
      occurredYear: '2026',
      occurredTime: '11pm',
      pattern: 'ongoing',
      frequency: 'daily',
    }
    assert.equal((await browser.post('/report/when', later)).headers.location, '/report/description')
    const described = await browser.post('/report/description', { description: 'Still dealing on the stairs.' })
    // The earlier reports nearby are the resident's own: "Is it one of these?" does not offer the one reported again.
    assert.equal(described.headers.location, '/report/similar')
    // The three earlier drug-dealing reports nearby are this resident's (the tracking code proves the one reported
    // again, and so its reporter): only the one someone else made (the every-type test's) is offered.
    const similar = await browser.get('/report/similar')
    assert.equal(similar.statusCode, 200)
    assert.equal((similar.body.match(/data-qa="similar-report"/g) ?? []).length, 1)
    // "Mine is different" keeps the link to the resident's own earlier report.
    assert.equal((await browser.post('/report/similar', { choice: '' })).headers.location, '/report/check')
    const check = await browser.get('/report/check')
    assert.match(check.body, new RegExp(`data-qa="linked-reference"[\\s\\S]*${last}`))
    assert.match(check.body, /Ada Resident/)
    assert.match(check.body, /repeat@example.org/)
    assert.match(check.body, /19 November 2026, at 11:00 pm/)
    await browser.post('/report/check', {})
    const repeat = /data-qa="reference">([^<]+)</.exec((await browser.get('/report/confirmation')).body)?.[1] ?? ''
    const stored = await t.deps.database.db
      .selectFrom('report')
      .select(['linked_report_id', 'occurred_time', 'reporter_email'])
      .where('reference', '=', repeat)
      .executeTakeFirstOrThrow()
    assert.deepEqual(stored, {
      linked_report_id: trackedRow.id,
      occurred_time: '23:00',
      reporter_email: 'repeat@example.org',
    })
  })

  it('tracks from the form, without saying whether a reference exists', async () => {
    const browser = new Browser(t.app)
    await browser.get('/track')
    const empty = await browser.post('/track', { reference: '', code: '' })
    assert.equal(empty.statusCode, 400)
    assert.match(errorSummaryOf(empty.body), /href="#reference"/)
    assert.match(errorSummaryOf(empty.body), /href="#code"/)
    const wrong = await browser.post('/track', { reference: 'ASB-2611-AAAA', code: 'AAAA-AAAA-AAAA' })
    assert.equal(wrong.statusCode, 400)
    assert.match(errorSummaryOf(wrong.body), /could not find a report with that reference and tracking code/)
  })

  it('publishes anonymised counts by category on a ward page', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/wards/E05009332/reports' })
    assert.equal(response.statusCode, 200)
    assert.match(response.body, /data-qa="ward-report-counts"/)
    assert.match(response.body, /Loud music, TV or parties/)
    assert.doesNotMatch(response.body, /Ada Resident|ada@example.org|E1 0AA|51\.51/)
    const unknown = await t.app.inject({ method: 'GET', url: '/wards/E05000000/reports' })
    assert.equal(unknown.statusCode, 404)
  })

  // Last: it moves the clock on a day.
  it('forgets a draft after 24 hours and deletes expired drafts', async () => {
    const browser = new Browser(t.app)
    await browser.post('/report/what', { category: 'begging' })
    const id = [...browser.cookies].find(([name]) => name === 'safer_report')?.[1]
    assert.ok(id)
    clock.advance(25 * 60 * 60 * 1000)
    const page = await browser.get('/report/what')
    assert.doesNotMatch(page.body, /value="begging" checked/)
    await new Browser(t.app).post('/report/what', { category: 'graffiti' })
    const left = await t.deps.database.db
      .selectFrom('report_draft')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .where('expires_at', '<=', clock.now())
      .executeTakeFirstOrThrow()
    assert.equal(left.n, 0)
  })
})
