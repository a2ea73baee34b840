import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { bindRoutes, collectModules, type SaferModule } from './module-contract.js'

const allow = async () => ({ visible: true, permitted: true, restrictions: [] })
const noRoutes = async () => {
  // A module may declare a plugin that registers nothing yet.
}

describe('collectModules', () => {
  const a: SaferModule = {
    name: 'a',
    navigation: [{ href: '/a', text: 'A', order: 20 }],
    homeTiles: [{ href: '/a', title: 'A', description: 'a', order: 2 }],
    casePanels: [{ text: 'A', href: id => `/a/${id}`, order: 5 }],
    indicatorSources: [{ key: 'a:all', name: 'A', module: 'a', monthlyCounts: async () => [] }],
    resourceGuards: { thing: allow },
  }
  const b: SaferModule = {
    name: 'b',
    routes: [bindRoutes(noRoutes, {}, { api: true, prefix: '/b' })],
    navigation: [{ href: '/b', text: 'B', order: 10 }],
    homeTiles: [{ href: '/b', title: 'B', description: 'b', order: 1 }],
    casePanels: [{ text: 'B', href: id => `/b/${id}`, order: 1 }],
  }

  it('orders every list by the order each module declares, whatever the order of the modules', () => {
    const collected = collectModules([a, b])
    assert.deepEqual(
      collected.navigation.map(entry => entry.text),
      ['B', 'A'],
    )
    assert.deepEqual(
      collected.homeTiles.map(tile => tile.title),
      ['B', 'A'],
    )
    assert.deepEqual(
      collected.casePanels.map(panel => panel.href('7')),
      ['/b/7', '/a/7'],
    )
    assert.deepEqual(
      collected.indicatorSources.map(source => source.key),
      ['a:all'],
    )
    assert.deepEqual(Object.keys(collected.guards), ['thing'])
    assert.equal(collected.routes.length, 1)
    assert.equal(collected.routes[0]?.prefix, '/b')
    assert.equal(collected.routes[0]?.api, true)
  })

  it('refuses a module declared twice, and two guards for one record type', () => {
    assert.throws(() => collectModules([a, a]), /Module declared twice: a/)
    assert.throws(
      () => collectModules([a, { name: 'c', resourceGuards: { thing: allow } }]),
      /Two modules guard the resource type "thing"/,
    )
  })
})
