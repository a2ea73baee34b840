/**
 * The demo borough's person index (after casework, risk, powers and panels): Darren Smith is a perpetrator on two ASB
 * Investigations cases and a witness on an Enforcement Officers case (which an ASB officer cannot see but is told
 * exists), and "Daren Smyth" with the same date of birth is on a third ASB case, which the index proposes to merge
 * with him. Then every party and named reporter is indexed, and every case and report placed.
 */
import type { DemoSeeder } from '../../db/seeds/demo.js'
import { systemActor, type Actor } from '../../platform/audit.js'
import { createPeopleRepository } from './people-repository.js'
import { createPeopleService } from './people-service.js'

export const DEMO_PERSON = {
  name: 'Darren Smith',
  variant: 'Daren Smyth',
  dateOfBirth: '1987-06-14',
  address: '14 Cable Street',
  postcode: 'E1 8JG',
} as const

export const peopleDemoSeeder: DemoSeeder = {
  name: 'people',
  async seed(deps) {
    const { casework, accounts } = deps
    const db = deps.database.db
    const people = createPeopleService({
      repository: createPeopleRepository(db),
      casework,
      reportAccess: deps.reportAccess,
      audit: deps.audit,
      clock: deps.clock,
    })
    const team = await accounts.repository.teamByCode('asb-investigations')
    const enforcement = await accounts.repository.teamByCode('enforcement')
    let added = 0
    if (team) {
      const open = (teamId: string, limit: number) =>
        db
          .selectFrom('asb_case')
          .select('id')
          .where('owning_team_id', '=', teamId)
          .where('status', '=', 'open')
          .where('sensitivity', 'is', null)
          .orderBy('opened_at', 'desc')
          .orderBy('id')
          .limit(limit)
          .execute()
      const ours = await open(team.id, 3)
      const theirs = enforcement ? await open(enforcement.id, 1) : []
      const add = async (caseId: string, role: 'perpetrator' | 'witness', name: string) => {
        const row = await casework.repository.caseById(caseId)
        if (!row) return
        const actor: Actor = row.lead_officer_id ? { type: 'user', id: row.lead_officer_id } : systemActor
        await casework.addParty(
          row,
          {
            role,
            kind: 'person',
            name,
            dateOfBirth: DEMO_PERSON.dateOfBirth,
            address: DEMO_PERSON.address,
            postcode: DEMO_PERSON.postcode,
          },
          actor,
        )
        added += 1
      }
      const [first, second, third] = ours
      if (first) await add(first.id, 'perpetrator', DEMO_PERSON.name)
      if (second) await add(second.id, 'perpetrator', DEMO_PERSON.name)
      if (third) await add(third.id, 'perpetrator', DEMO_PERSON.variant)
      const [elsewhere] = theirs
      if (elsewhere) await add(elsewhere.id, 'witness', DEMO_PERSON.name)
    }
    const { linked, placed } = await people.sync()
    return { added, linked, placed }
  },
}
