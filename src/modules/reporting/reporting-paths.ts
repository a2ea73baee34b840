/** Every URL the reporting module owns: the resident journey, tracking, staff report pages and ward counts. */
export const reportingPaths = {
  start: '/report',
  step: (step: string) => `/report/${step}`,
  evidenceRemove: '/report/evidence/remove',
  confirmation: '/report/confirmation',
  track: '/track',
  tracking: (reference: string, code: string) => `/track/${encodeURIComponent(reference)}/${encodeURIComponent(code)}`,
  trackAgain: (reference: string, code: string) =>
    `/track/${encodeURIComponent(reference)}/${encodeURIComponent(code)}/again`,
  staffReports: '/staff/reports',
  staffReport: (reference: string) => `/staff/reports/${encodeURIComponent(reference)}`,
  staffReportStatus: (reference: string) => `/staff/reports/${encodeURIComponent(reference)}/status`,
  staffEvidence: (reference: string, id: string) =>
    `/staff/reports/${encodeURIComponent(reference)}/evidence/${encodeURIComponent(id)}`,
  wardReports: (code: string) => `/wards/${encodeURIComponent(code)}/reports`,
  /** The same URLs as route patterns, for registering the routes. */
  routes: {
    tracking: '/track/:reference/:code',
    trackAgain: '/track/:reference/:code/again',
    staffReport: '/staff/reports/:reference',
    staffReportStatus: '/staff/reports/:reference/status',
    staffEvidence: '/staff/reports/:reference/evidence/:id',
    wardReports: '/wards/:code/reports',
  },
} as const
