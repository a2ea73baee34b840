/** Every URL the outputs register owns; routes, redirects and other modules' links use these. */
export const activityPaths = {
  register: '/activity',
  add: '/activity/new',
  import: '/activity/import',
  /** The register after a record was saved, or a file imported. */
  added: () => '/activity?added=1',
  imported: (count: number) => `/activity?imported=${String(count)}`,
}
