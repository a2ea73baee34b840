import type { DemoSeeder } from '../../db/seeds/demo.js'
import type { ValidActivity } from './activity-validation.js'

/** Monthly activity for the demo: [type, yearly totals in 2018/19, 2017/18 and 2016/17, operation, partner]. */
const DEMO_ACTIVITY: [string, number, number, number, string | null, string][] = [
  ['people-trained', 1742, 1510, 1388, 'Prevent WRAP training', 'Prevent team'],
  ['training-session', 96, 88, 81, 'Prevent WRAP training', 'Prevent team'],
  ['cctv-incident', 254, 231, 262, null, 'Council CCTV control room'],
  ['cctv-arrest', 43, 37, 41, null, 'Metropolitan Police'],
  ['sanctuary-installation', 82, 49, 44, 'Sanctuary scheme', 'Domestic abuse service'],
  ['unlicensed-event-closed', 15, 11, 9, null, 'Noise and licensing team'],
  ['fixed-penalty', 46, 58, 63, null, 'THEOs'],
  ['test-purchase', 94, 70, 66, 'Knife test purchasing', 'Trading Standards'],
  ['test-purchase-failure', 9, 12, 14, 'Knife test purchasing', 'Trading Standards'],
]

/**
 * The demo outputs register: deterministic monthly records in the three financial years up to the deck (2016/17 to
 * 2018/19), spread over wards by the seeded generator, whose yearly totals are exactly the figures above (some
 * from the delivery reports, seeds 000 and 003). Invented distribution, marked as demo data.
 */
export const activityDemoSeeder: DemoSeeder = {
  name: 'activity',
  async seed(deps, random) {
    const types = await deps.activity.seedDefaults()
    const wards = deps.geography.wards()
    const records: ValidActivity[] = []
    for (const [typeCode, current, previous, earlier, operation, partner] of DEMO_ACTIVITY) {
      for (const [startYear, total] of [
        [2018, current],
        [2017, previous],
        [2016, earlier],
      ] as const) {
        // Split the year's total over its 12 months, then each month's share over one to three wards.
        let left = total
        for (let m = 0; m < 12 && left > 0; m += 1) {
          const monthsLeft = 12 - m
          const share = m === 11 ? left : Math.min(left, Math.round((left / monthsLeft) * (0.6 + random.next() * 0.8)))
          if (share <= 0) continue
          left -= share
          const month = ((3 + m) % 12) + 1
          const year = month >= 4 ? startYear : startYear + 1
          let monthLeft = share
          const parts = Math.min(monthLeft, random.int(1, 3))
          for (let p = 0; p < parts; p += 1) {
            const quantity = p === parts - 1 ? monthLeft : random.int(1, monthLeft - (parts - p - 1))
            monthLeft -= quantity
            const ward = random.chance(0.1) ? null : random.pick(wards)
            records.push({
              typeCode,
              occurredOn: `${String(year)}-${String(month).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`,
              wardCode: ward?.code ?? null,
              priorityId: null,
              quantity,
              operation,
              partner,
              evidence: 'Demo data: invented for the demonstration borough',
            })
          }
        }
      }
    }
    const saved = await deps.activity.insertDemo(records)
    return { types, records: saved }
  },
}

/**
 * The outputs register's recent years, dated relative to today: monthly records at about the 2018/19 pace through the
 * previous financial year and this one up to today, so this year's and last year's outputs have records behind them.
 * A seeder of its own, so the deck years above stay exactly as they were. Invented, marked as demo data.
 */
export const activityYearDemoSeeder: DemoSeeder = {
  name: 'activity-year',
  async seed(deps, random) {
    const wards = deps.geography.wards()
    const records: ValidActivity[] = []
    const today = deps.clock.now().toISOString().slice(0, 10)
    const [year, month] = today.split('-').map(Number) as [number, number]
    const thisYearStart = month >= 4 ? year : year - 1
    for (const [typeCode, current, , , operation, partner] of DEMO_ACTIVITY) {
      for (let m = 0; m < 24; m += 1) {
        const startYear = thisYearStart - 1 + Math.floor(m / 12)
        const monthOfYear = ((3 + (m % 12)) % 12) + 1
        const calendarYear = monthOfYear >= 4 ? startYear : startYear + 1
        const day = random.int(1, 28)
        const occurredOn = `${String(calendarYear)}-${String(monthOfYear).padStart(2, '0')}-${String(day).padStart(2, '0')}`
        if (occurredOn > today) break
        const quantity = Math.max(0, Math.round((current / 12) * (0.6 + random.next() * 0.8)))
        if (quantity === 0) continue
        const ward = random.chance(0.1) ? null : random.pick(wards)
        records.push({
          typeCode,
          occurredOn,
          wardCode: ward?.code ?? null,
          priorityId: null,
          quantity,
          operation,
          partner,
          evidence: 'Demo data: invented for the demonstration borough',
        })
      }
    }
    return { records: await deps.activity.insertDemo(records) }
  },
}
