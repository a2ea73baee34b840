/** Every URL the powers module owns: a case's ladder, issuing a power, an action, its breaches and its letter. */
export const powersPaths = {
  ladder: (caseId: string, partyId?: string) => `/cases/${caseId}/powers${partyId ? `?party=${partyId}` : ''}`,
  issue: (caseId: string, power: string, partyId?: string) =>
    `/cases/${caseId}/powers/${power}/new${partyId ? `?party=${partyId}` : ''}`,
  action: (caseId: string, id: string) => `/cases/${caseId}/powers/actions/${id}`,
  breach: (caseId: string, id: string) => `/cases/${caseId}/powers/actions/${id}/breaches/new`,
  letter: (caseId: string, id: string) => `/cases/${caseId}/powers/actions/${id}/letter`,
  letterPdf: (caseId: string, id: string) => `/cases/${caseId}/powers/actions/${id}/letter.pdf`,
}
