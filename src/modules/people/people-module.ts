/** What the people module adds: the person and place index pages, in the staff navigation after Cases. */
import { bindRoutes, type SaferModule } from '../../platform/module-contract.js'
import { t } from '../../platform/i18n.js'
import type { Casework } from '../casework/index.js'
import { peoplePaths } from './people-paths.js'
import { peopleRoutes } from './people-routes.js'
import type { PeopleService } from './people-service.js'

export function peopleModule(options: { people: PeopleService; casework: Casework }): SaferModule {
  return {
    name: 'people',
    routes: [bindRoutes(peopleRoutes, { people: options.people, casework: options.casework })],
    navigation: [
      {
        href: peoplePaths.search,
        text: t('people.nav'),
        roles: ['officer', 'supervisor', 'panel-coordinator', 'analyst', 'partner-read-only'],
        section: peoplePaths.search,
        order: 35,
      },
    ],
  }
}
