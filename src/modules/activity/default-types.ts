/** The default activity types (configuration: partnerships add their own rows to activity_type). From issue 7 and
 * the delivery reports (seeds 000, 003): what a CSP counts when it reports what it did. */
export interface ActivityTypeSeed {
  code: string
  name: string
  quantityLabel: string
  description: string
}

const TYPES: [string, string, string, string][] = [
  ['patrol', 'Patrols', 'patrols', 'Uniformed or enforcement officer patrols.'],
  ['day-of-action', 'Days of action', 'days of action', 'Multi-agency days of action.'],
  ['operation-arrest', 'Arrests on operations', 'arrests', 'Arrests on an operation, for example Operation Continuum.'],
  ['operation-charge', 'Charges following operations', 'charges', 'People charged following an operation.'],
  ['asb-warning', 'ASB warnings issued', 'warnings', 'Anti-social behaviour warnings issued.'],
  ['treatment-referral', 'Referrals to treatment', 'referrals', 'People arrested who were referred to treatment.'],
  ['cctv-incident', 'CCTV incidents', 'incidents', 'Incidents picked up by the CCTV control room.'],
  ['cctv-arrest', 'Arrests from CCTV', 'arrests', 'Arrests that followed a CCTV incident.'],
  ['fixed-penalty', 'Fixed penalty notices', 'notices', 'Fixed penalty notices issued.'],
  ['unlicensed-event-closed', 'Unlicensed events closed', 'events', 'Unlicensed music events closed down.'],
  [
    'training-session',
    'Training sessions',
    'sessions',
    'Training sessions delivered (Prevent/WRAP, VAWG champions, Ask for Angela).',
  ],
  [
    'people-trained',
    'People trained',
    'people',
    'People who attended training (Prevent/WRAP, VAWG champions, Ask for Angela).',
  ],
  [
    'sanctuary-installation',
    'Sanctuary installations',
    'installations',
    'Homes of domestic abuse victims made secure.',
  ],
  ['weapons-sweep', 'Weapons sweeps', 'sweeps', 'Weapons sweeps of open spaces.'],
  [
    'test-purchase',
    'Test purchases',
    'test purchases',
    'Test purchases of knives, alcohol or other age-restricted goods.',
  ],
  ['test-purchase-failure', 'Test purchase failures', 'failures', 'Test purchases where the retailer sold.'],
  [
    'civil-protection-incident',
    'Civil protection incidents',
    'incidents',
    'Civil protection and emergency incidents attended.',
  ],
  [
    'business-continuity-review',
    'Business continuity plan reviews',
    'plans reviewed',
    'Business continuity plans reviewed.',
  ],
]

export const DEFAULT_ACTIVITY_TYPES: ActivityTypeSeed[] = TYPES.map(([code, name, quantityLabel, description]) => ({
  code,
  name,
  quantityLabel,
  description,
}))
