/**
 * The resident journey's question pages (/report and its steps, up to "who"): each step's page shows the answers so
 * far, and its form re-renders with 400 and the answers on a mistake, or saves and redirects on.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'

import type { GeographyService } from '../geography/index.js'
import { t } from '../../platform/i18n.js'
import {
  CONTACT_PREFERENCES,
  FREQUENCIES,
  HOW_OFTEN,
  REPORTER_MODES,
  REPORTER_ROLES,
  TARGETED,
  YES_NO_PREFER,
} from './intake-schema.js'
import {
  CONSENT,
  errorSummary,
  firstMissingStep,
  PATTERNS,
  postcodeInvalidMessage,
  text,
  TRIAGE,
  validateCategory,
  validateDescription,
  validateImpact,
  validatePostcode,
  validateTriage,
  validateWard,
  validateWhen,
  validateWho,
  type Answers,
  type Body,
  type Errors,
  type StepResult,
} from './journey.js'
import {
  ChangeQuery,
  draftAudit,
  FormBody,
  isChanging,
  outsideAnswers,
  returnTo,
  view,
  type DraftSession,
} from './journey-session.js'
import type { Reporting } from './reporting.js'
import { reportingPaths } from './reporting-paths.js'
import { categoryItems, characteristicItems, optionItems, presentWherePage } from './reporting-presenters.js'

export interface JourneyRoutesOptions {
  reporting: Reporting
  geography: GeographyService
  session: DraftSession
  /** Whether the CSP pack has postcodes (see `ReportingRoutesOptions.postcodes`). */
  postcodes: boolean
  /** The example postcode in the "where" page's hint, from the CSP pack. */
  examplePostcode?: string
}

/** A step page: its template, how to build its view model, its validator and where it goes next. */
interface Step {
  name: string
  template: string
  model(values: Answers): Record<string, unknown>
  validate(body: Body): StepResult | Promise<StepResult>
  next(values: Answers): string
  /** Extra answers derived after validation (for example the located ward). Returns a redirect or an error. */
  resolve?(
    result: StepResult,
    request: FastifyRequest,
  ): Promise<{ answers?: Answers; redirect?: string; errors?: Errors }>
}

