import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'

import { Command } from 'commander'

import { EvaluationError, evaluateHotspotMethods, loadStreetPoints, readBoundary } from './hotspot-evaluation.js'
import { registerIntelligenceCommands } from './intelligence-cli.js'
import { STREET_HEADER } from './police-formats.js'

// A 500 m square study area with 50 m cells (100 cells); 2% of it is 2 cells.
const ORIGIN = { longitude: -0.09, latitude: 51.515 }
const KX = 111_320 * Math.cos((51.5175 * Math.PI) / 180)
const KY = 111_320
const lonLat = (x: number, y: number) => ({ longitude: ORIGIN.longitude + x / KX, latitude: ORIGIN.latitude + y / KY })
const square = [
  [0, 0],
  [500, 0],
  [500, 500],
  [0, 500],
  [0, 0],
].map(([x, y]) => {
  const p = lonLat(x ?? 0, y ?? 0)
  return [p.longitude, p.latitude]
})

interface Row {
  x: number
  y: number
  type: string
  month: string
}
const rows = (n: number, x: number, y: number, month: string, type = 'Burglary'): Row[] =>
  Array.from({ length: n }, () => ({ x, y, type, month }))

function streetCsv(points: Row[], extra: string[] = []): string {
  const lines = points.map(({ x, y, type, month }) => {
    const p = lonLat(x, y)
    return `,${month},Test Police,Test Police,${p.longitude.toFixed(6)},${p.latitude.toFixed(6)},On or near Test Street,,,${type},,`
  })
  return [STREET_HEADER.join(','), ...lines, ...extra].join('\n') + '\n'
}

describe('hotspots evaluate', () => {
  let dir: string
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-evaluate-'))
    fs.mkdirSync(path.join(dir, 'train'))
    fs.mkdirSync(path.join(dir, 'test'))
    fs.writeFileSync(path.join(dir, 'boundary.geojson'), JSON.stringify({ type: 'Polygon', coordinates: [square] }))
    // Training: a strong hotspot at (125, 125), a weaker one at (375, 375), singles elsewhere, shoplifting at (425, 75).
    fs.writeFileSync(
      path.join(dir, 'train', '2016-01-test-street.csv'),
      streetCsv(
        [
          ...rows(5, 125, 125, '2016-01'),
          ...rows(3, 375, 375, '2016-01'),
          ...rows(1, 25, 475, '2016-01'),
          ...rows(1, 475, 25, '2016-01'),
          ...rows(9, 425, 75, '2016-01', 'Shoplifting'),
        ],
        [',2016-01,Test Police,Test Police,,,No Location,,,Burglary,,', 'not,a,street,row'],
      ),
    )
    // Test: 4 at the strong hotspot, 2 at the weaker, 4 elsewhere in the area, 3 outside it (ignored).
    fs.writeFileSync(
      path.join(dir, 'test', '2016-02-test-street.csv'),
      streetCsv([
        ...rows(4, 125, 125, '2016-02'),
        ...rows(2, 375, 375, '2016-02'),
        ...rows(4, 225, 225, '2016-02'),
        ...rows(3, 900, 900, '2016-02'),
        ...rows(2, 425, 75, '2016-02', 'Shoplifting'),
      ]),
    )
  })
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('loads located rows of a crime type and counts what it leaves out', async () => {
    const all = await loadStreetPoints([path.join(dir, 'train')])
    assert.equal(all.points.length, 19)
    assert.equal(all.noLocation, 1)
    assert.equal(all.rejected, 1)
    const burglary = await loadStreetPoints([path.join(dir, 'train')], 'burglary')
    assert.equal(burglary.points.length, 10)
    assert.equal(burglary.otherTypes, 9)
  })

  it('scores the known answer: grid counts choose the two hotspots', async () => {
    const train = await loadStreetPoints([path.join(dir, 'train')], 'burglary')
    const test = await loadStreetPoints([path.join(dir, 'test')], 'burglary')
    const results = evaluateHotspotMethods({
      train: train.points,
      test: test.points,
      boundary: readBoundary(path.join(dir, 'boundary.geojson')),
      areaShare: 0.02,
    })
    const counts = results.find(result => result.method === 'grid-counts')
    assert.equal(counts?.testCrimes, 10, 'crimes outside the study area are not counted')
    assert.equal(counts?.hits, 6)
    assert.equal(counts?.areaShare, 0.02)
    assert.ok(Math.abs((counts?.pai ?? 0) - 30) < 1e-9)
    assert.deepEqual(
      results.map(result => result.method),
      ['grid-counts', 'kde', 'space-time'],
    )
    assert.throws(
      () =>
        evaluateHotspotMethods({
          train: [],
          test: test.points,
          boundary: readBoundary(path.join(dir, 'boundary.geojson')),
          areaShare: 0.02,
        }),
      EvaluationError,
    )
  })

  it('safer hotspots evaluate prints per method the cell size, cells chosen, hits and test count; --help says so', async () => {
    let output = ''
    const program = new Command('safer').exitOverride()
    registerIntelligenceCommands(program, {
      withImports: () => Promise.reject(new Error('evaluate needs no database')),
      geographyPack: () => dir,
      stdout: { write: (text: string) => (output += text) },
      stderr: { write: () => true },
    })
    const args = [
      'hotspots',
      'evaluate',
      '--train',
      path.join(dir, 'train'),
      '--test',
      path.join(dir, 'test', '2016-02-test-street.csv'),
      '--area-share',
      '0.02',
      '--boundary',
      path.join(dir, 'boundary.geojson'),
    ]
    await program.parseAsync([...args, '--crime-type', 'Burglary', '--format', 'json'], { from: 'user' })
    const results = JSON.parse(output) as Record<string, number | string>[]
    assert.deepEqual(Object.keys(results[0] ?? {}), [
      'method',
      'hitRate',
      'pai',
      'cellSize',
      'studyCells',
      'cellsSelected',
      'areaShare',
      'hits',
      'testCrimes',
    ])
    assert.equal(results[0]?.method, 'grid-counts')
    assert.equal(results[0]?.hitRate, 0.6)
    // Per method: the cell size, the cells chosen, and the hits over the test count that make the hit rate.
    for (const result of results) {
      assert.equal(result.cellSize, 50)
      assert.equal(result.cellsSelected, Math.round(0.02 * Number(result.studyCells)))
      assert.equal(Number(result.hits) / Number(result.testCrimes), result.hitRate)
    }
    assert.deepEqual(
      results.map(result => result.method),
      ['grid-counts', 'kde', 'space-time'],
    )

    output = ''
    await program.parseAsync(args, { from: 'user' })
    // Every crime type: the shoplifting cell (9 in training) and the strong hotspot (5) are chosen, holding
    // 2 + 4 of the 12 test crimes in the area.
    assert.match(output, /^Trained on 19 located crimes \(1 files\), tested on 15 \(1 files\)\./)
    assert.match(output, /grid-counts\s+50\.0%\s+25\.00\s+6\/12\s+2\.00%\s+\d+\/\d+ of 50 m/)

    let help = ''
    const evaluate = program.commands.find(command => command.name() === 'hotspots')?.commands[0]
    evaluate?.configureOutput({ writeOut: text => (help += text) }).outputHelp()
    assert.match(help, /cellsSelected\s+cells chosen/, '--help describes its own output')
    assert.match(help, /testCrimes\s+test crimes inside the study area/)
  })
})
