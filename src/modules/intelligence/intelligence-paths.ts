/** Every URL the intelligence module owns; routes, redirects, navigation and the map's data links use these. */
export const intelligencePaths = {
  hotspots: '/intelligence/hotspots',
  when: '/intelligence/when',
  tasking: '/intelligence/tasking',
  taskingPdf: '/intelligence/tasking.pdf',
  decisions: '/intelligence/tasking/decisions',
  decisionDone: '/intelligence/tasking/decisions/done',
  /** The tasking pack after a decision was recorded, at its list of decisions. */
  decisionsList: '/intelligence/tasking#decisions',
  import: '/intelligence/import',
  stopSearch: '/intelligence/stop-search',
} as const

/** The hotspot JSON and GeoJSON API (app.ts registers it under `/api/v1` with the `/hotspots` prefix). */
export const hotspotApiPaths = {
  prefix: '/hotspots',
  summary: '/',
  surface: '/surface.geojson',
  crimes: '/crimes.geojson',
  lsoas: '/lsoas.geojson',
  reports: '/reports.geojson',
} as const

/** The map's data links, with the page's filters as a query string (empty for none). */
export const hotspotApiUrls = {
  surface: (query: string) => `/api/v1/hotspots/surface.geojson${query ? `?${query}` : ''}`,
  crimes: (query: string) => `/api/v1/hotspots/crimes.geojson${query ? `?${query}` : ''}`,
  reports: (query: string) => `/api/v1/hotspots/reports.geojson${query ? `?${query}` : ''}`,
}
