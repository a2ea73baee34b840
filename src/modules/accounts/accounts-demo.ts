/**
 * The demo borough's partnership: partner organisations, teams and one signed-in account for each role. Every demo
 * account shares the password and authenticator key in README's "Demo accounts", so anyone can try the staff side.
 * Never used outside the demo: DEMO_DATA=true is refused in production, and so is seeding (ADR 0021).
 */
import { refuseDemoInProduction, type DemoSeeder } from '../../db/seeds/demo.js'
import { systemActor } from '../../platform/audit.js'
import type { Role } from './roles.js'

export const DEMO_PASSWORD = 'safer-demo-password'
/** The authenticator key of every demo account (base32). */
export const DEMO_TOTP_SECRET = 'KVKFKRCPNZQUYMLXOVYDSQKJKZDTSRLD'

/**
 * The demo partnership's organisations and teams. These names are the fallbacks: the council and police force are
 * named from the CSP pack's borough, and a pack's `demo.json` names any of them (Tower Hamlets' does all).
 */
export const DEMO_PARTNERS = [
  { code: 'council', name: 'The council', kind: 'council' },
  { code: 'police', name: 'The police', kind: 'police' },
  { code: 'housing', name: 'Housing provider', kind: 'housing' },
  { code: 'health', name: 'NHS mental health trust', kind: 'health' },
  { code: 'probation', name: 'Probation Service', kind: 'probation' },
  { code: 'victim-support', name: 'Victim Support', kind: 'victim-support' },
  { code: 'youth-justice', name: 'Youth Justice Service', kind: 'youth-justice' },
  { code: 'fire', name: 'Fire and rescue service', kind: 'fire' },
] as const

export const DEMO_TEAMS = [
  { partnerCode: 'council', code: 'asb-investigations', name: 'ASB Investigations Team' },
  { partnerCode: 'council', code: 'enforcement', name: 'Enforcement Officers' },
  { partnerCode: 'council', code: 'community-safety', name: 'Community Safety Partnership Team' },
  { partnerCode: 'police', code: 'police-partnership', name: 'Police Partnership Team' },
  { partnerCode: 'housing', code: 'housing-asb', name: 'Housing ASB Team' },
] as const

export const DEMO_USERS: {
  email: string
  displayName: string
  partnerCode: string
  teamCode?: string
  roles: Role[]
}[] = [
  {
    email: 'officer@council.safer.example',
    displayName: 'Amira Khan',
    partnerCode: 'council',
    teamCode: 'asb-investigations',
    roles: ['officer'],
  },
  {
    email: 'supervisor@council.safer.example',
    displayName: 'Tom Ellis',
    partnerCode: 'council',
    teamCode: 'asb-investigations',
    roles: ['supervisor', 'officer'],
  },
  {
    email: 'enforcement@council.safer.example',
    displayName: 'Priya Patel',
    partnerCode: 'council',
    teamCode: 'enforcement',
    roles: ['officer'],
  },
  {
    email: 'panels@council.safer.example',
    displayName: 'Grace Okafor',
    partnerCode: 'council',
    teamCode: 'community-safety',
    roles: ['panel-coordinator'],
  },
  {
    email: 'analyst@council.safer.example',
    displayName: 'Daniel Hughes',
    partnerCode: 'council',
    teamCode: 'community-safety',
    roles: ['analyst'],
  },
  {
    email: 'admin@council.safer.example',
    displayName: 'Sam Rahman',
    partnerCode: 'council',
    teamCode: 'community-safety',
    roles: ['administrator'],
  },
  {
    email: 'officer@police.safer.example',
    displayName: 'PC Jordan Reid',
    partnerCode: 'police',
    teamCode: 'police-partnership',
    roles: ['officer'],
  },
  {
    email: 'partner@police.safer.example',
    displayName: 'Sgt Lisa Moore',
    partnerCode: 'police',
    teamCode: 'police-partnership',
    roles: ['partner-read-only'],
  },
  {
    email: 'partner@housing.safer.example',
    displayName: 'Chris Adeyemi',
    partnerCode: 'housing',
    teamCode: 'housing-asb',
    roles: ['partner-read-only'],
  },
]

export const accountsDemoSeeder: DemoSeeder = {
  name: 'accounts',
  async seed(deps) {
    refuseDemoInProduction(deps.config.env)
    const service = deps.accounts
    const borough = deps.pack.manifest.borough
    const fromArea: Record<string, string> = { council: borough.name, police: borough.policeForce.name }
    let partners = 0
    for (const partner of DEMO_PARTNERS) {
      if (await service.repository.partnerByCode(partner.code)) continue
      const name = deps.pack.demo.partnerNames[partner.code] ?? fromArea[partner.code] ?? partner.name
      await service.createPartner(systemActor, { ...partner, name })
      partners += 1
    }
    for (const team of DEMO_TEAMS)
      await service.createTeam(systemActor, { ...team, name: deps.pack.demo.teamNames[team.code] ?? team.name })
    let users = 0
    for (const user of DEMO_USERS) {
      if (await service.repository.userByEmail(user.email)) continue
      await service.createUser(systemActor, { ...user, password: DEMO_PASSWORD, totpSecret: DEMO_TOTP_SECRET })
      users += 1
    }
    return { partners, teams: DEMO_TEAMS.length, users }
  },
}
