export { siteRoutes, type HomeLink, type SiteRoutesOptions } from './site-routes.js'
export { sitePaths } from './site-paths.js'
export { siteModule } from './site-module.js'
