/**
 * The pure guardrails of the powers ladder: age gates at the action date, prerequisites, computed deadlines and the
 * reminders they turn into. No I/O and no clock: callers pass the dates. Refusals are codes with parameters; the
 * presenters turn them into words (en.json `powers.block`).
 */
import { addDays, addHours, addMonths, addPeriod, ageOn, daysBetween, londonDate } from '../../platform/working-days.js'
import { ruleFor, type PowerCode, type PowerRule, type PowersPolicy } from './powers-policy.js'

export interface Subject {
  id: string
  name: string
  dateOfBirth: string | null
}

/** An action already taken on the case, as the guardrails need it. */
export interface PriorAction {
  id: string
  power: PowerCode
  partyId: string | null
  actionDate: string
  /** The instant a timed action started (dispersal, closure notice served, closure order hearing). */
  startsAt: Date | null
  deadlines: Deadlines
}

/** What a new action says, after field validation. */
export interface ActionFacts {
  power: PowerCode
  actionDate: string
  /** For timed actions: the instant it starts. */
  startsAt: Date | null
  complianceDays?: number
  hours?: number
  authorisationLevel?: 'standard' | 'senior'
  months?: number
  endDate?: string
  durationYears?: number | 'indefinite'
  convictionDate?: string
  yotConsulted?: boolean
  /** The closure notice a closure order follows. */
  priorId?: string
}

export interface Deadlines {
  complianceEnds?: string
  /** First day a CPN may be issued after this CPW. */
  nextStepFrom?: string
  appealBy?: string
  payBy?: string
  reviewOn?: string
  expiresOn?: string
  /** ISO instant. */
  expiresAt?: string
  /** ISO instant: the latest a closure order application may be heard. */
  hearingBy?: string
  annualReviews?: string[]
}

export type Block =
  | { code: 'no-subject' }
  | { code: 'dob-unknown'; minimumAge: number }
  | { code: 'too-young'; age: number; minimumAge: number }
  | { code: 'needs-prior'; prior: PowerCode }
  | { code: 'compliance-not-ended'; ends: string; from: string }
  | { code: 'notice-window-passed'; deadline: string }
  | { code: 'before-notice' }
  | { code: 'needs-yot' }
  | { code: 'under18-too-long'; maxMonths: number }
  | { code: 'under18-years'; minYears: number; maxYears: number }
  | { code: 'adult-years'; minYears: number }
  | { code: 'conviction-after-order' }
  | { code: 'before-case-opened'; opened: string }

export interface Field {
  field: 'party' | 'actionDate' | 'prior' | 'yotConsulted' | 'endDate' | 'durationYears' | 'convictionDate'
}
export type FieldBlock = Block & Field

/** Age on the action date, or the block an age-gated power meets. */
export function ageGate(
  rule: PowerRule,
  subject: Subject | null,
  actionDate: string,
): { age: number | null; block: FieldBlock | null } {
  const age = subject?.dateOfBirth ? ageOn(subject.dateOfBirth, actionDate) : null
  if (rule.minimumAge === null) return { age, block: null }
  if (age === null) return { age, block: { code: 'dob-unknown', minimumAge: rule.minimumAge, field: 'party' } }
  if (age < rule.minimumAge) {
    return { age, block: { code: 'too-young', age, minimumAge: rule.minimumAge, field: 'party' } }
  }
  return { age, block: null }
}

/** The end of `hours` elapsed hours from `start`, with Christmas Day's 24 hours not counted when the rule says so. */
export function hoursLater(start: Date, hours: number, disregardChristmasDay: boolean): Date {
  let end = addHours(start, hours)
  if (!disregardChristmasDay) return end
  for (let day = londonDate(start); day <= londonDate(end); day = addDays(day, 1)) {
    if (day.endsWith('-12-25')) {
      end = addHours(end, 24)
      break
    }
  }
  return end
}

