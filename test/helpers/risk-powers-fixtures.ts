/**
 * A case to assess and act on, for the risk and powers tests: opened in a team, with a victim, an adult perpetrator,
 * a 15-year-old and a perpetrator whose date of birth is unknown.
 */
import type { Dependencies } from '../../src/dependencies.js'
import { systemActor } from '../../src/platform/audit.js'

export interface RiskPowersCase {
  caseId: string
  reference: string
  victimId: string
  adultId: string
  youthId: string
  unknownAgeId: string
}

export async function openCaseWithParties(
  deps: Dependencies,
  options: { teamCode: string; leadOfficerId?: string | null },
): Promise<RiskPowersCase> {
  const team = await deps.accounts.repository.teamByCode(options.teamCode)
  if (!team) throw new Error(`No team ${options.teamCode}`)
  const { id, reference } = await deps.casework.openCase(
    {
      title: 'Noise and threats at Brick Lane flats',
      category: 'noise',
      priority: 'high',
      sensitivity: null,
      owningTeamId: team.id,
      owningPartnerId: team.partner_id,
      leadOfficerId: options.leadOfficerId ?? null,
      wardCode: null,
    },
    systemActor,
  )
  const caseRow = await deps.casework.repository.caseById(id)
  if (!caseRow) throw new Error('case not stored')
  const today = new Date(deps.clock.now())
  const yearsAgo = (years: number, dayShift = 0) => {
    const date = new Date(Date.UTC(today.getUTCFullYear() - years, today.getUTCMonth(), today.getUTCDate() + dayShift))
    return date.toISOString().slice(0, 10)
  }
  const add = (role: 'victim' | 'perpetrator', name: string, dateOfBirth: string | null) =>
    deps.casework.addParty(caseRow, { role, kind: 'person', name, dateOfBirth }, systemActor)
  return {
    caseId: id,
    reference,
    victimId: await add('victim', 'Amira Begum', yearsAgo(72)),
    adultId: await add('perpetrator', 'Dean Walsh', yearsAgo(30)),
    // 16 tomorrow.
    youthId: await add('perpetrator', 'Kyle Moss', yearsAgo(16, 1)),
    unknownAgeId: await add('perpetrator', 'Unknown Lad', null),
  }
}
