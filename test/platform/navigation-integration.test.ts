/**
 * The staff service navigation: a handful of sections in the order of the work, each shown only to the roles that
 * can use it, with the section current anywhere under it; a section's own pages in a row of links beneath.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { parse } from 'node-html-parser'

import { buildTestApp, type TestApp } from '../helpers/build-app.js'
import { createStaff, signIn, type StaffSession } from '../helpers/staff.js'

describe('Integration: staff navigation', () => {
  let t: TestApp
  let administrator: StaffSession
  let officer: StaffSession
  before(async () => {
    t = await buildTestApp()
    administrator = await signIn(t.app, t.deps, await createStaff(t.deps, { roles: ['administrator', 'supervisor'] }))
    officer = await signIn(t.app, t.deps, await createStaff(t.deps, { roles: ['officer'] }))
  })
  after(() => t.close())

  async function page(session: StaffSession, url: string) {
    const response = await t.app.inject({ method: 'GET', url, headers: { cookie: session.cookie } })
    assert.equal(response.statusCode, 200, url)
    const html = parse(response.body)
    const link = (selector: string) =>
      html.querySelectorAll(selector).map(a => ({
        text: a.text.trim(),
        current:
          a.getAttribute('aria-current') === 'page' ||
          a.closest('li')?.classList.contains('govuk-service-navigation__item--active') === true,
      }))
    return {
      service: link('.govuk-service-navigation__list a'),
      section: link('[data-qa="section-navigation"] a'),
    }
  }

  it('gives each role its sections, in the order of the work', async () => {
    const admin = await page(administrator, '/staff')
    assert.deepEqual(
      admin.service.map(item => item.text),
      [
        'Home',
        'Triage',
        'Cases',
        'People and places',
        'Panels',
        'Case reviews',
        'Intelligence',
        'PSPOs',
        'Performance',
        'Administration',
      ],
    )
    const officers = await page(officer, '/staff')
    assert.ok(!officers.service.some(item => item.text === 'Administration'))
    assert.ok(officers.service.some(item => item.text === 'Triage'))
    assert.ok(officers.service.some(item => item.text === 'People and places'))
  })

  it('marks the section current on any of its pages, and lists the section pages the role may use', async () => {
    const when = await page(administrator, '/intelligence/when')
    assert.deepEqual(
      when.service.filter(item => item.current).map(item => item.text),
      ['Intelligence'],
    )
    assert.deepEqual(
      when.section.map(item => item.text),
      ['Tasking pack', 'Hotspots', 'When reports happen', 'Stop and search', 'Import police data'],
    )
    assert.deepEqual(
      when.section.filter(item => item.current).map(item => item.text),
      ['When reports happen'],
    )
    const officers = await page(officer, '/intelligence/tasking')
    assert.ok(!officers.section.some(item => item.text === 'Import police data'))

    const rules = await page(administrator, '/admin/allocation-rules')
    assert.deepEqual(
      rules.service.filter(item => item.current).map(item => item.text),
      ['Administration'],
    )
  })
})
