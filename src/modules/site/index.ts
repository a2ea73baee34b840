export { siteRoutes, type HomeLink } from './site-routes.js'
export { siteModule } from './site-module.js'
