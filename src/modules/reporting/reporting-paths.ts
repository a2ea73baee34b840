export const reportingPaths = {
  start: '/report',
  step: (step: string) => `/report/${step}`,
  confirmation: '/report/confirmation',
  track: '/track',
  tracking: (reference: string, code: string) => `/track/${encodeURIComponent(reference)}/${encodeURIComponent(code)}`,
  staffReports: '/staff/reports',
  staffReport: (reference: string) => `/staff/reports/${encodeURIComponent(reference)}`,
  staffEvidence: (reference: string, id: string) =>
    `/staff/reports/${encodeURIComponent(reference)}/evidence/${encodeURIComponent(id)}`,
  wardReports: (code: string) => `/wards/${encodeURIComponent(code)}/reports`,
} as const
