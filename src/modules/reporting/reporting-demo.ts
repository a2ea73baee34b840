/**
 * Demo reports: about 300 synthetic reports over the last 18 months, spread across wards and categories, entered
 * through the intake service (so flags, references and audit are real) with the demo's seeded random numbers.
 * Everything personal is invented; points are real postcodes of the borough (or, without postcodes, points in its wards).
 */
import type { DemoSeeder } from '../../db/seeds/demo.js'
import type { IntakeInput } from './intake-schema.js'
import { newTrackingCode } from './reference.js'
import { CATEGORIES } from './taxonomy.js'
import type { StatusChange } from './report-service.js'

export const DEMO_REPORT_COUNT = 300
const DAY = 24 * 60 * 60 * 1000

const WEIGHTS: Record<string, number> = {
  noise_music: 10,
  drug_dealing: 9,
  groups_nuisance: 8,
  fly_tipping: 8,
  nitrous_oxide: 6,
  street_drinking: 5,
  vehicle_nuisance: 6,
  harassment: 4,
  neighbour_nuisance: 5,
  graffiti: 4,
}

const DESCRIPTIONS: Record<string, string> = {
  noise: 'Loud noise late at night, most nights this week.',
  personal: 'The same people shout at us when we leave the building.',
  drugs: 'People gathering by the stairwell, dealing and using. Canisters and litter left behind.',
  groups: 'A group blocks the entrance and is rowdy in the evenings.',
  vehicles: 'Mopeds and motorbikes racing along the estate road.',
  environmental: 'Rubbish and damage left on the corner again.',
  animals: 'A dog off the lead rushing at children.',
  weapons: 'Fireworks set off at people late at night.',
  property: 'Lots of visitors at all hours to one flat, with noise and fights.',
  other: 'Ongoing problem on the estate that affects everyone.',
}

const FIRST = ['Alex', 'Sam', 'Jordan', 'Priya', 'Mohammed', 'Fatima', 'Chris', 'Nadia', 'Tom', 'Aisha']
const LAST = ['Ahmed', 'Begum', 'Smith', 'Khan', 'Jones', 'Miah', 'Brown', 'Patel', 'Rahman', 'Taylor']

const STATUS_PATH: StatusChange[][] = [
  [],
  [{ status: 'assessed' }],
  [{ status: 'assessed' }, { status: 'in_progress', publicNote: 'An officer has been assigned and will visit.' }],
  [{ status: 'assessed' }, { status: 'action_taken', publicNote: 'Patrols increased at the location.' }],
  [{ status: 'assessed' }, { status: 'closed', closureReason: 'resolved', publicNote: 'The behaviour has stopped.' }],
  [{ status: 'closed', closureReason: 'not_asb', publicNote: 'This was normal household noise at reasonable hours.' }],
  [
    { status: 'assessed' },
    { status: 'closed', closureReason: 'referred', referredAgency: 'Metropolitan Police Service' },
  ],
]

type Place = { postcode: string } | { latitude: number; longitude: number }

/**
 * Where demo reports happen: the borough's postcodes, or, for a CSP pack without postcodes (the City of London),
 * points on a grid over each ward that fall inside it. Deterministic either way.
 */
export async function demoPlaces(deps: Parameters<DemoSeeder['seed']>[0]): Promise<Place[]> {
  const postcodes = await deps.database.db
    .selectFrom('postcode')
    .select(['display'])
    .where('ward_code', 'is not', null)
    .orderBy('postcode')
    .execute()
  if (postcodes.length > 0) return postcodes.map(row => ({ postcode: row.display }))
  const places: Place[] = []
  for (const ward of deps.geography.wardGeometries()) {
    const geometry = ward.geometry
    const positions = geometry.type === 'Polygon' ? geometry.coordinates.flat() : geometry.coordinates.flat(2)
    const longitudes = positions.map(position => position[0])
    const latitudes = positions.map(position => position[1])
    const [west, east] = [Math.min(...longitudes), Math.max(...longitudes)]
    const [south, north] = [Math.min(...latitudes), Math.max(...latitudes)]
    for (let x = 1; x < 6; x++)
      for (let y = 1; y < 6; y++) {
        const point = { longitude: west + ((east - west) * x) / 6, latitude: south + ((north - south) * y) / 6 }
        if (deps.geography.locate(point)?.ward.code === ward.code) places.push(point)
      }
  }
  return places
}

