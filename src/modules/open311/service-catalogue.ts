/**
 * Services and their definitions, from the ASB taxonomy and the intake's questions (the same ones the web journey
 * asks). One service per category; every service asks the same attributes, so one definition serves all of them.
 * Attribute codes are ours and stable: they are what `attribute[CODE]=` carries on POST.
 */
import { CATEGORIES, findCategory, intakeChoices, PROTECTED_CHARACTERISTICS } from '../reporting/index.js'
import { t } from '../../platform/i18n.js'
import type { Attribute, Service, ServiceDefinition } from './open311-schemas.js'

export interface AttributeSpec {
  code: string
  datatype: Attribute['datatype']
  required: boolean
  variable: boolean
  description: () => string
  values?: readonly string[]
  valueName?: (key: string) => string
}

const option = (group: string) => (key: string) => t(`report.options.${group}.${key}`)

export const ATTRIBUTES: readonly AttributeSpec[] = [
  {
    code: 'safety_notice',
    datatype: 'string',
    required: false,
    variable: false,
    description: () => t('open311.safetyNotice'),
  },
  {
    code: 'occurred_datetime',
    datatype: 'datetime',
    required: false,
    variable: true,
    description: () => t('open311.attributes.occurredDatetime'),
  },
  {
    code: 'pattern',
    datatype: 'singlevaluelist',
    required: true,
    variable: true,
    description: () => t('report.when.patternLegend'),
    values: ['one_off', 'ongoing'],
    valueName: option('pattern'),
  },
  {
    code: 'frequency',
    datatype: 'singlevaluelist',
    required: false,
    variable: true,
    description: () => t('open311.attributes.frequency'),
    values: intakeChoices.FREQUENCIES,
    valueName: option('frequency'),
  },
  {
    code: 'reporter_role',
    datatype: 'singlevaluelist',
    required: true,
    variable: true,
    description: () => t('report.impact.reporterRoleLegend'),
    values: intakeChoices.REPORTER_ROLES,
    valueName: option('reporterRole'),
  },
  {
    code: 'how_often',
    datatype: 'singlevaluelist',
    required: false,
    variable: true,
    description: () => t('report.impact.howOftenLegend'),
    values: intakeChoices.HOW_OFTEN,
    valueName: option('howOften'),
  },
  {
    code: 'unsafe_at_home',
    datatype: 'singlevaluelist',
    required: true,
    variable: true,
    description: () => t('report.impact.unsafeAtHomeLegend'),
    values: intakeChoices.YES_NO_PREFER,
    valueName: option('yesNoPrefer'),
  },
  {
    code: 'health_affected',
    datatype: 'singlevaluelist',
    required: true,
    variable: true,
    description: () => t('report.impact.healthAffectedLegend'),
    values: intakeChoices.YES_NO_PREFER,
    valueName: option('yesNoPrefer'),
  },
  {
    code: 'targeted',
    datatype: 'singlevaluelist',
    required: true,
    variable: true,
    description: () => t('report.impact.targetedLegend'),
    values: intakeChoices.TARGETED,
    valueName: option('targeted'),
  },
  {
    code: 'characteristics',
    datatype: 'multivaluelist',
    required: false,
    variable: true,
    description: () => t('open311.attributes.characteristics'),
    values: PROTECTED_CHARACTERISTICS,
    valueName: option('characteristics'),
  },
  {
    code: 'reporter_mode',
    datatype: 'singlevaluelist',
    required: false,
    variable: true,
    description: () => t('open311.attributes.reporterMode'),
    values: intakeChoices.REPORTER_MODES,
    valueName: option('modeLong'),
  },
  {
    code: 'contact_preference',
    datatype: 'singlevaluelist',
    required: false,
    variable: true,
    description: () => t('open311.attributes.contactPreference'),
    values: intakeChoices.CONTACT_PREFERENCES,
    valueName: option('contactPreference'),
  },
  {
    code: 'consent_to_share',
    datatype: 'singlevaluelist',
    required: false,
    variable: true,
    description: () => t('open311.attributes.consentToShare'),
    values: ['yes', 'no'],
    valueName: option('consent'),
  },
]

export function findAttribute(code: string): AttributeSpec | undefined {
  return ATTRIBUTES.find(attribute => attribute.code === code)
}

export function isServiceCode(code: string): boolean {
  return findCategory(code) !== undefined
}

/** Personal categories are `private` (FixMyStreet keeps such reports off its public map). */
export function listServices(type: Service['type'] = 'realtime'): Service[] {
  return CATEGORIES.map(category => ({
    service_code: category.code,
    service_name: t(`report.categories.${category.code}.label`),
    description: t(`report.categories.${category.code}.hint`),
    metadata: true,
    type,
    keywords: [category.group, ...(category.qualifier === 'personal' ? ['private'] : [])].join(','),
    group: t(`report.groups.${category.group}`),
  }))
}

export function serviceName(code: string): string {
  return findCategory(code) ? t(`report.categories.${code}.label`) : code
}

export function serviceDefinition(code: string): ServiceDefinition | undefined {
  if (!isServiceCode(code)) return undefined
  return {
    service_code: code,
    attributes: ATTRIBUTES.map((attribute, index) => ({
      variable: attribute.variable,
      code: attribute.code,
      datatype: attribute.datatype,
      required: attribute.required,
      datatype_description: t(`open311.datatypes.${attribute.datatype}`),
      order: index + 1,
      description: attribute.description(),
      ...(attribute.values
        ? {
            values: attribute.values.map(key => ({ key, name: attribute.valueName ? attribute.valueName(key) : key })),
          }
        : {}),
    })),
  }
}