function prerequisiteBlocks(
  rule: PowerRule,
  facts: ActionFacts,
  subject: Subject | null,
  prior: readonly PriorAction[],
): FieldBlock[] {
  const requirement = rule.prerequisite
  if (!requirement) return []
  if (requirement.rule === 'compliance-ended') {
    const warnings = prior.filter(
      action =>
        action.power === requirement.power &&
        action.partyId === (subject?.id ?? null) &&
        action.actionDate <= facts.actionDate,
    )
    if (warnings.length === 0) return [{ code: 'needs-prior', prior: requirement.power, field: 'party' }]
    if (warnings.some(action => (action.deadlines.nextStepFrom ?? '9999-12-31') <= facts.actionDate)) return []
    const soonest = warnings
      .map(action => action.deadlines)
      .sort((a, b) => (a.nextStepFrom ?? '').localeCompare(b.nextStepFrom ?? ''))[0]
    return [
      {
        code: 'compliance-not-ended',
        ends: soonest?.complianceEnds ?? '',
        from: soonest?.nextStepFrom ?? '',
        field: 'actionDate',
      },
    ]
  }
  const notices = prior.filter(action => action.power === requirement.power)
  if (notices.length === 0) return [{ code: 'needs-prior', prior: requirement.power, field: 'prior' }]
  const notice = facts.priorId ? notices.find(action => action.id === facts.priorId) : undefined
  if (!notice?.startsAt) return [{ code: 'needs-prior', prior: requirement.power, field: 'prior' }]
  const at = facts.startsAt
  if (!at) return []
  if (at < notice.startsAt) return [{ code: 'before-notice', field: 'actionDate' }]
  const deadline = hoursLater(notice.startsAt, requirement.hours, requirement.disregardChristmasDay)
  if (at > deadline) return [{ code: 'notice-window-passed', deadline: deadline.toISOString(), field: 'actionDate' }]
  return []
}

function lengthBlocks(rule: PowerRule, facts: ActionFacts, age: number | null): FieldBlock[] {
  const blocks: FieldBlock[] = []
  const minor = age !== null && age < 18
  if (minor && rule.under18?.youthOffendingTeam && facts.yotConsulted !== true) {
    blocks.push({ code: 'needs-yot', field: 'yotConsulted' })
  }
  if (minor && rule.under18?.maxMonths !== undefined) {
    const limit = addMonths(facts.actionDate, rule.under18.maxMonths)
    if (!facts.endDate || facts.endDate > limit) {
      blocks.push({ code: 'under18-too-long', maxMonths: rule.under18.maxMonths, field: 'endDate' })
    }
  }
  if (rule.requiresConviction && facts.convictionDate && facts.convictionDate > facts.actionDate) {
    blocks.push({ code: 'conviction-after-order', field: 'convictionDate' })
  }
  if (facts.durationYears !== undefined) {
    if (minor && rule.under18?.minYears !== undefined && rule.under18.maxYears !== undefined) {
      const years = facts.durationYears
      if (years === 'indefinite' || years < rule.under18.minYears || years > rule.under18.maxYears) {
        blocks.push({
          code: 'under18-years',
          minYears: rule.under18.minYears,
          maxYears: rule.under18.maxYears,
          field: 'durationYears',
        })
      }
    } else if (!minor && rule.adult && facts.durationYears !== 'indefinite') {
      if (facts.durationYears < rule.adult.minYears) {
        blocks.push({ code: 'adult-years', minYears: rule.adult.minYears, field: 'durationYears' })
      }
    }
  }
  return blocks
}

/**
 * Every guardrail a proposed action meets; empty when it may be taken. `prior` holds only the actions that count (not
 * one awaiting a supervisor's approval, refused, withdrawn or discharged). An action cannot be dated before the case
 * was opened (London date), so a warning cannot be backdated to make a notice's time to comply appear to have passed.
 */
export function guardrails(
  policy: PowersPolicy,
  facts: ActionFacts,
  subject: Subject | null,
  prior: readonly PriorAction[],
  caseOpenedOn?: string,
): { age: number | null; blocks: FieldBlock[] } {
  const rule = ruleFor(policy, facts.power)
  const { age, block } = ageGate(rule, subject, facts.actionDate)
  const blocks: FieldBlock[] = block ? [block] : []
  if (caseOpenedOn && facts.actionDate < caseOpenedOn) {
    blocks.push({ code: 'before-case-opened', opened: caseOpenedOn, field: 'actionDate' })
  }
  blocks.push(...prerequisiteBlocks(rule, facts, subject, prior))
  // Lengths depend on the age: only check them once the age is known and allowed.
  if (!block) blocks.push(...lengthBlocks(rule, facts, age))
  return { age, blocks }
}