export const journeyRoutes: FastifyPluginAsyncTypebox<JourneyRoutesOptions> = async (app, options) => {
  const { reporting, geography, session, postcodes } = options
  const wherePage = presentWherePage({ postcodes, examplePostcode: options.examplePostcode })

  const wardItems = (selected: unknown) => [
    { value: '', text: t('report.whereWard.choose') },
    ...geography.wards().map(ward => ({ value: ward.code, text: ward.name, selected: selected === ward.code })),
  ]

  const steps: Step[] = [
    {
      name: 'triage',
      template: 'triage',
      model: values => ({ items: optionItems(TRIAGE, 'triage.options', values.triage) }),
      validate: validateTriage,
      next: values => (values.triage === 'asb' ? reportingPaths.step('what') : reportingPaths.step('advice')),
    },
    {
      name: 'what',
      template: 'what',
      model: values => ({ items: categoryItems(values.category) }),
      validate: validateCategory,
      next: () => reportingPaths.step('where'),
    },
    {
      name: 'where',
      template: 'where',
      model: () => ({ postcodes, ...wherePage }),
      validate: body => validatePostcode(body, { postcodes, examplePostcode: options.examplePostcode }),
      next: () => reportingPaths.step('when'),
      async resolve(result) {
        const { point } = result as ReturnType<typeof validatePostcode>
        const postcode = String(result.values.postcode)
        if (point) {
          const where = geography.whereIs(point)
          if (!where.inBorough)
            return { answers: outsideAnswers(where.neighbour, ''), redirect: reportingPaths.step('outside') }
          return {
            answers: {
              locationMode: 'point',
              latitude: point.latitude,
              longitude: point.longitude,
              wardCode: where.location.ward.code,
              postcode: '',
              outside: null,
            },
          }
        }
        const found = await geography.lookupPostcode(postcode)
        if (found.status === 'invalid') return { errors: { postcode: postcodeInvalidMessage(options.examplePostcode) } }
        if (found.status === 'unknown')
          return {
            // Not in the borough's postcodes: perhaps another council's, so the page offers the way to find it.
            answers: { unknownPostcode: found.postcode },
            errors: {
              postcode: t('report.where.errors.postcodeUnknown', {
                postcode: found.postcode,
                borough: geography.borough().shortName,
              }),
            },
          }
        if (!found.location) {
          const where = geography.whereIs(found.point)
          return {
            answers: outsideAnswers(where.inBorough ? null : where.neighbour, found.postcode),
            redirect: reportingPaths.step('outside'),
          }
        }
        return {
          answers: {
            locationMode: 'postcode',
            postcode: found.postcode,
            latitude: null,
            longitude: null,
            wardCode: found.location.ward.code,
            outside: null,
          },
        }
      },
    },
    {
      name: 'where-ward',
      template: 'where-ward',
      model: values => ({ wardItems: wardItems(values.wardCode), postcodes }),
      validate: body =>
        validateWard(
          body,
          geography.wards().map(ward => ward.code),
        ),
      next: () => reportingPaths.step('when'),
      async resolve() {
        return { answers: { locationMode: 'ward', postcode: '', latitude: null, longitude: null, outside: null } }
      },
    },
    {
      name: 'when',
      template: 'when',
      model: values => ({
        patternItems: optionItems(PATTERNS, 'options.pattern', values.pattern),
        frequencyItems: optionItems(FREQUENCIES, 'options.frequency', values.frequency),
      }),
      validate: body => validateWhen(body, reporting.clockNow()),
      next: () => reportingPaths.step('description'),
    },
    {
      name: 'description',
      template: 'description',
      model: () => ({}),
      validate: validateDescription,
      // Reporting it again, everything else is kept from the earlier report: on to "Is it one of these?" and "check".
      next: answers => reportingPaths.step(typeof answers.againOf === 'string' ? 'similar' : 'evidence'),
    },
    {
      name: 'impact',
      template: 'impact',
      model: values => ({
        reporterRoleItems: optionItems(REPORTER_ROLES, 'options.reporterRole', values.reporterRole),
        howOftenItems: optionItems(HOW_OFTEN, 'options.howOften', values.howOften),
        unsafeAtHomeItems: optionItems(YES_NO_PREFER, 'options.yesNoPrefer', values.unsafeAtHome),
        healthAffectedItems: optionItems(YES_NO_PREFER, 'options.yesNoPrefer', values.healthAffected),
        targetedItems: optionItems(TARGETED, 'options.targeted', values.targeted),
        characteristicItems: characteristicItems(values.characteristics),
      }),
      validate: validateImpact,
      next: () => reportingPaths.step('who'),
    },
    {
      name: 'who',
      template: 'who',
      model: values => ({
        modeItems: optionItems(REPORTER_MODES, 'options.modeLong', values.mode),
        contactItems: optionItems(CONTACT_PREFERENCES, 'options.contactPreference', values.contactPreference),
        consentItems: optionItems(CONSENT, 'options.consent', values.consent),
      }),
      validate: validateWho,
      next: () => reportingPaths.step('similar'),
    },
  ]

  for (const step of steps) {
    const url = reportingPaths.step(step.name)
    app.get(
      url,
      {
        config: { access: 'public', audit: step.name === 'triage' || step.name === 'what' ? false : draftAudit },
        schema: { querystring: ChangeQuery },
      },
      async (request, reply) => {
        const draft = await session.activeDraft(request)
        const values = draft?.answers ?? {}
        return reply.view(view(step.template), {
          ...step.model(values),
          values,
          returnTo: isChanging(request.query) ? 'check' : '',
        })
      },
    )

    app.post(
      url,
      {
        config: { access: 'public', audit: { action: 'REPORT_DRAFT_UPDATED', subjectType: 'report_draft' } },
        schema: { body: FormBody },
      },
      async (request, reply) => {
        const body = request.body
        const result = await step.validate(body)
        let errors = result.errors
        let extra: Answers = {}
        let redirect: string | undefined
        if (Object.keys(errors).length === 0 && step.resolve) {
          const resolved = await step.resolve(result, request)
          if (resolved.errors) errors = resolved.errors
          extra = resolved.answers ?? {}
          redirect = resolved.redirect
        }
        if (Object.keys(errors).length > 0) {
          request.auditContext.skip = true
          return reply.code(400).view(view(step.template), {
            ...step.model(result.values),
            unknownPostcode: typeof extra.unknownPostcode === 'string' ? extra.unknownPostcode : null,
            values: result.values,
            errors,
            errorSummary: errorSummary(errors),
            returnTo: text(body, 'returnTo'),
          })
        }
        const answers = { ...result.values, ...extra }
        const draft = await session.save(request, reply, answers)
        if (redirect) return reply.redirect(redirect, 303)
        const next = returnTo(body, step.next(draft.answers))
        // After changing an answer, go back to "check" only when everything is still answered.
        const missing = firstMissingStep(draft.answers)
        if (next === reportingPaths.step('check') && missing) return reply.redirect(reportingPaths.step(missing), 303)
        return reply.redirect(next, 303)
      },
    )
  }

  app.get(reportingPaths.start, { config: { access: 'public', audit: false } }, async (_request, reply) =>
    reply.view(view('start'), { borough: geography.borough() }),
  )

  app.get(reportingPaths.step('advice'), { config: { access: 'public', audit: false } }, async (request, reply) => {
    const draft = await session.activeDraft(request)
    const triage = typeof draft?.answers.triage === 'string' ? draft.answers.triage : 'not_sure'
    return reply.view(view('advice'), { triage, borough: geography.borough() })
  })

  app.get(reportingPaths.step('outside'), { config: { access: 'public', audit: false } }, async (request, reply) => {
    const draft = await session.activeDraft(request)
    const outside = draft?.answers.outside
    if (!isOutside(outside)) return reply.redirect(reportingPaths.step('where'), 303)
    return reply.view(view('outside'), { outside, borough: geography.borough() })
  })
}

/** The "outside the borough" answer a draft holds (see `outsideAnswers`). */
function isOutside(value: unknown): value is { council: string | null; policeForce: string | null; postcode: string } {
  return typeof value === 'object' && value !== null && 'postcode' in value
}
