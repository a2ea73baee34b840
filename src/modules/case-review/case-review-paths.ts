const id = (value: string) => encodeURIComponent(value)

export const caseReviewPaths = {
  start: '/asb-case-review',
  apply: '/asb-case-review/apply',
  applyFromReport: (reference: string, code: string) => `/asb-case-review/apply/${id(reference)}/${id(code)}`,
  confirmation: '/asb-case-review/confirmation',
  figures: '/asb-case-review/figures',
  figuresCsv: '/asb-case-review/figures.csv',
  dashboard: '/staff/case-reviews',
  review: (reviewId: string) => `/staff/case-reviews/${id(reviewId)}`,
  action: (reviewId: string, action: string) => `/staff/case-reviews/${id(reviewId)}/${action}`,
  information: (reviewId: string, requestId: string) =>
    `/staff/case-reviews/${id(reviewId)}/information/${id(requestId)}`,
  minutes: (reviewId: string) => `/staff/case-reviews/${id(reviewId)}/minutes`,
  letter: (reviewId: string) => `/staff/case-reviews/${id(reviewId)}/letter`,
  letterPdf: (reviewId: string) => `/staff/case-reviews/${id(reviewId)}/letter.pdf`,
} as const
