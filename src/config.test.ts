import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { ConfigError, describeConfig, loadConfig } from './config.js'

describe('config', () => {
  it('defaults to embedded PGlite on disk and port 3000', () => {
    const config = loadConfig({})
    assert.equal(config.port, 3000)
    assert.equal(config.database.kind, 'pglite')
    assert.match(config.database.kind === 'pglite' ? (config.database.dataDir ?? '') : '', /data\/pglite$/)
    assert.equal(config.demoData, true)
  })

  it('switches to PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db.example:5432/safer', PORT: '8080' })
    assert.deepEqual(config.database, { kind: 'postgres', url: 'postgres://u@db.example:5432/safer', poolMax: 10 })
    assert.equal(config.port, 8080)
  })

  it('names the variable when a value is invalid', () => {
    assert.throws(
      () => loadConfig({ PORT: 'three thousand' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.match(error.message, /PORT/)
        return true
      },
    )
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/)
    assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/)
  })

  it('refuses to start in production without its secrets, and turns the demo off', () => {
    assert.throws(() => loadConfig({ APP_ENV: 'production' }), /SESSION_SECRET/)
    const config = loadConfig({ APP_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) })
    assert.equal(config.demoData, false)
    // The demo accounts' password and authenticator key are published: asking for them in production is refused.
    assert.throws(
      () => loadConfig({ APP_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DEMO_DATA: 'true' }),
      /DEMO_DATA/,
    )
  })

  it('trusts no proxy unless TRUST_PROXY names them, and refuses a value it cannot read', () => {
    assert.equal(loadConfig({}).trustProxy, false)
    assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2)
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.5, 192.168.0.0/16,::1,fd00::/8,loopback' }).trustProxy, [
      '10.0.0.5',
      '192.168.0.0/16',
      '::1',
      'fd00::/8',
      'loopback',
    ])
    for (const bad of ['true', '10.0.0.300', '10.0.0.0/33', 'proxy.example', '10.0.0.1,', '50', '::1/129']) {
      assert.throws(
        () => loadConfig({ TRUST_PROXY: bad }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError, bad)
          assert.match(error.message, /^Invalid configuration:\n {2}- TRUST_PROXY: /, bad)
          return true
        },
      )
    }
    assert.ok(describeConfig().some(line => line.startsWith('TRUST_PROXY (default: "")')))
  })

  it('takes the CSP pack from CSP_PACK, then the deprecated GEOGRAPHY_PACK, then Tower Hamlets', () => {
    assert.match(loadConfig({}).cspPack, /reference-data\/tower-hamlets$/)
    assert.match(loadConfig({ GEOGRAPHY_PACK: 'packs/old' }).cspPack, /packs\/old$/)
    const both = loadConfig({ CSP_PACK: 'reference-data/city-of-london', GEOGRAPHY_PACK: 'packs/old' })
    assert.match(both.cspPack, /reference-data\/city-of-london$/)
    assert.equal(both.geographyPack, both.cspPack)
  })

  it('describes every key', () => {
    for (const line of describeConfig()) assert.match(line, /^[A-Z0-9_]+( \(default: .*\))?: .{10,}/)
  })
})
