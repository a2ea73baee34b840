import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { createStaff, signIn, type StaffSession } from '../../../test/helpers/staff.js'
import { systemActor } from '../../platform/audit.js'
import { enforcementDemoSeeder } from './enforcement-demo.js'
import { orderAppliesAt } from './pspo-area.js'
import { startPspoReviewSchedule } from './pspo-schedule.js'
import { createRandom } from '../../db/seeds/random.js'

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

describe('Integration: PSPO register', () => {
  let t: TestApp
  let admin: StaffSession
  let policeOfficer: StaffSession
  let wards: { code: string; name: string }[]

  before(async () => {
    t = await buildTestApp()
    admin = await signIn(t.app, t.deps, await createStaff(t.deps, { roles: ['administrator'] }))
    policeOfficer = await signIn(
      t.app,
      t.deps,
      await createStaff(t.deps, { roles: ['officer'], partnerCode: 'police', partnerKind: 'police' }),
    )
    wards = t.deps.geography.wards().map(({ code, name }) => ({ code, name }))
  })
  after(async () => {
    await t.close()
  })

  function orderForm(session: StaffSession, submissionId: string, changes: Record<string, string | string[]> = {}) {
    const fields: Record<string, string | string[]> = {
      _csrf: session.token,
      submissionId,
      title: 'Nitrous oxide order',
      prohibitions: 'Inhaling nitrous oxide for intoxication\nDiscarding canisters',
      requirements: 'Surrender nitrous oxide when asked',
      wards: [wards[0]?.code ?? '', wards[1]?.code ?? ''],
      signage: 'Nitrous oxide use prohibited in this area',
      'consultationStart-day': '1',
      'consultationStart-month': '6',
      'consultationStart-year': '2026',
      'consultationEnd-day': '31',
      'consultationEnd-month': '7',
      'consultationEnd-year': '2026',
      consultees: 'Metropolitan Police; MOPAC; residents',
      consultationSummary: 'Residents and police supported the order.',
      'madeOn-day': '1',
      'madeOn-month': '9',
      'madeOn-year': '2026',
      'inForceFrom-day': '15',
      'inForceFrom-month': '9',
      'inForceFrom-year': '2026',
      'expiresOn-day': '',
      'expiresOn-month': '',
      'expiresOn-year': '',
      ...changes,
    }
    const params = new URLSearchParams()
    for (const [name, value] of Object.entries(fields)) {
      for (const one of Array.isArray(value) ? value : [value]) params.append(name, one)
    }
    return params.toString()
  }

  async function countOrders(): Promise<number> {
    const row = await t.deps.database.db
      .selectFrom('pspo_order')
      .select(eb => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  let orderId = ''
  let reference = ''

  it('an administrator records an order over two wards once, even when the form is posted twice', async () => {
    const before = await countOrders()
    const submissionId = '0b3c1e4e-1111-4222-8333-444455556666'
    let location = ''
    for (let i = 0; i < 2; i += 1) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/enforcement/pspos/new',
        headers: { cookie: admin.cookie, ...FORM },
        payload: orderForm(admin, submissionId),
      })
      assert.equal(response.statusCode, 303, response.body.slice(0, 400))
      location = String(response.headers.location)
    }
    assert.equal(await countOrders(), before + 1)
    orderId = /\/enforcement\/pspos\/([0-9a-f-]{36})/.exec(location)?.[1] ?? ''
    const order = await t.deps.pspos.get(orderId)
    assert.ok(order)
    reference = order.reference
    assert.match(reference, /^PSPO-2026-\d{3}$/)
    assert.equal(order.expiresOn, '2029-08-31')
    assert.deepEqual(order.wardCodes, [wards[0]?.code, wards[1]?.code])
    assert.equal(order.area.type, 'MultiPolygon')
    assert.ok(order.area.coordinates.length >= 2)
    // The stored union holds a point inside each chosen ward, and not one in a ward left out, nor outside the dates.
    const inside = (code: string) => {
      const ward = t.deps.geography.wardGeometries().find(geometry => geometry.code === code)
      assert.ok(ward)
      const ring =
        (ward.geometry.type === 'Polygon' ? ward.geometry.coordinates[0] : ward.geometry.coordinates[0]?.[0]) ?? []
      const mean = (axis: 0 | 1) => ring.reduce((sum, position) => sum + position[axis], 0) / ring.length
      const [lng, lat] = ring[0] ?? [0, 0]
      // A vertex of the ward's boundary, moved a little towards the middle of its outline.
      return { longitude: lng + (mean(0) - lng) * 0.05, latitude: lat + (mean(1) - lat) * 0.05 }
    }
    for (const ward of wards.slice(0, 2)) {
      const point = inside(ward.code)
      assert.deepEqual(t.deps.geography.locate(point)?.ward.code, ward.code)
      assert.deepEqual(orderAppliesAt(order, point, '2026-10-01'), { applies: true })
      assert.deepEqual(orderAppliesAt(order, point, '2026-09-14'), { applies: false, reason: 'outside-period' })
    }
    const elsewhere = wards
      .slice(2)
      .map(ward => inside(ward.code))
      .find(point => t.deps.geography.locate(point))
    assert.ok(elsewhere)
    assert.deepEqual(orderAppliesAt(order, elsewhere, '2026-10-01'), { applies: false, reason: 'outside-area' })
    const page = await t.app.inject({ method: 'GET', url: location, headers: { cookie: admin.cookie } })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /data-qa="pspo-done"/)
    assert.match(page.body, /Inhaling nitrous oxide for intoxication/)
    const audit = await t.deps.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('subject_id', '=', orderId)
      .execute()
    assert.deepEqual(
      audit.map(row => row.action),
      ['pspo.made'],
    )
  })

  it('shows the order in force on the public list and its public page, with the wards named and the map', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/public-spaces-protection-orders' })
    assert.equal(list.statusCode, 200)
    assert.match(list.body, new RegExp(`/public-spaces-protection-orders/${reference}`))
    const page = await t.app.inject({ method: 'GET', url: `/public-spaces-protection-orders/${reference}` })
    assert.equal(page.statusCode, 200)
    for (const ward of wards.slice(0, 2)) assert.ok(page.body.includes(ward.name), ward.name)
    assert.match(page.body, /Nitrous oxide use prohibited in this area/)
    assert.equal((page.body.match(/safer-map__area--highlighted/g) ?? []).length, 2)
    assert.match(page.body, new RegExp(`data-area-url="/public-spaces-protection-orders/${reference}/area.geojson"`))
    const area = await t.app.inject({
      method: 'GET',
      url: `/public-spaces-protection-orders/${reference}/area.geojson`,
    })
    assert.equal(area.statusCode, 200)
    assert.match(String(area.headers['content-type']), /application\/geo\+json/)
    assert.equal(area.json<{ geometry: { type: string } }>().geometry.type, 'MultiPolygon')
    const missing = await t.app.inject({ method: 'GET', url: '/public-spaces-protection-orders/PSPO-1999-999' })
    assert.equal(missing.statusCode, 404)
  })

  it('re-shows the form with 400 and the error summary: expiry over 3 years, no wards', async () => {
    const before = await countOrders()
    const response = await t.app.inject({
      method: 'POST',
      url: '/enforcement/pspos/new',
      headers: { cookie: admin.cookie, ...FORM },
      payload: orderForm(admin, '0b3c1e4e-2222-4222-8333-444455556666', {
        wards: [],
        'expiresOn-day': '2',
        'expiresOn-month': '9',
        'expiresOn-year': '2029',
      }),
    })
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /govuk-error-summary/)
    assert.match(response.body, /An order can last at most 3 years/)
    assert.match(response.body, /Select at least one ward/)
    assert.match(response.body, /value="Nitrous oxide order"/)
    assert.equal(await countOrders(), before)
  })

  it('lets other partners read the register but not make or change orders', async () => {
    const register = await t.app.inject({
      method: 'GET',
      url: '/enforcement/pspos',
      headers: { cookie: policeOfficer.cookie },
    })
    assert.equal(register.statusCode, 200)
    assert.match(register.body, new RegExp(reference))
    assert.doesNotMatch(register.body, /data-qa="pspo-new"/)
    const form = await t.app.inject({
      method: 'GET',
      url: '/enforcement/pspos/new',
      headers: { cookie: policeOfficer.cookie },
    })
    assert.equal(form.statusCode, 403)
    const post = await t.app.inject({
      method: 'POST',
      url: `/enforcement/pspos/${orderId}/discharge`,
      headers: { cookie: policeOfficer.cookie, ...FORM },
      payload: new URLSearchParams({ _csrf: policeOfficer.token, reason: 'x' }).toString(),
    })
    assert.equal(post.statusCode, 403)
    const signedOut = await t.app.inject({ method: 'GET', url: '/enforcement/pspos' })
    assert.notEqual(signedOut.statusCode, 200)
  })

  it('extends by at most 3 years from the extension, varies, and discharges no earlier than the making', async () => {
    const post = (kind: string, fields: Record<string, string | string[]>) => {
      const params = new URLSearchParams({ _csrf: admin.token })
      for (const [name, value] of Object.entries(fields))
        for (const one of Array.isArray(value) ? value : [value]) params.append(name, one)
      return t.app.inject({
        method: 'POST',
        url: `/enforcement/pspos/${orderId}/${kind}`,
        headers: { cookie: admin.cookie, ...FORM },
        payload: params.toString(),
      })
    }
    const date = (name: string, iso: string) => {
      const [y = '', m = '', d = ''] = iso.split('-')
      return { [`${name}-day`]: d, [`${name}-month`]: m, [`${name}-year`]: y }
    }
    const tooLong = await post('extend', {
      ...date('occurredOn', '2026-11-01'),
      ...date('newExpiry', '2029-11-02'),
      reason: 'Reviewed',
    })
    assert.equal(tooLong.statusCode, 400)
    assert.match(tooLong.body, /An extension can be for at most 3 years/)
    const extendId = '0b3c1e4e-3333-4222-8333-444455556666'
    for (let i = 0; i < 2; i += 1) {
      const extended = await post('extend', {
        ...date('occurredOn', '2026-11-01'),
        ...date('newExpiry', '2029-11-01'),
        reason: 'Reviewed with the police',
        submissionId: extendId,
      })
      assert.equal(extended.statusCode, 303)
    }
    assert.equal((await t.deps.pspos.get(orderId))?.expiresOn, '2029-11-01')
    const varied = await post('vary', {
      ...date('occurredOn', '2026-11-10'),
      reason: 'Hotspot moved',
      prohibitions: 'Inhaling nitrous oxide for intoxication',
      requirements: '',
      wards: [wards[2]?.code ?? ''],
      signage: 'New signs',
    })
    assert.equal(varied.statusCode, 303)
    assert.deepEqual((await t.deps.pspos.get(orderId))?.wardCodes, [wards[2]?.code])
    const early = await post('discharge', { ...date('occurredOn', '2026-08-31'), reason: 'No longer needed' })
    assert.equal(early.statusCode, 400)
    assert.match(early.body, /govuk-error-summary/)
    assert.match(early.body, /on or after the day the order was made/)
    const discharged = await post('discharge', { ...date('occurredOn', '2026-11-20'), reason: 'No longer needed' })
    assert.equal(discharged.statusCode, 303)
    const history = await t.deps.pspos.history(orderId)
    assert.deepEqual(
      history.map(event => event.kind),
      ['made', 'extended', 'varied', 'discharged'],
    )
    const list = await t.app.inject({ method: 'GET', url: '/public-spaces-protection-orders' })
    assert.doesNotMatch(list.body, new RegExp(reference))
    const again = await post('vary', {
      ...date('occurredOn', '2026-11-20'),
      reason: 'x',
      prohibitions: 'y',
      wards: [wards[0]?.code ?? ''],
      signage: 'z',
    })
    assert.equal(again.statusCode, 400)
    assert.match(again.body, /has been discharged/)
  })

  it('raises a review reminder once per threshold for the owner and shows the order as review due', async () => {
    const owner = await createStaff(t.deps, { roles: ['officer'] })
    const session = await signIn(t.app, t.deps, owner)
    const made = await t.deps.pspos.make(
      {
        title: 'Street drinking order',
        prohibitions: 'Refusing to stop drinking when asked',
        requirements: '',
        wards: [wards[0]?.code ?? ''],
        signage: 'Alcohol controls',
        consultationStart: '2023-09-01',
        consultationEnd: '2023-10-01',
        consultees: 'Police',
        consultationSummary: 'Supported',
        madeOn: '2024-01-10',
        inForceFrom: '2024-01-10',
        expiresOn: '2027-01-09',
      },
      '0b3c1e4e-4444-4222-8333-444455556666',
      { type: 'user', id: owner.id },
    )
    assert.ok(made.ok)
    // The daily schedule runs the sweep on its first check of the day, and not again that day.
    const schedule = startPspoReviewSchedule({ pspos: t.deps.pspos, clock: t.deps.clock, checkEveryMs: 3_600_000 })
    await schedule.tick()
    await schedule.stop()
    assert.equal((await t.deps.pspos.reminders(owner.id)).length, 2)
    assert.equal(await t.deps.pspos.sweepReviewReminders(), 0)
    const reminders = await t.deps.pspos.reminders(owner.id)
    assert.deepEqual(
      reminders.map(reminder => reminder.threshold),
      ['3-months', '6-months'].sort(),
    )
    const register = await t.app.inject({
      method: 'GET',
      url: '/enforcement/pspos',
      headers: { cookie: session.cookie },
    })
    assert.match(register.body, /Review due: expires within 3 months/)
    assert.match(register.body, /data-qa="pspo-reminders">\s*<li><a class="govuk-link"/)
    // Extending the order closes its reminders; the next review is reminded against the new expiry.
    const extended = await t.deps.pspos.extend(
      made.id,
      { occurredOn: '2026-11-20', newExpiry: '2029-11-19', reason: 'Reviewed' },
      '0b3c1e4e-5555-4222-8333-444455556666',
      systemActor,
    )
    assert.ok(extended.ok)
    assert.deepEqual(await t.deps.pspos.reminders(owner.id), [])
  })

  it('seeds the demo borough its nitrous oxide and street drinking orders, one due for review', async () => {
    const result = await enforcementDemoSeeder.seed(t.deps, createRandom(1))
    assert.equal(result.orders, 2)
    const orders = await t.deps.pspos.list()
    const drinking = orders.find(order => order.title.startsWith('Responsible drinking'))
    const nitrous = orders.find(order => order.title.startsWith('Nitrous oxide:'))
    assert.ok(drinking && nitrous)
    assert.equal(drinking.expiresOn, '2027-01-20')
    assert.equal(nitrous.wardCodes.length, wards.length)
    const list = await t.app.inject({ method: 'GET', url: '/public-spaces-protection-orders' })
    assert.match(list.body, /Responsible drinking/)
    assert.match(list.body, /Nitrous oxide: borough-wide/)
  })
})
