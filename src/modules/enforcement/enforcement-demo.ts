/**
 * The demo borough's Public Spaces Protection Orders, dated relative to today (after accounts: the orders' owner is
 * the demo ASB officer). Modelled on Tower Hamlets' two: the borough-wide nitrous oxide order, made seven months
 * ago, and the borough-wide responsible drinking (street drinking) order, made five years ago and extended once, now
 * expiring within three months, so it is due for review and its owner has the reminders. Recorded through the
 * service, so the rules, the history and the audit rows are as the product would have made them.
 */
import type { DemoSeeder } from '../../db/seeds/demo.js'
import { systemActor, type Actor } from '../../platform/audit.js'
import { addDays, addMonths, londonDate } from '../../platform/working-days.js'

const OWNER_EMAIL = 'officer@council.safer.example'

export const enforcementDemoSeeder: DemoSeeder = {
  name: 'enforcement',
  async seed(deps) {
    const { pspos, accounts } = deps
    const today = londonDate(deps.clock.now())
    const owner = await accounts.repository.userByEmail(OWNER_EMAIL)
    const actor: Actor = owner ? { type: 'user', id: owner.id } : systemActor
    const allWards = pspos.wardOptions().map(ward => ward.code)
    if (allWards.length === 0) return { orders: 0, reminders: 0 }

    const nitrousMade = addMonths(today, -7)
    const nitrous = await pspos.make(
      {
        title: 'Nitrous oxide: borough-wide Public Spaces Protection Order',
        prohibitions: [
          'Inhaling, or attempting to inhale, nitrous oxide or any other psychoactive substance for the purpose of causing intoxication.',
          'Possessing any substance with the intention of inhaling it to cause intoxication.',
          'Supplying or offering to supply nitrous oxide to another person for the purpose of causing intoxication.',
          'Discarding nitrous oxide canisters or their packaging in a public place.',
        ].join('\n'),
        requirements:
          'Anyone reasonably believed to be in possession of nitrous oxide for the purpose of intoxication must surrender it when an authorised officer asks.',
        wards: allWards,
        signage:
          'Public Spaces Protection Order in force. Using or supplying nitrous oxide for intoxication in any public place in the borough is prohibited. Failure to comply is an offence: a £100 fixed penalty notice or a fine of up to £1,000 on conviction.',
        consultationStart: addMonths(nitrousMade, -4),
        consultationEnd: addMonths(nitrousMade, -2),
        consultees:
          'Metropolitan Police (Central East command), the Mayor’s Office for Policing and Crime, residents and businesses through the council’s public consultation, registered providers, youth services.',
        consultationSummary:
          'Most respondents reported canisters and groups using nitrous oxide in parks, estates and cars, with noise and intimidation late at night; the police supported a borough-wide order so officers can act on intelligence at hotspots.',
        madeOn: nitrousMade,
        inForceFrom: addDays(nitrousMade, 14),
        expiresOn: '',
      },
      'd0000000-0000-4000-8000-000000000901',
      actor,
    )

    const drinkingMade = addMonths(today, -60)
    const drinking = await pspos.make(
      {
        title: 'Responsible drinking: borough-wide Public Spaces Protection Order',
        prohibitions:
          'Refusing to stop drinking alcohol, or to surrender it, when an authorised officer reasonably believes the drinking is causing or likely to cause anti-social behaviour.',
        requirements: 'Surrender any alcohol or container of alcohol (opened or not) when an authorised officer asks.',
        wards: allWards,
        signage:
          'Public Spaces Protection Order in force: responsible drinking. An officer may ask you to stop drinking and to hand over your alcohol. Failure to comply is an offence: a £100 fixed penalty notice or a fine of up to £1,000 on conviction.',
        consultationStart: addMonths(drinkingMade, -4),
        consultationEnd: addMonths(drinkingMade, -2),
        consultees:
          'Metropolitan Police, the Mayor’s Office for Policing and Crime, licensing, residents and businesses, homelessness and alcohol support services.',
        consultationSummary:
          'Street drinking was linked to noise, litter and intimidation in town centres and open spaces (Ropemakers Fields among them); support services asked that officers signpost to treatment before enforcing.',
        madeOn: drinkingMade,
        inForceFrom: addDays(drinkingMade, 7),
        expiresOn: '',
      },
      'd0000000-0000-4000-8000-000000000902',
      actor,
    )
    if (drinking.ok) {
      await pspos.extend(
        drinking.id,
        {
          occurredOn: addMonths(today, -34),
          newExpiry: addMonths(today, 2),
          reason:
            'Reviewed after consultation: street drinking and related ASB continued in the same places, so the order was extended for a further period.',
        },
        'd0000000-0000-4000-8000-000000000903',
        actor,
      )
    }
    const reminders = await pspos.sweepReviewReminders()
    return { orders: [nitrous, drinking].filter(result => result.ok).length, reminders }
  },
}
