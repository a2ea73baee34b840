/** Every URL the enforcement module owns; routes, redirects and other modules' links use these. */
export const enforcementPaths = {
  /** Staff: the PSPO register. */
  register: '/enforcement/pspos',
  add: '/enforcement/pspos/new',
  order: (id: string) => `/enforcement/pspos/${id}`,
  vary: (id: string) => `/enforcement/pspos/${id}/vary`,
  extend: (id: string) => `/enforcement/pspos/${id}/extend`,
  discharge: (id: string) => `/enforcement/pspos/${id}/discharge`,
  /** Public: the orders in force, and one order's page by its reference. */
  publicList: '/public-spaces-protection-orders',
  publicOrder: (reference: string) => `/public-spaces-protection-orders/${reference}`,
  /** The order's area as GeoJSON, fetched by the map script only (the page stays small without it). */
  publicArea: (reference: string) => `/public-spaces-protection-orders/${reference}/area.geojson`,
}
