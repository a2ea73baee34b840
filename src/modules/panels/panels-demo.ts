/**
 * The demo borough's panels: the pack's panels with their member partners (the pack's demo file, `panelMembers`), a Community MARAC meeting held last
 * month (attendance, an agenda built from referrals, minutes and owned actions that are tasks on the cases) and the
 * next one scheduled, hate incidents (one referred to the Hate Incident Panel), and a fortnight of the Tension
 * Monitoring Group's tension log. Invented people and events, marked as demo data.
 */
import { randomUUID } from 'node:crypto'

import type { DemoSeeder } from '../../db/seeds/demo.js'
import { addDays, londonDate } from '../../platform/working-days.js'
import { weekStart } from './community-service.js'

export const panelsDemoSeeder: DemoSeeder = {
  name: 'panels',
  async seed(deps, random): Promise<Record<string, number>> {
    const db = deps.database.db
    const { panels, casework } = deps
    const partners = await db.selectFrom('partner').select(['id', 'code']).execute()
    const partnerId = (code: string) => partners.find(partner => partner.code === code)?.id
    const running = (await panels.service.panels()).filter(panel => panel.active)
    for (const panel of running) {
      const ids = (deps.pack.demo.panelMembers[panel.code] ?? [])
        .map(partnerId)
        .filter((id): id is string => id !== undefined)
      await panels.repository.setMembers(panel.id, ids)
    }
    const userByEmail = async (email: string) => {
      const id = (await db.selectFrom('staff_user').select('id').where('email', '=', email).executeTakeFirst())?.id
      return id ? deps.accounts.repository.userById(id) : undefined
    }
    const coordinator = await userByEmail('panels@council.safer.example')
    const officer = await userByEmail('officer@council.safer.example')
    const police = (
      await db.selectFrom('staff_user').select('id').where('email', 'like', '%@police.%').executeTakeFirst()
    )?.id
    if (!coordinator || !officer?.teamId) return { panels: running.length }
    const coordinatorActor = { type: 'user' as const, id: coordinator.id }
    const officerActor = { type: 'user' as const, id: officer.id }
    const today = londonDate(deps.clock.now())
    const wards = deps.geography.wards()

    // Two vulnerable victims on cases the council's ASB team works, referred to the Community MARAC.
    const victims = [
      ['Demo: targeted harassment of a disabled resident', 'Mrs Demo Ahmed', 'harassment'],
      ['Demo: repeated intimidation on a housing estate', 'Mr Demo Clarke', 'intimidation'],
    ] as const
    const referred: { caseId: string; referralId: string }[] = []
    for (const [title, name, category] of victims) {
      const ward = random.pick(wards)
      const opened = await casework.openCase(
        {
          title,
          category,
          priority: 'high',
          sensitivity: null,
          owningTeamId: officer.teamId,
          owningPartnerId: officer.partnerId,
          leadOfficerId: officer.id,
          wardCode: ward.code,
          location: null,
        },
        officerActor,
      )
      const caseRow = await casework.repository.caseById(opened.id)
      if (!caseRow) continue
      await casework.addParty(caseRow, { role: 'victim', kind: 'person', name }, officerActor)
      const result = await panels.service.referCase(officer, officerActor, caseRow, {
        panelCode: 'community-marac',
        partyId: (await casework.repository.parties(caseRow.id))[0]?.id ?? '',
        reason: 'High risk: repeated targeting, a disability, and the victim is afraid to leave home.',
        submissionId: randomUUID(),
      })
      if (result.ok) referred.push({ caseId: caseRow.id, referralId: result.id })
    }

    // Last month's meeting: attendance, minutes and actions; then the next meeting, its agenda built the same way.
    const cm = await panels.repository.panelByCode('community-marac')
    let actions = 0
    if (cm?.active) {
      const held = await panels.service.createMeeting(coordinator, coordinatorActor, cm, {
        meetsOn: addDays(today, -21),
        chair: 'Inspector Demo Hughes (Metropolitan Police)',
        location: 'Mulberry Place, Clove Crescent',
        submissionId: randomUUID(),
      })
      const meeting = held.ok ? await panels.repository.meeting(held.id) : undefined
      if (meeting) {
        const members = await panels.service.memberPartners(cm)
        await panels.service.recordAttendance(
          coordinatorActor,
          cm,
          meeting,
          members.map((partner, index) => ({
            partnerId: partner.id,
            present: index !== members.length - 1,
            representative: index !== members.length - 1 ? `Demo representative, ${partner.name}` : '',
          })),
        )
        for (const item of await panels.service.agenda(meeting)) {
          const found = await panels.service.item(meeting, item.id)
          if (!found) continue
          const entry = { id: found.item.id, referral: found.referral }
          await panels.service.saveMinutes(
            coordinator,
            coordinatorActor,
            cm,
            meeting,
            entry,
            'Partners shared what they know. Housing to check the victim’s tenancy support; police to increase patrols; ' +
              'Victim Support to make contact within a week. Review at the next meeting.',
          )
          for (const [title, owner, days] of [
            ['Visit the victim with the housing officer and review safety measures', officer.id, 7],
            ['Add the address to the neighbourhood team’s patrol plan', police ?? officer.id, 14],
          ] as const) {
            const added = await panels.service.addAction(coordinator, coordinatorActor, cm, meeting, entry, {
              title,
              ownerUserId: owner,
              dueDate: addDays(today, days),
              submissionId: randomUUID(),
            })
            if (added.ok) actions += 1
          }
        }
      }
      await panels.service.createMeeting(coordinator, coordinatorActor, cm, {
        meetsOn: addDays(today, 7),
        chair: 'Inspector Demo Hughes (Metropolitan Police)',
        location: 'Mulberry Place, Clove Crescent',
        submissionId: randomUUID(),
      })
    }

    // Hate incidents for the Hate Incident Panel's counts; one referred to the panel.
    const characteristics = ['race', 'religion', 'disability', 'sexual_orientation', 'transgender_identity'] as const
    let incidents = 0
    for (let index = 0; index < 12; index += 1) {
      const result = await panels.community.recordHateIncident(officer, officerActor, {
        caseRow: null,
        reportId: null,
        wardCode: random.pick(wards).code,
        validWard: true,
        occurredOn: addDays(today, -random.int(1, 300)),
        characteristics: [random.pick(characteristics)],
        crime: random.chance(0.4) ? 'yes' : 'no',
        summary: 'Demo: verbal abuse in the street aimed at the victim’s identity.',
        refer: index === 0,
        submissionId: randomUUID(),
      })
      if (result.ok) incidents += 1
    }

    // This week's and last week's tension log.
    const tmg = await panels.repository.panelByCode('tension-monitoring')
    let tensions = 0
    if (tmg?.active) {
      const monday = weekStart(today)
      const entries: [number, 'evidenced' | 'experienced' | 'potential', number, string[], string, string][] = [
        [
          -6,
          'experienced',
          2,
          ['community', 'councillor'],
          'Residents report unease after graffiti on a place of worship.',
          'Graffiti removed within 24 hours; faith leaders briefed.',
        ],
        [
          -4,
          'potential',
          3,
          ['social-media'],
          'Social media posts calling for a protest outside a hotel housing asylum seekers.',
          'Police to monitor; community leaders engaged.',
        ],
        [
          0,
          'evidenced',
          4,
          ['police', 'council'],
          'Two hate incidents reported near the market after a football match.',
          'Extra THEO patrols on match days.',
        ],
        [
          1,
          'potential',
          3,
          ['social-media', 'schools'],
          'Rumours between two school groups of a fight after school.',
          'Schools and youth service to share messages; police presence at the station.',
        ],
        [
          2,
          'experienced',
          2,
          ['faith', 'community'],
          'Worshippers feel unsafe walking home after evening prayers.',
          'Community walk with ward councillors.',
        ],
      ]
      for (const [offset, category, level, sources, summary, actionText] of entries) {
        const reportedOn = addDays(monday, offset)
        if (reportedOn > today) continue
        const result = await panels.community.recordTension(coordinator, coordinatorActor, tmg, {
          wardCode: random.pick(wards).code,
          validWard: true,
          reportedOn,
          category,
          level: String(level),
          sources,
          summary: `Demo: ${summary}`,
          actions: actionText,
          submissionId: randomUUID(),
        })
        if (result.ok) tensions += 1
      }
    }
    return { panels: running.length, referrals: referred.length, actions, hateIncidents: incidents, tensions }
  },
}
