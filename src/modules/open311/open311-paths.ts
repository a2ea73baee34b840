/**
 * Every URL the Open311 module owns. `prefix` is where the plugin is registered; `routes` are its patterns inside
 * it (`.:format` is `.xml` or `.json`); `v2` is the GeoReport v2 base URL the discovery document advertises.
 */
export const open311Paths = {
  prefix: '/open311',
  v2: '/open311/v2',
  routes: {
    discovery: '/discovery.:format',
    services: '/v2/services.:format',
    service: '/v2/services/:code.:format',
    requests: '/v2/requests.:format',
    request: '/v2/requests/:id.:format',
    token: '/v2/tokens/:token.:format',
    updates: '/v2/servicerequestupdates.:format',
  },
} as const
