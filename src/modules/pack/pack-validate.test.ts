import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'

import { projectRoot } from '../../config.js'
import { PackError } from '../geography/index.js'
import { parseJsonWithLines, JsonSyntaxError } from './json-lines.js'
import { DEFAULT_CASE_REVIEW_POLICY } from '../case-review/index.js'
import { DEFAULT_POWERS_POLICY } from '../powers/index.js'
import { loadCspPack } from './pack-loader.js'
import { describeProblem, validatePack } from './pack-validate.js'
import { declaredSourceKeys } from '../../indicator-source-keys.js'

const towerHamlets = path.join(projectRoot, 'reference-data/tower-hamlets')

/** The 1-based line of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle)
  assert.ok(at >= 0, `${needle} is in the text`)
  return text.slice(0, at).split('\n').length
}

function edit(dir: string, file: string, change: (text: string) => string): string {
  const full = path.join(dir, file)
  const text = change(fs.readFileSync(full, 'utf8'))
  fs.writeFileSync(full, text)
  return text
}

describe('CSP pack validation', () => {
  let dir: string
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-pack-'))
    fs.cpSync(towerHamlets, dir, { recursive: true })
  })
  after(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('finds no problem in the Tower Hamlets pack, geography included', () => {
    const { problems, pack } = validatePack(towerHamlets)
    assert.deepEqual(problems.map(describeProblem), [])
    // The deck's 13, the 2021-24 plan's and 37 counted from records (35 added for issue 15).
    assert.equal(pack?.indicators?.indicators.length, 60)
    assert.equal(pack?.plan?.priorities.length, 8)
  })

  it('names every problem in a broken copy with its file and line', () => {
    const indicators = edit(dir, 'indicators.json', text =>
      text
        .replace('"unit": "percent"', '"unit": "per-cent"')
        .replace('"priorityId": "violence"', '"priorityId": "violent"'),
    )
    const plan = edit(dir, 'plan.json', text => text.replace('"asb-repeat-callers"', '"no-such-indicator"'))
    const historic = edit(dir, 'historic-values.json', text =>
      text.replace('"indicatorId": "knife-crime"', '"indicatorId": "knife-crimes"'),
    )
    const population = edit(dir, 'population-lsoa11-mid2020.csv', text => {
      const lines = text.split('\n')
      lines[4] = (lines[4] ?? '').replace(/,Tower Hamlets,\d+,/, ',Tower Hamlets,lots,')
      return lines.join('\n')
    })
    const wards = edit(dir, 'wards-2022.geojson', text => text.replace('"type": "Polygon"', '"type": "Point"'))
    edit(dir, 'pack.json', text => text.replace('"file": "lsoa-2021.geojson"', '"file": "lsoa-2021-missing.geojson"'))
    assert.ok(population.includes('lots'), 'the population file was broken')

    const { problems, pack } = validatePack(dir)
    assert.equal(pack, null)
    const found = problems.map(describeProblem)
    const expect = (file: string, line: number | null, words: RegExp) =>
      assert.ok(
        problems.some(problem => problem.file === file && problem.line === line && words.test(problem.message)),
        `${file}:${String(line)} ${String(words)} in\n${found.join('\n')}`,
      )
    expect('indicators.json', lineOf(indicators, '"per-cent"'), /unit must be one of "count", "percent"/)
    expect('plan.json', lineOf(plan, '"no-such-indicator"'), /no indicator "no-such-indicator"/)
    expect('historic-values.json', lineOf(historic, '"knife-crimes"'), /no indicator "knife-crimes"/)
    expect('population-lsoa11-mid2020.csv', 5, /"lots" is not a number/)
    expect('wards-2022.geojson', lineOf(wards, '"type": "Point"'), /is a Point, not a Polygon/)
    expect('lsoa-2021-missing.geojson', null, /missing/)
  })

  it('finds every count source key of both packs registered, and names an unknown one with its file and line', () => {
    const sourceKeys = declaredSourceKeys()
    for (const pack of ['tower-hamlets', 'city-of-london']) {
      const { problems } = validatePack(path.join(projectRoot, 'reference-data', pack), {
        geography: false,
        sourceKeys,
      })
      assert.deepEqual(problems.map(describeProblem), [], pack)
    }
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-pack-keys-'))
    try {
      fs.cpSync(path.join(projectRoot, 'reference-data/city-of-london'), copy, { recursive: true })
      const text = edit(copy, 'indicators.json', json => json.replace('"cases:opened"', '"cases:openned"'))
      const { problems } = validatePack(copy, { geography: false, sourceKeys })
      const described = problems.map(describeProblem)
      assert.equal(described.length, 1, described.join('\n'))
      assert.ok(
        described[0]?.startsWith(
          `indicators.json:${String(lineOf(text, '"cases:openned"'))}: indicator city-asb-cases-opened: no count ` +
            'source "cases:openned" is registered (see docs/performance-sources.md; cases: has cases:opened, ',
        ),
        described[0],
      )
      // Without the registry's keys (the start-up loader), the key is not judged.
      assert.deepEqual(validatePack(copy, { geography: false }).problems, [])
    } finally {
      fs.rmSync(copy, { recursive: true, force: true })
    }
  })

  it("names an indicator whose priority is not in the plan, once the file's schema holds", () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-pack-'))
    try {
      fs.cpSync(towerHamlets, copy, { recursive: true })
      const text = edit(copy, 'indicators.json', original =>
        original.replace('"priorityId": "violence"', '"priorityId": "violent"'),
      )
      const { problems } = validatePack(copy, { geography: false })
      assert.deepEqual(problems.map(describeProblem), [
        `indicators.json:${String(lineOf(text, '"violent"'))}: indicator domestic-abuse-offences: no priority "violent" in plan.json`,
      ])
    } finally {
      fs.rmSync(copy, { recursive: true, force: true })
    }
  })

  it("checks the public wording's example postcode: a postcode, and only in a pack with postcodes", () => {
    const cityOfLondon = path.join(projectRoot, 'reference-data/city-of-london')
    const copies: string[] = []
    const copyOf = (from: string) => {
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-pack-'))
      copies.push(copy)
      fs.cpSync(from, copy, { recursive: true })
      return copy
    }
    try {
      const tower = copyOf(towerHamlets)
      const bad = edit(tower, 'pack.json', text =>
        text.replace('"examplePostcode": "E1 1BJ"', '"examplePostcode": "E1 6ANX"'),
      )
      assert.deepEqual(validatePack(tower, { geography: false }).problems.map(describeProblem), [
        `pack.json:${String(lineOf(bad, '"E1 6ANX"'))}: publicWording.examplePostcode "E1 6ANX" is not a postcode`,
      ])
      // A real postcode, but not one of the borough's: the hint's example would be refused.
      const elsewhere = edit(tower, 'pack.json', text => text.replace('"E1 6ANX"', '"E1 6AN"'))
      assert.deepEqual(validatePack(tower, { geography: false }).problems.map(describeProblem), [
        `pack.json:${String(lineOf(elsewhere, '"E1 6AN"'))}: publicWording.examplePostcode "E1 6AN" is not in postcodes-codepoint-open-2014.csv: residents typing it would be refused`,
      ])

      const city = copyOf(cityOfLondon)
      const withExample = edit(city, 'pack.json', text =>
        text.replace('"publicWording": {', '"publicWording": {\n    "examplePostcode": "EC2V 7HH",'),
      )
      assert.deepEqual(validatePack(city, { geography: false }).problems.map(describeProblem), [
        `pack.json:${String(lineOf(withExample, '"EC2V 7HH"'))}: publicWording.examplePostcode needs "postcodes": a pack without them has no postcode box to give it`,
      ])

      assert.deepEqual(loadCspPack(towerHamlets).publicWording, {
        examplePostcode: 'E1 1BJ',
        contact: "the council's community safety team",
      })
    } finally {
      for (const copy of copies) fs.rmSync(copy, { recursive: true, force: true })
    }
  })

  it("names each fault of panels.json and of the demo's panel members with its file and line", () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-pack-'))
    try {
      fs.cpSync(towerHamlets, copy, { recursive: true })
      const panels = edit(copy, 'panels.json', original =>
        original
          .replace('"kind": "tension-monitoring"', '"kind": "tension-watching"')
          .replace('"code": "case-review"', '"code": "da-marac"')
          .replace('"minutesRestriction": "members"', '"minutesRestriction": "everyone"'),
      )
      const demo = edit(copy, 'demo.json', original =>
        original
          .replace('"tension-monitoring": [', '"tension-group": [')
          .replace('"youth-justice"]', '"youth-offending"]'),
      )
      const { problems, pack } = validatePack(copy, { geography: false })
      assert.equal(pack, null)
      const found = problems.map(describeProblem).sort()
      assert.deepEqual(
        found,
        [
          `panels.json:${String(lineOf(panels, '"everyone"'))}: minutesRestriction must be one of "members", "attendees"`,
          `panels.json:${String(lineOf(panels, '"tension-watching"'))}: kind must be one of "community-marac", "da-marac", "hate-incident", "case-review", "tension-monitoring"`,
          `demo.json:${String(lineOf(demo, '"case-review"'))}: panelMembers: no panel "case-review" in panels.json`,
          `demo.json:${String(lineOf(demo, '"tension-group"'))}: panelMembers: no panel "tension-group" in panels.json`,
          `demo.json:${String(lineOf(demo, '"youth-offending"'))}: panelMembers: the demo has no partner "youth-offending" (it has council, police, housing, health, probation, victim-support, youth-justice, fire)`,
        ].sort(),
      )
      // Once the schema holds, a code given twice is named at its second place.
      const fixed = edit(copy, 'panels.json', original =>
        original.replace('"tension-watching"', '"tension-monitoring"').replace('"everyone"', '"members"'),
      )
      const again = validatePack(copy, { geography: false }).problems.map(describeProblem)
      const second = fixed.indexOf('"code": "da-marac"', fixed.indexOf('"code": "da-marac"') + 1)
      assert.ok(
        again.includes(
          `panels.json:${String(fixed.slice(0, second).split('\n').length - 1)}: panel "da-marac" appears twice`,
        ),
        again.join('\n'),
      )
    } finally {
      fs.rmSync(copy, { recursive: true, force: true })
    }
  })

  it("hands the panels and the demo's panel members to the modules", () => {
    const pack = loadCspPack(towerHamlets)
    assert.deepEqual(
      pack.panels?.map(panel => panel.code),
      ['community-marac', 'da-marac', 'hate-incident-panel', 'case-review', 'tension-monitoring'],
    )
    assert.deepEqual(pack.demo.panelMembers['case-review'], ['council', 'police', 'housing', 'health'])
  })

  it('gives the line of a JSON syntax error', () => {
    const text = '{\n  "a": 1,\n  "b": [1, 2,,]\n}\n'
    assert.throws(
      () => parseJsonWithLines(text),
      (error: unknown) => error instanceof JsonSyntaxError && error.line === 3,
    )
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-pack-'))
    try {
      fs.cpSync(path.join(towerHamlets, 'pack.json'), path.join(broken, 'pack.json'))
      fs.writeFileSync(path.join(broken, 'plan.json'), '{\n  "priorities": [\n    { "id": "a" }\n  ],\n  oops\n}\n')
      const { problems } = validatePack(broken, { geography: false })
      assert.ok(
        problems.some(
          problem => problem.file === 'plan.json' && problem.line === 5 && problem.message.includes('not valid JSON'),
        ),
        problems.map(describeProblem).join('\n'),
      )
    } finally {
      fs.rmSync(broken, { recursive: true, force: true })
    }
  })

  it('locates values by JSON Pointer', () => {
    const located = parseJsonWithLines('{\n  "list": [\n    {"x": 1},\n    {\n      "y/z": "two"\n    }\n  ]\n}')
    assert.equal(located.lineOf('/list/0/x'), 3)
    assert.equal(located.lineOf('/list/1'), 4)
    assert.equal(located.lineOf('/list/1/y~1z'), 5)
    assert.equal(located.lineOf('/list/1/absent'), 4)
  })

  it('stops the start on a broken pack, naming the problems', () => {
    assert.throws(
      () => loadCspPack(dir),
      (error: unknown) =>
        error instanceof PackError &&
        /indicators\.json:\d+: unit must be one of/.test(error.message) &&
        error.message.includes('lsoa-2021-missing.geojson: the file is missing'),
    )
  })

  it('hands performance the plan with the format defaults filled in', () => {
    const pack = loadCspPack(towerHamlets)
    const cctv = pack.performance.indicators.find(indicator => indicator.id === 'cctv-arrests')
    assert.deepEqual(cctv?.source, { kind: 'activity', activityType: 'cctv-arrest' })
    assert.equal(cctv?.tolerancePct, 5)
    assert.equal(cctv?.stableBandPct, 2)
    assert.equal(cctv?.target, null)
    assert.match(pack.performance.historicValues[0]?.pairing ?? '', /the partnership's reading of the deck/)
    assert.equal(pack.hasPostcodes, true)
  })

  it("applies a pack's policy choices, with versions of their own, and names each choice the law does not allow", () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-pack-'))
    try {
      fs.cpSync(towerHamlets, copy, { recursive: true })
      edit(copy, 'pack.json', text =>
        text.replace('"plan": "plan.json",', '"plan": "plan.json",\n  "policies": "policies.json",'),
      )
      const good = {
        $comment: 'Local choices for a test.',
        caseReview: { minimumComplaints: 2, warnWorkingDays: 3 },
        powers: { rules: { cpw: { complianceDefaultDays: 28 }, 'pspo-fpn': { penaltyPence: 7500 } } },
      }
      fs.writeFileSync(path.join(copy, 'policies.json'), `${JSON.stringify(good, null, 2)}\n`)
      const { problems, pack } = validatePack(copy, { geography: false })
      assert.deepEqual(problems.map(describeProblem), [])
      const caseReview = pack?.policies.caseReview
      assert.equal(caseReview?.minimumComplaints, 2)
      assert.equal(caseReview?.timescales.outcome, DEFAULT_CASE_REVIEW_POLICY.timescales.outcome)
      assert.match(caseReview?.version ?? '', /^safer-case-review-2026\.1\+local\.[0-9a-f]{8}$/)
      const powers = pack?.policies.powers
      assert.match(powers?.version ?? '', /^asbcpa-2014\/2026\.2\+local\.[0-9a-f]{8}$/)
      assert.equal(powers?.rules.find(rule => rule.code === 'cpw')?.compliance?.defaultDays, 28)
      assert.equal(powers?.rules.find(rule => rule.code === 'cpw')?.compliance?.maxDays, 90)
      assert.equal(powers?.rules.find(rule => rule.code === 'pspo-fpn')?.penalty?.amountPence, 7500)
      assert.deepEqual(
        powers?.rules.find(rule => rule.code === 'cpn'),
        DEFAULT_POWERS_POLICY.rules.find(rule => rule.code === 'cpn'),
      )

      const bad = `{
  "caseReview": { "minimumComplaints": 4, "threshold": 2 },
  "powers": {
    "rules": {
      "cpw": { "complianceDefaultDays": 120 },
      "pspo-fpn": { "penaltyPence": 50000 },
      "cpn": { "minimumAge": 12 },
      "asbo": { "review": { "amount": 5, "unit": "days" } }
    }
  }
}
`
      fs.writeFileSync(path.join(copy, 'policies.json'), bad)
      const found = validatePack(copy, { geography: false })
      assert.equal(found.pack, null)
      assert.deepEqual(
        found.problems.map(describeProblem).sort(),
        [
          `policies.json:${String(lineOf(bad, '"minimumComplaints"'))}: minimumComplaints must be <= 3`,
          `policies.json:${String(lineOf(bad, '"threshold"'))}: "threshold" is not a field this file may have`,
          `policies.json:${String(lineOf(bad, '"minimumAge"'))}: "minimumAge" is not a field this file may have`,
        ].sort(),
      )
      fs.writeFileSync(path.join(copy, 'policies.json'), bad.replace('"cpn": { "minimumAge": 12 },\n      ', ''))
      const bounds = validatePack(copy, { geography: false }).problems.map(describeProblem)
      const text = fs.readFileSync(path.join(copy, 'policies.json'), 'utf8')
      assert.deepEqual(
        bounds.filter(problem => !problem.includes('minimumComplaints') && !problem.includes('threshold')),
        [
          `policies.json:${String(lineOf(text, '"complianceDefaultDays"'))}: complianceDefaultDays must be from 1 to 90`,
          `policies.json:${String(lineOf(text, '"penaltyPence"'))}: penaltyPence must be at most 10000 (the statutory maximum)`,
          `policies.json:${String(lineOf(text, '"asbo"'))}: there is no power "asbo" (powers are ${DEFAULT_POWERS_POLICY.rules.map(rule => rule.code).join(', ')})`,
        ],
      )
    } finally {
      fs.rmSync(copy, { recursive: true, force: true })
    }
  })

  it("names a letterhead or allocation rule the pack cannot use, and hands the modules the pack's choices", () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-pack-'))
    try {
      fs.cpSync(towerHamlets, copy, { recursive: true })
      const manifest = edit(copy, 'pack.json', text => text.replace('"phone": "020 7364 5000"', '"phone": "call us"'))
      assert.deepEqual(validatePack(copy, { geography: false }).problems.map(describeProblem), [
        `pack.json:${String(lineOf(manifest, '"phone"'))}: phone must match pattern "^\\+?[0-9][0-9 ]{5,19}$"`,
      ])
      edit(copy, 'pack.json', text => text.replace('"phone": "call us"', '"phone": "020 7364 5000"'))
      const demo = edit(copy, 'demo.json', text =>
        text.replace('"team": "asb-investigations"', '"team": "asb-team"').replace('"graffiti"', '"grafitti"'),
      )
      assert.deepEqual(validatePack(copy, { geography: false }).problems.map(describeProblem), [
        `demo.json:${String(lineOf(demo, '"grafitti"'))}: allocation rule 2: there is no report category "grafitti"`,
        `demo.json:${String(lineOf(demo, '"asb-team"'))}: allocation rule 4: the demo has no team "asb-team" (it has asb-investigations, enforcement, community-safety, police-partnership, housing-asb)`,
      ])
    } finally {
      fs.rmSync(copy, { recursive: true, force: true })
    }
    const towerHamletsPack = loadCspPack(towerHamlets)
    assert.equal(towerHamletsPack.letterhead?.organisation, 'London Borough of Tower Hamlets')
    assert.equal(towerHamletsPack.letterhead.phone, '020 7364 5000')
    assert.match(towerHamletsPack.letterhead.logoSrc ?? '', /^data:image\/svg\+xml;base64,/)
    assert.equal(towerHamletsPack.policies.powers, DEFAULT_POWERS_POLICY)
    assert.equal(towerHamletsPack.policies.caseReview, DEFAULT_CASE_REVIEW_POLICY)
    assert.deepEqual(
      towerHamletsPack.demo.allocationRules?.map(
        rule => `${String(rule.position)} ${rule.category ?? 'any'} ${rule.team}`,
      ),
      [
        '10 fly_tipping enforcement',
        '20 graffiti enforcement',
        '30 abandoned_vehicle enforcement',
        '100 any asb-investigations',
      ],
    )
    const city = loadCspPack(path.join(projectRoot, 'reference-data/city-of-london'))
    const cityLogo = fs.readFileSync(path.join(projectRoot, 'reference-data/city-of-london/letterhead-logo.svg'))
    assert.deepEqual(city.letterhead, {
      organisation: 'City of London Corporation',
      team: 'Community Safety Team',
      address: ['Guildhall', 'PO Box 270', 'London', 'EC2P 2EJ'],
      phone: '020 7606 3030',
      email: 'safercitypartnership@cityoflondon.gov.uk',
      website: 'https://www.cityoflondon.gov.uk',
      logo: 'letterhead-logo.svg',
      logoAlt: 'City of London Corporation',
      logoSrc: `data:image/svg+xml;base64,${cityLogo.toString('base64')}`,
    })
  })

  it('refuses a letterhead logo that is missing, not an image, or could run or fetch anything', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'safer-pack-'))
    try {
      fs.cpSync(towerHamlets, copy, { recursive: true })
      const manifest = fs.readFileSync(path.join(copy, 'pack.json'), 'utf8')
      const line = lineOf(manifest, '"logo"')
      const problemsWith = (logo: string, content?: string) => {
        if (content !== undefined) fs.writeFileSync(path.join(copy, logo), content)
        fs.writeFileSync(
          path.join(copy, 'pack.json'),
          manifest.replace('"logo": "letterhead-logo.svg"', `"logo": "${logo}"`),
        )
        return validatePack(copy, { geography: false }).problems.map(describeProblem)
      }
      assert.deepEqual(problemsWith('gone.svg'), [
        `pack.json:${String(line)}: letterhead.logo "gone.svg" is missing from the pack`,
      ])
      assert.deepEqual(problemsWith('logo.gif', 'GIF89a'), [
        `pack.json:${String(line)}: letterhead.logo "logo.gif" must be an .svg or .png file`,
      ])
      assert.deepEqual(problemsWith('fake.png', 'not a png'), [
        `pack.json:${String(line)}: letterhead.logo "fake.png" is not a PNG image`,
      ])
      assert.deepEqual(
        problemsWith(
          'bad.svg',
          '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.org/x.png"/></svg>',
        ),
        [
          `pack.json:${String(line)}: letterhead.logo "bad.svg" must not contain scripts, event handlers or links to other files`,
        ],
      )
      assert.deepEqual(problemsWith('letterhead-logo.svg'), [])
    } finally {
      fs.rmSync(copy, { recursive: true, force: true })
    }
  })
})
