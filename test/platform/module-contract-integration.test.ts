/**
 * The module contract end to end: a module the composition root lists is all the app needs to serve its routes (and
 * its API routes under /api/v1), and a refusal its service throws as a DomainError and no route translates is
 * answered in one place, with the error's status and its locale message, never the bare code or a 500.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import type { FastifyInstance, FastifyPluginAsync } from 'fastify'

import { buildApp } from '../../src/app.js'
import { createDependencies, knownRoles, type Dependencies } from '../../src/dependencies.js'
import { prepare } from '../../src/operations.js'
import { DomainError, VersionConflictError } from '../../src/platform/errors.js'
import { t } from '../../src/platform/i18n.js'
import { bindRoutes } from '../../src/platform/module-contract.js'
import { createTestDatabase } from '../helpers/database.js'

const refusals: FastifyPluginAsync = async app => {
  const open = { config: { access: 'public', audit: false } } as const
  app.get('/gone', open, async () => {
    throw new DomainError('withdrawn', { status: 410, messageKey: 'errors.refused' })
  })
  app.get('/changed', open, async () => {
    throw new VersionConflictError('case')
  })
  app.get('/refused', open, async () => {
    throw new DomainError('not-yours', { status: 403 })
  })
}

describe('Integration: the module contract', () => {
  let app: FastifyInstance
  let deps: Dependencies
  let drop: () => Promise<void>

  before(async () => {
    const test = await createTestDatabase()
    drop = test.drop
    deps = await createDependencies(test.config, { database: test.database })
    await prepare(deps, { seedDemo: false })
    deps.modules.push({
      name: 'contract-test',
      routes: [
        bindRoutes(refusals, {}, { prefix: '/contract-test' }),
        bindRoutes(refusals, {}, { prefix: '/contract-test', api: true }),
      ],
    })
    app = await buildApp(deps)
  })

  after(async () => {
    await app.close()
    await deps.pdf.close()
    await drop()
  })

  it('serves a declared module’s pages, and its API routes under /api/v1', async () => {
    const page = await app.inject({ method: 'GET', url: '/contract-test/gone' })
    assert.equal(page.statusCode, 410)
    assert.match(String(page.headers['content-type']), /text\/html/)
    const api = await app.inject({ method: 'GET', url: '/api/v1/contract-test/gone' })
    assert.equal(api.statusCode, 410)
    assert.match(String(api.headers['content-type']), /application\/json/)
  })

  it('answers an untranslated domain error with its status and locale message, never its code', async () => {
    const gone = await app.inject({ method: 'GET', url: '/api/v1/contract-test/gone' })
    assert.deepEqual(gone.json(), { statusCode: 410, error: 'Gone', message: t('errors.refused') })

    const changed = await app.inject({ method: 'GET', url: '/api/v1/contract-test/changed' })
    assert.equal(changed.statusCode, 409)
    assert.equal(changed.json<{ message: string }>().message, t('errors.versionConflict'))

    const refused = await app.inject({ method: 'GET', url: '/contract-test/refused' })
    assert.equal(refused.statusCode, 403)
    assert.doesNotMatch(refused.body, /not-yours/)
  })

  it('declares every navigation entry, tile and case panel with roles Safer has', () => {
    assert.throws(() => knownRoles(['officer', 'ofiser'], 'Cases'), /"Cases" names roles Safer does not have: ofiser/)
    assert.deepEqual(knownRoles(['officer'], 'Cases'), ['officer'])
    for (const module of deps.modules) {
      for (const entry of module.navigation ?? []) knownRoles(entry.roles, entry.text)
      for (const panel of module.casePanels ?? []) knownRoles(panel.roles, panel.text)
    }
  })
})
