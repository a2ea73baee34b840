/**
 * Rate limits count by the client's address. X-Forwarded-For is believed only from the proxies TRUST_PROXY names:
 * without it, a client rotating the header is still one client; with it, the proxy's forwarded client is counted.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, type TestApp } from '../helpers/build-app.js'

const limits = {
  RATE_LIMIT_PUBLIC_PER_MINUTE: '100',
  RATE_LIMIT_SIGN_IN_PER_MINUTE: '10',
  OPEN311_KEY_RATE_PER_MINUTE: '30',
}

async function statuses(
  test: TestApp,
  count: number,
  request: (i: number) => { method?: 'GET' | 'POST'; url: string; remoteAddress: string; forwardedFor?: string },
): Promise<number[]> {
  const codes: number[] = []
  for (let i = 0; i < count; i++) {
    const { method = 'GET', url, remoteAddress, forwardedFor } = request(i)
    const response = await test.app.inject({
      method,
      url,
      remoteAddress,
      headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    })
    codes.push(response.statusCode)
  }
  return codes
}

const limited = (codes: number[]) => codes.filter(code => code === 429).length
const rotating = (i: number) => `203.0.113.${String(i % 250)}, 198.51.100.${String(i % 200)}`

describe('Integration: client addresses behind proxies', () => {
  describe('without TRUST_PROXY', () => {
    let test: TestApp
    before(async () => {
      test = await buildTestApp({ config: limits })
    })
    after(() => test.close())

    it('counts a client rotating X-Forwarded-For as one client on public pages', async () => {
      const codes = await statuses(test, 200, i => ({
        url: '/info',
        remoteAddress: '10.0.0.5',
        forwardedFor: rotating(i),
      }))
      assert.equal(codes.filter(code => code === 200).length, 100)
      assert.equal(limited(codes), 100)
    })

    it('counts it as one client at sign-in and on the keyed Open311 endpoints', async () => {
      // Refused for want of a CSRF token until the limiter, which runs first, answers 429.
      const signIn = await statuses(test, 20, i => ({
        method: 'POST',
        url: '/sign-in',
        remoteAddress: '10.0.0.7',
        forwardedFor: rotating(i),
      }))
      assert.equal(limited(signIn), 10)
      const open311 = await statuses(test, 40, i => ({
        url: '/open311/v2/servicerequestupdates.json',
        remoteAddress: '10.0.0.8',
        forwardedFor: rotating(i),
      }))
      assert.equal(limited(open311), 10)
      assert.equal(open311.filter(code => code === 403).length, 30, 'no key: refused, and counted per client')
    })
  })

  describe('with TRUST_PROXY set to the proxy address', () => {
    let test: TestApp
    before(async () => {
      test = await buildTestApp({ config: { ...limits, TRUST_PROXY: '10.0.0.5' } })
    })
    after(() => test.close())

    it('counts each forwarded client on its own', async () => {
      const codes = await statuses(test, 200, i => ({
        url: '/info',
        remoteAddress: '10.0.0.5',
        forwardedFor: `203.0.113.${String(i)}`,
      }))
      assert.equal(limited(codes), 0)
      const one = await statuses(test, 110, () => ({
        url: '/info',
        remoteAddress: '10.0.0.5',
        forwardedFor: '198.51.100.1',
      }))
      assert.equal(limited(one), 10, 'one forwarded client is limited however the proxy is shared')
    })

    it('ignores X-Forwarded-For from an address that is not the proxy', async () => {
      const codes = await statuses(test, 120, i => ({
        url: '/info',
        remoteAddress: '10.0.0.6',
        forwardedFor: rotating(i),
      }))
      assert.equal(limited(codes), 20)
    })
  })

  describe('with TRUST_PROXY set to a hop count', () => {
    let test: TestApp
    before(async () => {
      test = await buildTestApp({ config: { ...limits, TRUST_PROXY: '1' } })
    })
    after(() => test.close())

    it('counts the address the nearest proxy saw, whatever the client wrote before it', async () => {
      const codes = await statuses(test, 110, i => ({
        url: '/info',
        remoteAddress: '10.0.0.5',
        forwardedFor: `203.0.113.${String(i)}, 198.51.100.9`,
      }))
      assert.equal(limited(codes), 10)
    })
  })
})
