/** What activity adds: recording and importing partnership activity (patrols, visits, operations). */
import { bindRoutes, type SaferModule } from '../../platform/module-contract.js'
import type { GeographyService } from '../geography/index.js'
import { activityPageRoutes } from './activity-routes.js'
import type { ActivityService } from './activity-service.js'

export function activityModule(options: { activity: ActivityService; geography: GeographyService }): SaferModule {
  return { name: 'activity', routes: [bindRoutes(activityPageRoutes, options)] }
}
