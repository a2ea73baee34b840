/**
 * Demo records old enough for the retention schedule to find: a few closed reports on no case, last changed between
 * two and three years ago, and two ASB cases closed more than six years ago (with a party each). The rest of the demo
 * is recent, so without these `safer retention run --dry-run` would have nothing to show.
 */
import type { DemoSeeder } from '../../db/seeds/demo.js'
import type { Actor } from '../../platform/audit.js'
import { createCasework } from '../casework/index.js'
import type { IntakeInput } from '../reporting/index.js'

const DAY = 24 * 60 * 60 * 1000
const actor: Actor = { type: 'system', id: 'demo-seeder' }

const OLD_REPORTS = [
  { days: 780, category: 'noise_music', description: 'Loud music late at night from a flat on the estate.' },
  { days: 840, category: 'dog_fouling', description: 'Dog mess left on the path by the play area every morning.' },
  { days: 905, category: 'graffiti', description: 'Graffiti sprayed on the garages behind the shops.' },
  { days: 990, category: 'noise_music', description: 'Parties every weekend with music until 4am.' },
]

const OLD_CASES = [
  { days: 2600, category: 'noise_music', title: 'Noise nuisance on the estate', perpetrator: 'Demo Resident One' },
  { days: 2450, category: 'drug_dealing', title: 'Drug dealing in the stairwell', perpetrator: 'Demo Resident Two' },
]

export const retentionDemoSeeder: DemoSeeder = {
  name: 'retention',
  async seed(deps, random) {
    const db = deps.database.db
    const now = deps.clock.now().getTime()
    const postcodes = await db
      .selectFrom('postcode')
      .select('display')
      .where('ward_code', 'is not', null)
      .orderBy('postcode')
      .limit(200)
      .execute()
    const team = await deps.accounts.repository.teamByCode('asb-investigations')
    if (postcodes.length === 0) return { reports: 0, cases: 0 }

    const submit = async (key: string, at: Date, category: string, description: string) => {
      const input: IntakeInput = {
        channel: 'phone',
        idempotencyKey: key,
        receivedAt: at.toISOString(),
        category,
        location: { postcode: random.pick(postcodes).display },
        occurredOn: at.toISOString().slice(0, 10),
        pattern: 'ongoing',
        frequency: 'weekly',
        description,
        impact: {
          reporterRole: 'victim',
          howOften: 'regularly',
          unsafeAtHome: 'no',
          healthAffected: 'no',
          targeted: 'no',
          characteristics: [],
        },
        // No contact by message: these are old phone reports, with nothing left to send.
        reporter: { mode: 'confidential', name: 'Demo Caller', contactPreference: 'none', consentToShare: true },
      }
      return deps.reporting.intake.submit(input, actor)
    }

    let reports = 0
    for (const [index, old] of OLD_REPORTS.entries()) {
      const at = new Date(now - old.days * DAY)
      const result = await submit(`demo-old-report:${String(index)}`, at, old.category, old.description)
      if (!result.created) continue
      await deps.reporting.reports.changeStatus(
        result.report.reference,
        { status: 'closed', closureReason: 'resolved', publicNote: 'The behaviour stopped after a visit.' },
        actor,
        { at: new Date(at.getTime() + 21 * DAY) },
      )
      reports++
    }

    let cases = 0
    for (const [index, old] of OLD_CASES.entries()) {
      if (!team) break
      const openedAt = new Date(now - old.days * DAY)
      const closedAt = new Date(openedAt.getTime() + 90 * DAY)
      const result = await submit(`demo-old-case-report:${String(index)}`, openedAt, old.category, old.title)
      if (!result.created) continue
      // The case's own clock: opened and closed years ago, as it happened.
      let at = openedAt
      const casework = createCasework({ db, audit: deps.audit, clock: { now: () => at } })
      const opened = await casework.openCase(
        {
          title: old.title,
          category: old.category,
          priority: 'standard',
          sensitivity: null,
          owningTeamId: team.id,
          owningPartnerId: team.partner_id,
          leadOfficerId: null,
          wardCode: result.report.wardCode,
          location: null,
          reportIds: [result.report.id],
          openedAt,
        },
        actor,
      )
      const row = await casework.repository.caseById(opened.id)
      if (!row) continue
      await casework.addParty(row, { role: 'perpetrator', kind: 'person', name: old.perpetrator }, actor)
      at = closedAt
      const fresh = await casework.repository.caseById(opened.id)
      if (!fresh) continue
      await casework.close(fresh, fresh.version, { outcome: 'resolved', publicNote: null }, actor)
      await deps.reporting.reports.changeStatus(
        result.report.reference,
        { status: 'closed', closureReason: 'resolved' },
        actor,
        { at: closedAt },
      )
      cases++
    }
    return { reports, cases }
  },
}