/** The deadlines an action sets, from the rule and what the officer entered. */
export function computeDeadlines(policy: PowersPolicy, facts: ActionFacts, age: number | null): Deadlines {
  const rule = ruleFor(policy, facts.power)
  const date = facts.actionDate
  const deadlines: Deadlines = {}
  if (rule.review) deadlines.reviewOn = addPeriod(date, rule.review)
  if (rule.compliance && facts.complianceDays !== undefined) {
    deadlines.complianceEnds = addDays(date, facts.complianceDays)
    // Only where a later power waits for it (a CPW before a CPN); a notice's own time to comply leads nowhere.
    if (policy.rules.some(other => other.prerequisite?.power === facts.power))
      deadlines.nextStepFrom = addDays(deadlines.complianceEnds, 1)
  }
  if (rule.appealWindow) deadlines.appealBy = addPeriod(date, rule.appealWindow)
  if (rule.penalty) deadlines.payBy = addPeriod(date, rule.penalty.payWithin)
  if (rule.months && facts.months !== undefined) deadlines.expiresOn = addMonths(date, facts.months)
  if (facts.endDate) deadlines.expiresOn = facts.endDate
  if (rule.hours && facts.startsAt) {
    const hours =
      facts.hours ?? (facts.authorisationLevel === 'senior' ? rule.hours.senior : rule.hours.standard) ?? rule.hours.max
    deadlines.expiresAt = hoursLater(facts.startsAt, hours, rule.hours.disregardChristmasDay).toISOString()
  }
  if (facts.power === 'closure-notice' && facts.startsAt) {
    const order = ruleFor(policy, 'closure-order').prerequisite
    if (order?.rule === 'within-hours') {
      deadlines.hearingBy = hoursLater(facts.startsAt, order.hours, order.disregardChristmasDay).toISOString()
    }
  }
  if (typeof facts.durationYears === 'number') {
    deadlines.expiresOn = addMonths(date, facts.durationYears * 12)
    if (age !== null && age < 18 && rule.under18?.annualReview) {
      const reviews: string[] = []
      for (let year = 1; year < facts.durationYears; year += 1) {
        const on = addMonths(date, year * 12)
        if (age + year < 18) reviews.push(on)
      }
      deadlines.annualReviews = reviews
    }
  }
  return deadlines
}

export type ReminderKind =
  'review' | 'compliance' | 'appeal' | 'payment' | 'expiry' | 'ends' | 'hearing' | 'annual-review'

export interface Reminder {
  kind: ReminderKind
  due: string
  /** The date the reminder is about (the expiry, the deadline). */
  on: string
}

/** The tasks an action's deadlines put on the case, each due on or before what it reminds of. */
export function reminders(policy: PowersPolicy, power: PowerCode, actionDate: string, d: Deadlines): Reminder[] {
  const rule = ruleFor(policy, power)
  const list: Reminder[] = []
  const add = (kind: ReminderKind, on: string | undefined, due = on) => {
    if (on && due) list.push({ kind, on, due: due < actionDate ? actionDate : due })
  }
  add('review', d.reviewOn)
  add('compliance', d.complianceEnds)
  add('appeal', d.appealBy)
  add('payment', d.payBy)
  if (d.expiresOn) {
    const lead = rule.expiryReminder
    add(
      'expiry',
      d.expiresOn,
      lead ? addDays(d.expiresOn, -daysBetween(d.expiresOn, addPeriod(d.expiresOn, lead))) : d.expiresOn,
    )
  }
  if (d.expiresAt) add('ends', londonDate(new Date(d.expiresAt)))
  if (d.hearingBy) add('hearing', londonDate(new Date(d.hearingBy)))
  for (const on of d.annualReviews ?? []) add('annual-review', on)
  return list
}

export interface LadderStep {
  rule: PowerRule
  available: boolean
  blocks: Block[]
  age: number | null
}

/**
 * The ladder for a case as it stands today: every power with whether it could be taken now against the subject,
 * and why not. Lengths and consultations are checked on the form; this shows the gates.
 */
export function ladder(
  policy: PowersPolicy,
  today: string,
  now: Date,
  subject: Subject | null,
  prior: readonly PriorAction[],
): LadderStep[] {
  return policy.rules.map(rule => {
    if (rule.subject === 'person' && !subject) {
      return { rule, available: false, blocks: [{ code: 'no-subject' }], age: null }
    }
    const { age, block } = ageGate(rule, rule.subject === 'person' ? subject : null, today)
    const blocks: Block[] = block ? [block] : []
    if (rule.prerequisite?.rule === 'within-hours') {
      const latest = prior
        .filter(action => action.power === rule.prerequisite?.power && action.startsAt)
        .sort((a, b) => (b.startsAt?.getTime() ?? 0) - (a.startsAt?.getTime() ?? 0))[0]
      blocks.push(
        ...prerequisiteBlocks(
          rule,
          { power: rule.code, actionDate: today, startsAt: now, priorId: latest?.id },
          subject,
          prior,
        ),
      )
    } else if (subject || rule.subject === 'premises') {
      blocks.push(...prerequisiteBlocks(rule, { power: rule.code, actionDate: today, startsAt: now }, subject, prior))
    }
    return { rule, available: blocks.length === 0, blocks, age }
  })
}
