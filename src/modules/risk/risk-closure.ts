/**
 * What the risk module tells casework before a case closes (the closure checklist): the victims whose latest
 * assessment is high, whose review is therefore not done, and who has been referred to the Community MARAC from here.
 */
import type { Kysely, Transaction } from 'kysely'

import type { Database } from '../../db/schema.js'

type Executor = Kysely<Database> | Transaction<Database>

export function riskClosureFacts() {
  return async (caseId: string, _today: string, executor: Executor) => {
    const assessments = await executor
      .selectFrom('risk_assessment')
      .select(['id', 'party_id', 'level', 'review_due', 'created_at'])
      .where('case_id', '=', caseId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute()
    const latest = new Map<string, (typeof assessments)[number]>()
    for (const assessment of assessments)
      if (!latest.has(assessment.party_id)) latest.set(assessment.party_id, assessment)
    const referrals = await executor
      .selectFrom('risk_marac_referral')
      .select('party_id')
      .where('case_id', '=', caseId)
      .where('status', 'in', ['pending', 'accepted', 'heard'])
      .execute()
    return {
      highRiskVictims: [...latest.values()]
        .filter(assessment => assessment.level === 'high')
        .map(assessment => ({ partyId: assessment.party_id, reviewDue: assessment.review_due })),
      maracReferredPartyIds: referrals.map(referral => referral.party_id),
    }
  }
}
