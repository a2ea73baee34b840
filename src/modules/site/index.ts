export { siteRoutes, type HomeLink } from './site-routes.js'
