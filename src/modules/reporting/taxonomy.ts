/**
 * The ASB taxonomy for the resident form (docs/domain-rules.md §6) with the police qualifier of the Home Office's
 * National Standard for Incident Recording (NSIR, 2011). The type and the qualifier are independent fields: each
 * type has a default qualifier, and the report's own answers can make it personal (the reporter or a household
 * member was targeted).
 */
export type NsirQualifier = 'personal' | 'nuisance' | 'environmental'
export type CategoryGroup =
  | 'noise'
  | 'personal'
  | 'drugs'
  | 'groups'
  | 'vehicles'
  | 'environmental'
  | 'animals'
  | 'weapons'
  | 'property'
  | 'other'
export type Owner = 'council' | 'police' | 'council_and_police'

export interface Category {
  code: string
  group: CategoryGroup
  qualifier: NsirQualifier
  owner: Owner
  /** Reports of this type are hate incidents whatever the impact answers say. */
  hate?: boolean
}

export const CATEGORIES: readonly Category[] = [
  { code: 'noise_music', group: 'noise', qualifier: 'nuisance', owner: 'council' },
  { code: 'noise_shouting', group: 'noise', qualifier: 'nuisance', owner: 'council' },
  { code: 'noise_banging', group: 'noise', qualifier: 'nuisance', owner: 'council' },
  { code: 'noise_dogs', group: 'noise', qualifier: 'nuisance', owner: 'council' },
  { code: 'noise_commercial', group: 'noise', qualifier: 'nuisance', owner: 'council' },
  { code: 'harassment', group: 'personal', qualifier: 'personal', owner: 'council_and_police' },
  { code: 'hate', group: 'personal', qualifier: 'personal', owner: 'council_and_police', hate: true },
  { code: 'neighbour_nuisance', group: 'personal', qualifier: 'personal', owner: 'council' },
  { code: 'drug_dealing', group: 'drugs', qualifier: 'nuisance', owner: 'police' },
  { code: 'drug_paraphernalia', group: 'drugs', qualifier: 'environmental', owner: 'council' },
  { code: 'nitrous_oxide', group: 'drugs', qualifier: 'nuisance', owner: 'council_and_police' },
  { code: 'street_drinking', group: 'drugs', qualifier: 'nuisance', owner: 'council_and_police' },
  { code: 'groups_nuisance', group: 'groups', qualifier: 'nuisance', owner: 'council_and_police' },
  { code: 'communal_areas', group: 'groups', qualifier: 'nuisance', owner: 'council' },
  { code: 'begging', group: 'groups', qualifier: 'nuisance', owner: 'council_and_police' },
  { code: 'sex_work', group: 'groups', qualifier: 'nuisance', owner: 'police' },
  { code: 'vehicle_nuisance', group: 'vehicles', qualifier: 'nuisance', owner: 'police' },
  { code: 'abandoned_vehicle', group: 'vehicles', qualifier: 'environmental', owner: 'council' },
  { code: 'fly_tipping', group: 'environmental', qualifier: 'environmental', owner: 'council' },
  { code: 'graffiti', group: 'environmental', qualifier: 'environmental', owner: 'council' },
  { code: 'vandalism', group: 'environmental', qualifier: 'environmental', owner: 'council_and_police' },
  { code: 'dog_fouling', group: 'environmental', qualifier: 'environmental', owner: 'council' },
  { code: 'animals', group: 'animals', qualifier: 'nuisance', owner: 'council_and_police' },
  { code: 'fireworks_weapons', group: 'weapons', qualifier: 'nuisance', owner: 'police' },
  { code: 'property_misuse', group: 'property', qualifier: 'nuisance', owner: 'council_and_police' },
  { code: 'other', group: 'other', qualifier: 'nuisance', owner: 'council' },
]

export const CATEGORY_CODES = CATEGORIES.map(category => category.code)

export function findCategory(code: string): Category | undefined {
  return CATEGORIES.find(category => category.code === code)
}

/**
 * Types whose small public counts could point at a person (docs/public-data.md): those aimed at an individual by
 * default, the NSIR "personal" types (harassment, hate, neighbour nuisance). Domestic abuse and safeguarding are not
 * ASB types here: triage sends them elsewhere, so no count of them is published.
 */
export function isSensitiveCategory(code: string): boolean {
  return findCategory(code)?.qualifier === 'personal'
}

export const PROTECTED_CHARACTERISTICS = [
  'race',
  'religion',
  'disability',
  'sexual_orientation',
  'transgender_identity',
] as const
export type ProtectedCharacteristic = (typeof PROTECTED_CHARACTERISTICS)[number]

export interface CategorisationInput {
  category: string
  reporterRole: 'victim' | 'on_behalf' | 'witness'
  targeted: 'yes' | 'no' | 'not_sure'
  characteristics: readonly string[]
}

export interface Categorisation {
  category: Category
  qualifier: NsirQualifier
  hate: boolean
}

/**
 * The qualifier is the type's default unless the behaviour was aimed at someone: a victim (or someone reporting on a
 * victim's behalf) who says they were targeted makes it personal. A protected characteristic given as the reason for
 * targeting, or the hate type itself, sets the hate flag.
 */
export function categorise(input: CategorisationInput): Categorisation {
  const category = findCategory(input.category)
  if (!category) throw new Error(`Unknown category ${input.category}`)
  const targeted = input.targeted === 'yes' && input.reporterRole !== 'witness'
  const hate = category.hate === true || (input.targeted === 'yes' && input.characteristics.length > 0)
  const qualifier: NsirQualifier = hate || targeted ? 'personal' : category.qualifier
  return { category, qualifier, hate }
}
