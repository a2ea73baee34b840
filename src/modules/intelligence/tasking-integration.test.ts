import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'

import { sql } from 'kysely'
import { parse } from 'node-html-parser'

import { projectRoot } from '../../config.js'
import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { pdfText } from '../../../test/helpers/pdf-text.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')

function multipart(fields: Record<string, string>, file?: { name: string; content: string }) {
  const boundary = '----saferTestBoundary'
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  )
  if (file)
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
        `Content-Type: text/csv\r\n\r\n${file.content}\r\n`,
    )
  return { payload: `${parts.join('')}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` }
}

describe('Integration: tasking pack, "when", uploads and the staff map layer', () => {
  let t: TestApp
  let officer: StaffSession
  let analyst: StaffSession
  before(async () => {
    t = await buildTestApp()
    officer = await signIn(t.app, t.deps, await createStaff(t.deps, { roles: ['officer'] }))
    analyst = await signIn(t.app, t.deps, await createStaff(t.deps, { roles: ['analyst'] }))
  })
  after(async () => {
    await t.deps.pdf.close()
    await t.close()
  })

  const get = (url: string, session?: StaffSession) =>
    t.app.inject({ method: 'GET', url, headers: session ? { cookie: session.cookie } : {} })

  it('keeps the staff pages and report points from anyone not signed in', async () => {
    for (const url of ['/intelligence/tasking', '/intelligence/when', '/intelligence/import']) {
      const response = await get(url)
      assert.equal(response.statusCode, 303, url)
      assert.match(String(response.headers.location), /^\/sign-in\?next=/)
    }
    assert.equal((await get('/api/v1/hotspots/reports.geojson')).statusCode, 401)
    assert.equal((await get('/intelligence/import', officer)).statusCode, 403, 'uploads are for analysts and admins')
    const points = await get('/api/v1/hotspots/reports.geojson', officer)
    assert.equal(points.statusCode, 200)
    assert.equal(points.json<{ type: string }>().type, 'FeatureCollection')
  })

  it('imports an uploaded street file and shows the summary with rejected line numbers', async () => {
    const page = await get('/intelligence/import', analyst)
    assert.equal(page.statusCode, 200)
    const content = fs.readFileSync(path.join(fixtures, 'street', '2016-03-city-of-london-street.csv'), 'utf8')
    const { payload, contentType } = multipart(
      { _csrf: analyst.token, kind: 'police-street' },
      { name: '2016-03-city-of-london-street.csv', content },
    )
    const response = await t.app.inject({
      method: 'POST',
      url: '/intelligence/import',
      headers: { cookie: analyst.cookie, 'content-type': contentType },
      payload,
    })
    assert.equal(response.statusCode, 200)
    assert.match(response.body, /data-qa="import-summary"/)
    assert.match(response.body, /City of London Police 2016-03/)
    assert.match(response.body, /<td class="govuk-table__cell govuk-table__cell--numeric">6<\/td>/)
    assert.match(response.body, /Month &quot;2016-13&quot; is not YYYY-MM|Month "2016-13" is not YYYY-MM/)
    const events = await t.deps.audit.forSubject('intelligence-import', 'police-street')
    assert.equal(events[0]?.actor_type, 'user')
  })

  it('refuses a file of the wrong kind before writing anything, and a form with no file', async () => {
    const before = await t.deps.intelligence.months()
    const content = fs.readFileSync(path.join(fixtures, 'wrong-header', '2016-05-city-of-london-street.csv'), 'utf8')
    const wrong = multipart(
      { _csrf: analyst.token, kind: 'police-street' },
      { name: '2016-05-city-of-london-street.csv', content },
    )
    const response = await t.app.inject({
      method: 'POST',
      url: '/intelligence/import',
      headers: { cookie: analyst.cookie, 'content-type': wrong.contentType },
      payload: wrong.payload,
    })
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /govuk-error-summary/)
    assert.match(response.body, /nothing was saved/)
    assert.deepEqual(await t.deps.intelligence.months(), before)

    const empty = multipart({ _csrf: analyst.token })
    const missing = await t.app.inject({
      method: 'POST',
      url: '/intelligence/import',
      headers: { cookie: analyst.cookie, 'content-type': empty.contentType },
      payload: empty.payload,
    })
    assert.equal(missing.statusCode, 400)
    assert.match(missing.body, /Choose the kind of file/)
    assert.match(missing.body, /Choose a CSV file to upload/)
  })

  it('keeps fuller MPS months over a small upload, and replaces them when the analyst confirms the file', async () => {
    await t.deps.intelligenceImports.importMpsRecordedCrime(
      path.join(projectRoot, 'reference-data', 'tower-hamlets', 'police', 'recorded-crime-ward_tower-hamlets.csv'),
    )
    const content = fs.readFileSync(path.join(fixtures, 'mps', 'recorded-crime-ward-sample.csv'), 'utf8')
    const upload = (fields: Record<string, string>) => {
      const form = multipart(
        { _csrf: analyst.token, kind: 'mps-recorded-crime', ...fields },
        { name: 'recorded-crime-ward-sample.csv', content },
      )
      return t.app.inject({
        method: 'POST',
        url: '/intelligence/import',
        headers: { cookie: analyst.cookie, 'content-type': form.contentType },
        payload: form.payload,
      })
    }
    const partialRows = (body: string) =>
      parse(body)
        .querySelectorAll('[data-qa="import-partial"] tbody tr')
        .map(row => row.querySelectorAll('td, th').map(cell => cell.text.trim()))
    const kept = await upload({})
    assert.equal(kept.statusCode, 200)
    assert.deepEqual(partialRows(kept.body), [
      ['ward 2024-03', '13', '2,773', 'Kept what Safer held'],
      ['ward 2024-04', '12', '2,714', 'Kept what Safer held'],
    ])
    assert.match(parse(kept.body).querySelector('[data-qa="import-notes"]')?.text ?? '', /ward 2024-03 looks partial/)
    const confirmed = await upload({ replacePartial: 'yes' })
    assert.deepEqual(
      partialRows(confirmed.body).map(row => row[3]),
      ['Replaced, as confirmed', 'Replaced, as confirmed'],
    )
  })

  it('shows when reports happen as an SVG heat map and trend beside their tables, and checks the dates', async () => {
    const page = await get('/intelligence/when?from=2026-01-01&to=2026-11-30', officer)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /data-qa="when-heat"/)
    assert.match(page.body, /data-qa="when-heat-table"/)
    assert.match(page.body, /data-qa="when-trend-table"/)
    const bad = await get('/intelligence/when?from=2026-02-31&to=2026-01-01', officer)
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /govuk-error-summary/)
    assert.match(bad.body, /value="2026-02-31"/)
  })

  it('renders the pack with the casework sections the composition root registers, and records decisions', async () => {
    await t.deps.intelligenceImports.importPoliceStreet([path.join(fixtures, 'street')])
    const pack = await get('/intelligence/tasking', officer)
    assert.equal(pack.statusCode, 200)
    // Casework supplies its sections in every running Safer; the "no provider" notice is for a partnership without it.
    assert.doesNotMatch(pack.body, /data-qa="tasking-no-provider"/)
    assert.match(pack.body, /Repeat victims/)
    assert.match(pack.body, /No overdue actions\./)
    assert.match(pack.body, /data-qa="tasking-wards"/)
    assert.match(pack.body, /Latest police.uk month 2016-04/)
    // Months never imported are "no data", not zero, and stay out of the mean before (defect 8).
    const months = parse(pack.body)
      .querySelectorAll('[data-qa="tasking-months"] tbody tr')
      .map(row => row.querySelectorAll('td, th').map(cell => cell.text.trim()))
    assert.deepEqual(
      months.map(row => row[0]),
      ['2016-01', '2016-02', '2016-03'],
    )
    assert.equal(months[0]?.[1], 'No data')
    assert.equal(months[1]?.[1], 'No data')
    assert.match(months[2]?.[1] ?? '', /^\d[\d,]*$/)
    assert.match(pack.body, /against the mean of the 1 imported months before/)
    assert.match(pack.body, /data-qa="tasking-decisions-none"/)

    const form = (fields: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/intelligence/tasking/decisions',
        headers: { cookie: officer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: officer.token, ...fields }).toString(),
      })
    const id = /name="id" value="([^"]+)"/.exec(pack.body)?.[1] ?? ''
    const invalid = await form({ id, decision: 'Patrol Brick Lane', owner: '', dueOn: '2026-02-30' })
    assert.equal(invalid.statusCode, 400)
    assert.match(invalid.body, /Enter who owns the decision/)
    assert.match(invalid.body, /Enter the due date as a real date/)
    assert.match(invalid.body, /Patrol Brick Lane/, 'answers kept')

    const fields = { id, decision: 'Patrol Brick Lane on Friday nights', owner: 'NET Team', dueOn: '2026-11-27' }
    assert.equal((await form(fields)).statusCode, 303)
    assert.equal((await form(fields)).statusCode, 303, 'a double post records it once')
    const after = await get('/intelligence/tasking', officer)
    const table = parse(after.body).querySelector('[data-qa="tasking-decisions"]')?.text ?? ''
    assert.equal(table.split('Patrol Brick Lane on Friday nights').length - 1, 1)
    const events = await t.deps.audit.forSubject('intelligence_tasking_decision', id)
    assert.equal(events.length, 1)
    assert.equal(events[0]?.action, 'INTELLIGENCE_TASKING_DECISION_RECORDED')
  })

  it('marks a decision done once, checks the date, carries it forward until done, and counts it', async () => {
    const today = t.deps.clock.now().toISOString().slice(0, 10)
    const decisions = await t.deps.database.db
      .selectFrom('intelligence_tasking_decision')
      .select(['id', sql<string>`week_start::text`.as('week_start')])
      .execute()
    const decision = decisions[0]
    assert.ok(decision, 'the decision recorded above')
    const done = (fields: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/intelligence/tasking/decisions/done',
        headers: { cookie: officer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: officer.token, ...fields }).toString(),
      })
    const page = await get('/intelligence/tasking', officer)
    assert.match(page.body, /data-qa="decision-done-form"/)
    assert.match(page.body, /To do|Overdue/)

    const unknown = await done({ decisionId: '', completedOn: '' })
    assert.equal(unknown.statusCode, 400)
    assert.match(unknown.body, /Choose a decision from the list/)
    const future = await done({ decisionId: decision.id, completedOn: '2999-01-01' })
    assert.equal(future.statusCode, 400)
    assert.match(future.body, /must be today or earlier/)
    const early = await done({ decisionId: decision.id, completedOn: '2020-01-01' })
    assert.equal(early.statusCode, 400)
    assert.match(early.body, /on or after the Monday of the week the meeting took it/)
    assert.match(parse(early.body).querySelector('.govuk-error-summary')?.text ?? '', /on or after the Monday/)

    const source = t.deps.performanceSources.get('tasking:decisions-completed')
    assert.ok(source)
    const countDone = async () =>
      (await source.monthlyCounts(`${today.slice(0, 7)}-01`, today)).reduce((sum, count) => sum + count.total, 0)
    const before = await countDone()
    assert.equal((await done({ decisionId: decision.id, completedOn: '' })).statusCode, 303, 'empty means today')
    assert.equal(
      (await done({ decisionId: decision.id, completedOn: '' })).statusCode,
      303,
      'a second click is harmless',
    )
    assert.equal(await countDone(), before + 1)
    const events = await t.deps.audit.forSubject('intelligence_tasking_decision', decision.id)
    assert.deepEqual(
      events.map(event => event.action).filter(action => action.endsWith('COMPLETED')),
      ['INTELLIGENCE_TASKING_DECISION_COMPLETED'],
    )
    const after = await get('/intelligence/tasking', officer)
    assert.match(after.body, /Done on /)
    assert.doesNotMatch(after.body, /data-qa="decision-done-form"/, 'nothing left to mark done')
  })

  it('counts overdue actions as the officers’ home pages do, and says how many are on cases the reader cannot see', async () => {
    const owner = await createStaff(t.deps, { roles: ['officer'], teamCode: 'tasking-team' })
    const ownerSession = await signIn(t.app, t.deps, owner)
    const user = (await t.deps.accounts.repository.userById(owner.id))!
    const actor = { type: 'user' as const, id: owner.id }
    const opened = await t.deps.casework.openCase(
      {
        title: 'Noise from the flat above',
        category: 'noise_music',
        priority: 'medium',
        sensitivity: null,
        owningTeamId: user.teamId!,
        owningPartnerId: user.partnerId,
        leadOfficerId: owner.id,
        wardCode: null,
      },
      actor,
    )
    const twoDaysAgo = new Date(t.deps.clock.now().getTime() - 2 * 86_400_000).toISOString().slice(0, 10)
    const inTwoDays = new Date(t.deps.clock.now().getTime() + 2 * 86_400_000).toISOString().slice(0, 10)
    await t.deps.casework.createTask(
      {
        caseId: opened.id,
        title: 'Write to the landlord',
        ownerUserId: owner.id,
        dueDate: twoDaysAgo,
        sourceModule: 'casework',
      },
      actor,
    )
    await t.deps.casework.createTask(
      {
        caseId: opened.id,
        title: 'Call the resident',
        ownerUserId: owner.id,
        dueDate: inTwoDays,
        sourceModule: 'casework',
      },
      actor,
    )
    const home = await get('/staff', ownerSession)
    const overdueOnHome = parse(home.body)
      .querySelectorAll('[data-qa="overdue-tasks"] a')
      .map(a => a.text.trim())
    assert.deepEqual(overdueOnHome, ['Write to the landlord'])

    const pack = await get('/intelligence/tasking', ownerSession)
    const section = parse(pack.body)
      .querySelectorAll('h3')
      .find(heading => heading.text.trim() === 'Overdue actions')
    assert.ok(section)
    const rows = parse(pack.body)
      .querySelectorAll('[data-qa="tasking-section"]')
      .flatMap(table =>
        table.querySelectorAll('tbody tr').map(row => row.querySelectorAll('td').map(c => c.text.trim())),
      )
      .filter(row => row[0] === opened.reference)
    assert.deepEqual(
      rows.map(row => row[1]),
      ['Write to the landlord'],
    )
    assert.doesNotMatch(pack.body, /No overdue actions\./)
    // An officer of another team sees the same total, with the task counted among those on cases they cannot see.
    const other = await get('/intelligence/tasking', officer)
    assert.match(other.body, /due before today: 1 across the partnership, 1 of them on cases you cannot see/)
    assert.doesNotMatch(other.body, /Write to the landlord/)
  })

  it('prints the pack to PDF for staff', async () => {
    const response = await get('/intelligence/tasking.pdf', officer)
    assert.equal(response.statusCode, 200)
    assert.equal(response.headers['content-type'], 'application/pdf')
    const text = pdfText(response.rawPayload).replace(/\s+/g, ' ')
    assert.match(text, /Weekly tasking pack Week of \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d Police\.uk hotspots/)
    assert.match(
      text,
      /Tasking decisions this week, and earlier ones still to do Decision Owner Due Output Done Patrol Brick Lane on Friday nights NET Team/,
    )
    assert.match(text, /Page 1 of \d+/)
    assert.equal((await get('/intelligence/tasking.pdf')).statusCode, 303)
  })

  it('renders sections a registered provider supplies', async () => {
    t.deps.tasking.registerSectionProvider({
      id: 'test-casework',
      sections: async context => [
        {
          title: 'Repeat victims',
          head: ['Case', 'Reports'],
          rows: [['C-1', String(context.weekStart.length)]],
          empty: 'None',
        },
        { title: 'Overdue actions', head: ['Action'], rows: [], empty: 'No overdue actions.' },
      ],
    })
    const pack = await get('/intelligence/tasking', officer)
    assert.doesNotMatch(pack.body, /data-qa="tasking-no-provider"/)
    assert.match(pack.body, /Repeat victims/)
    assert.match(pack.body, /C-1/)
    assert.match(pack.body, /No overdue actions\./)
  })
})
