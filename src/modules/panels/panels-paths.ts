/** Every URL the panels module owns, as functions: templates and redirects use these. */
const seg = (value: string) => encodeURIComponent(value)

export const panelsPaths = {
  home: '/panels',
  panel: (code: string) => `/panels/${seg(code)}`,
  settings: (code: string) => `/panels/${seg(code)}/settings`,
  referral: (code: string, id: string) => `/panels/${seg(code)}/referrals/${seg(id)}`,
  referralClose: (code: string, id: string) => `/panels/${seg(code)}/referrals/${seg(id)}/close`,
  chronologyCsv: (code: string, id: string) => `/panels/${seg(code)}/referrals/${seg(id)}/chronology.csv`,
  chronologyPdf: (code: string, id: string) => `/panels/${seg(code)}/referrals/${seg(id)}/chronology.pdf`,
  safeContact: (code: string, id: string) => `/panels/${seg(code)}/referrals/${seg(id)}/safe-contact`,
  meetingNew: (code: string) => `/panels/${seg(code)}/meetings/new`,
  meeting: (code: string, id: string) => `/panels/${seg(code)}/meetings/${seg(id)}`,
  attendance: (code: string, id: string) => `/panels/${seg(code)}/meetings/${seg(id)}/attendance`,
  agenda: (code: string, id: string) => `/panels/${seg(code)}/meetings/${seg(id)}/agenda`,
  item: (code: string, meetingId: string, itemId: string) =>
    `/panels/${seg(code)}/meetings/${seg(meetingId)}/items/${seg(itemId)}`,
  minutes: (code: string, meetingId: string, itemId: string) =>
    `/panels/${seg(code)}/meetings/${seg(meetingId)}/items/${seg(itemId)}/minutes`,
  actions: (code: string, meetingId: string, itemId: string) =>
    `/panels/${seg(code)}/meetings/${seg(meetingId)}/items/${seg(itemId)}/actions`,
  tensions: (code: string) => `/panels/${seg(code)}/tensions`,
  tensionNew: (code: string) => `/panels/${seg(code)}/tensions/new`,
  hateIncidents: (code: string) => `/panels/${seg(code)}/hate-incidents`,
  hateNew: (code: string) => `/panels/${seg(code)}/hate-incidents/new`,
  caseHome: (caseId: string) => `/panels/cases/${seg(caseId)}`,
  refer: (caseId: string) => `/panels/cases/${seg(caseId)}/refer`,
  dashNew: (caseId: string) => `/panels/cases/${seg(caseId)}/dash/new`,
  dash: (caseId: string, id: string) => `/panels/cases/${seg(caseId)}/dash/${seg(id)}`,
  caseHateNew: (caseId: string) => `/panels/cases/${seg(caseId)}/hate-incidents/new`,
} as const
