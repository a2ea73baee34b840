import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'

/** The "per-client rate limit with a friendly page", on the resident journey, with a small limit. */
describe('Integration: the journey rate limit', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp({ config: { RATE_LIMIT_PUBLIC_PER_MINUTE: '8' } })
  })
  after(async () => {
    await t.close()
  })

  it('answers a client over the limit with the friendly GOV.UK page and Retry-After, and others are unaffected', async () => {
    const from = (ip: string) => ({ method: 'GET' as const, url: '/report/what', remoteAddress: ip })
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) statuses.push((await t.app.inject(from('203.0.113.7'))).statusCode)
    assert.ok(
      statuses.slice(0, 8).every(status => status === 200),
      statuses.join(','),
    )
    assert.ok(
      statuses.slice(8).every(status => status === 429),
      statuses.join(','),
    )

    const limited = await t.app.inject(from('203.0.113.7'))
    assert.equal(limited.statusCode, 429)
    assert.match(String(limited.headers['content-type']), /text\/html/)
    assert.ok(limited.headers['retry-after'], 'says when to try again')
    assert.match(limited.body, /<h1 class="govuk-heading-l">/)
    assert.match(limited.body, /999/, 'the page still gives the emergency number')
    assert.doesNotMatch(limited.body, /Error:|stack|at /)

    const posted = await t.app.inject({
      method: 'POST',
      url: '/report/what',
      remoteAddress: '203.0.113.7',
      payload: 'category=graffiti',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    assert.equal(posted.statusCode, 429, 'posts are limited too, before anything is stored')

    assert.equal((await t.app.inject(from('198.51.100.20'))).statusCode, 200, 'another client is not limited')
  })
})
