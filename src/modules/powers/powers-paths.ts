/**
 * Every URL the powers module owns: a case's ladder, issuing a power (form, preview, confirmation), an action, its
 * breaches, its changes, its late-record approval and its letter.
 */
export const powersPaths = {
  ladder: (caseId: string, partyId?: string) => `/cases/${caseId}/powers${partyId ? `?party=${partyId}` : ''}`,
  issue: (caseId: string, power: string, partyId?: string) =>
    `/cases/${caseId}/powers/${power}/new${partyId ? `?party=${partyId}` : ''}`,
  preview: (caseId: string, draftId: string) => `/cases/${caseId}/powers/drafts/${draftId}`,
  previewLetter: (caseId: string, draftId: string) => `/cases/${caseId}/powers/drafts/${draftId}/letter`,
  previewLetterPdf: (caseId: string, draftId: string) => `/cases/${caseId}/powers/drafts/${draftId}/letter.pdf`,
  confirm: (caseId: string, draftId: string) => `/cases/${caseId}/powers/drafts/${draftId}/confirm`,
  edit: (caseId: string, draftId: string) => `/cases/${caseId}/powers/drafts/${draftId}/edit`,
  action: (caseId: string, id: string) => `/cases/${caseId}/powers/actions/${id}`,
  breach: (caseId: string, id: string) => `/cases/${caseId}/powers/actions/${id}/breaches/new`,
  change: (caseId: string, id: string) => `/cases/${caseId}/powers/actions/${id}/changes/new`,
  approval: (caseId: string, id: string) => `/cases/${caseId}/powers/actions/${id}/approval`,
  letter: (caseId: string, id: string) => `/cases/${caseId}/powers/actions/${id}/letter`,
  letterPdf: (caseId: string, id: string) => `/cases/${caseId}/powers/actions/${id}/letter.pdf`,
}
