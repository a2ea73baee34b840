import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { buildTestApp, type TestApp } from '../../../test/helpers/build-app.js'
import { fixedClock } from '../../platform/clock.js'
import { createCaseworkTaskingProvider } from './tasking-provider.js'

describe('Integration: casework demo data', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp({ clock: fixedClock('2026-11-20T10:00:00Z'), seedDemo: true })
  })
  after(() => t.close())

  it('opens cases from the demo reports, with parties, overdue tasks and partner shares', async () => {
    const db = t.deps.database.db
    const count = async (table: 'asb_case' | 'case_party' | 'case_report') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select(eb => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    assert.ok((await count('asb_case')) >= 24)
    assert.ok((await count('case_report')) >= 24)
    assert.ok((await count('case_party')) >= (await count('asb_case')))
    const overdue = await db
      .selectFrom('case_task')
      .select('id')
      .where('status', '=', 'open')
      .where('due_date', '<', '2026-11-20')
      .execute()
    assert.ok(overdue.length > 0)
    const shares = await db
      .selectFrom('case_share as s')
      .innerJoin('partner as p', 'p.id', 's.partner_id')
      .select('p.code')
      .distinct()
      .execute()
    assert.deepEqual(shares.map(row => row.code).sort(), ['housing', 'police'])
    const closed = await db.selectFrom('asb_case').select('id').where('status', '=', 'closed').execute()
    assert.ok(closed.length > 0)
  })

  it('gives the tasking pack repeat locations and overdue actions, only from cases the reader may see', async () => {
    const provider = createCaseworkTaskingProvider({ casework: t.deps.casework })
    const reader = async (email: string) => {
      const user = await t.deps.accounts.repository.userByEmail(email)
      assert.ok(user)
      return provider.sections({
        weekStart: '2026-11-16',
        weekEnd: '2026-11-22',
        user: { id: user.id, partnerId: user.partnerId, roles: user.roles },
      })
    }
    const officer = await reader('officer@council.safer.example')
    const overdue = officer.find(section => section.title === 'Overdue actions')
    assert.ok(overdue && overdue.rows.length > 0)
    const admin = await reader('admin@council.safer.example')
    assert.deepEqual(
      admin.map(section => section.rows.length),
      admin.map(() => 0),
    )
  })
})
