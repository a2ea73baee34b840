const ref = (reference: string) => encodeURIComponent(reference)

export const caseworkPaths = {
  home: '/staff',
  triage: '/staff/triage',
  triageNew: '/staff/triage/new',
  triageReport: (reference: string) => `/staff/triage/${ref(reference)}`,
  cases: '/cases',
  case: (reference: string) => `/cases/${ref(reference)}`,
  caseEdit: (reference: string) => `/cases/${ref(reference)}/edit`,
  caseParties: (reference: string) => `/cases/${ref(reference)}/parties`,
  caseParty: (reference: string, partyId: string) => `/cases/${ref(reference)}/parties/${encodeURIComponent(partyId)}`,
  caseChronology: (reference: string) => `/cases/${ref(reference)}/chronology`,
  caseTasks: (reference: string) => `/cases/${ref(reference)}/tasks`,
  caseTaskDone: (reference: string, taskId: string) =>
    `/cases/${ref(reference)}/tasks/${encodeURIComponent(taskId)}/done`,
  caseShares: (reference: string) => `/cases/${ref(reference)}/shares`,
  caseShareRevoke: (reference: string, shareId: string) =>
    `/cases/${ref(reference)}/shares/${encodeURIComponent(shareId)}/revoke`,
  caseLetters: (reference: string) => `/cases/${ref(reference)}/letters`,
  caseLetter: (reference: string, letterId: string) =>
    `/cases/${ref(reference)}/letters/${encodeURIComponent(letterId)}`,
  caseClose: (reference: string) => `/cases/${ref(reference)}/close`,
  caseReopen: (reference: string) => `/cases/${ref(reference)}/reopen`,
  caseAccessLog: (reference: string) => `/cases/${ref(reference)}/access-log`,
  caseExport: (reference: string) => `/cases/${ref(reference)}/export`,
  allocationRules: '/admin/allocation-rules',
  allocationRuleDelete: (id: string) => `/admin/allocation-rules/${encodeURIComponent(id)}/delete`,
  checkin: (token: string) => `/check-in/${encodeURIComponent(token)}`,
} as const