export const reportingDemoSeeder: DemoSeeder = {
  name: 'reporting',
  async seed(deps, random) {
    const { intake, reports } = deps.reporting
    const places = await demoPlaces(deps)
    if (places.length === 0) return { reports: 0, statusChanges: 0 }
    const now = deps.clock.now().getTime()
    const weighted = CATEGORIES.map(category => [category.code, WEIGHTS[category.code] ?? 2] as const)
    const regulars = Array.from({ length: 12 }, (_, index) => ({
      name: `${random.pick(FIRST)} ${random.pick(LAST)}`,
      email: `demo.resident${String(index + 1)}@example.org`,
      place: random.pick(places),
    }))
    // Oldest first, so repeat and duplicate flags see earlier reports as they would have happened.
    const times = Array.from(
      { length: DEMO_REPORT_COUNT },
      () => now - random.int(1, 548) * DAY - random.int(0, 86_399) * 1000,
    ).sort((a, b) => a - b)
    let created = 0
    let updates = 0
    for (const [index, time] of times.entries()) {
      const receivedAt = new Date(time)
      const category = random.weighted(weighted)
      const group = CATEGORIES.find(item => item.code === category)?.group ?? 'other'
      const regular = random.chance(0.25) ? random.pick(regulars) : undefined
      const mode = regular
        ? 'named'
        : random.weighted([
            ['named', 4],
            ['confidential', 3],
            ['anonymous', 3],
          ] as const)
      const targeted = group === 'personal' ? 'yes' : 'no'
      const input: IntakeInput = {
        channel: random.weighted([
          ['web', 6],
          ['phone', 3],
          ['partner', 1],
        ] as const),
        idempotencyKey: `demo-report:${String(index).padStart(4, '0')}`,
        receivedAt: receivedAt.toISOString(),
        category: category,
        location: { ...(regular && random.chance(0.7) ? regular.place : random.pick(places)) },
        occurredOn: new Date(time - random.int(0, 3) * DAY).toISOString().slice(0, 10),
        pattern: random.chance(0.6) ? 'ongoing' : 'one_off',
        description: DESCRIPTIONS[group] ?? DESCRIPTIONS.other ?? '',
        impact: {
          reporterRole: random.weighted([
            ['victim', 6],
            ['witness', 3],
            ['on_behalf', 1],
          ] as const),
          howOften: random.pick(['first_time', 'a_few_times', 'regularly'] as const),
          unsafeAtHome: random.chance(0.15) ? 'yes' : 'no',
          healthAffected: random.chance(0.2) ? 'yes' : 'no',
          targeted,
          characteristics:
            targeted === 'yes' && random.chance(0.3) ? [random.pick(['race', 'religion', 'disability'] as const)] : [],
        },
        reporter:
          mode === 'anonymous'
            ? { mode, contactPreference: 'none', consentToShare: random.chance(0.5) }
            : {
                mode,
                name: regular?.name ?? `${random.pick(FIRST)} ${random.pick(LAST)}`,
                email: regular?.email ?? `demo.reporter${String(index)}@example.org`,
                contactPreference: 'email',
                consentToShare: true,
              },
      }
      if (input.pattern === 'ongoing')
        input.frequency = random.pick(['daily', 'several_times_a_week', 'weekly'] as const)
      input.trackingCode = newTrackingCode({ secret: 'demo', key: input.idempotencyKey ?? '' })
      const result = await intake.submit(
        input,
        { type: 'system', id: 'demo-seeder' },
        { referenceRandom: max => Math.floor(random.next() * max) },
      )
      if (!result.created) continue
      created++
      // Older reports have moved further along; the newest are still "received".
      const ageDays = (now - time) / DAY
      const path =
        ageDays < 3 ? [] : ageDays < 20 ? random.pick(STATUS_PATH.slice(0, 4)) : random.pick(STATUS_PATH.slice(1))
      for (const [step, change] of path.entries()) {
        const at = new Date(Math.min(now, time + (step + 1) * random.int(1, 6) * DAY))
        await reports.changeStatus(result.report.reference, change, { type: 'system', id: 'demo-seeder' }, { at })
        updates++
      }
    }
    return { reports: created, statusChanges: updates }
  },
}
