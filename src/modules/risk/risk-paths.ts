/** Every URL the risk module owns: a case's assessments, one assessment, its MARAC referral and a victim's history. */
export const riskPaths = {
  caseRisk: (caseId: string) => `/cases/${caseId}/risk-assessments`,
  newAssessment: (caseId: string, partyId?: string) =>
    `/cases/${caseId}/risk-assessments/new${partyId ? `?party=${partyId}` : ''}`,
  assessment: (caseId: string, id: string) => `/cases/${caseId}/risk-assessments/${id}`,
  referral: (caseId: string, id: string) => `/cases/${caseId}/risk-assessments/${id}/marac-referral`,
  history: (caseId: string, partyId: string) => `/cases/${caseId}/victims/${partyId}/risk-assessments`,
}
