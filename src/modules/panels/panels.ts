/**
 * Builds the panels module from the composition root's shared pieces, and the two connections other modules use:
 * the risk module's Community MARAC referral hook and the performance module's indicator source registry.
 */
import type { Kysely } from 'kysely'

import type { Database } from '../../db/schema.js'
import type { Actor, AuditService } from '../../platform/audit.js'
import type { Clock } from '../../platform/clock.js'
import { t } from '../../platform/i18n.js'
import { partyLabel, type Casework } from '../casework/index.js'
import { createCommunityService, createPanelCounts } from './community-service.js'
import { DEFAULT_MARAC_POLICY, type MaracPolicy } from './marac-rules.js'
import { createMaracService } from './marac-service.js'
import { createPanelsRepository, type Executor } from './panels-repository.js'
import { createPanelsService } from './panels-service.js'

export function createPanels(deps: {
  db: Kysely<Database>
  casework: Casework
  audit: AuditService
  clock: Clock
  maracPolicy?: MaracPolicy
}) {
  const repository = createPanelsRepository(deps.db)
  const service = createPanelsService({ repository, casework: deps.casework, audit: deps.audit, clock: deps.clock })
  const marac = createMaracService({
    repository,
    panels: service,
    casework: deps.casework,
    audit: deps.audit,
    clock: deps.clock,
    policy: deps.maracPolicy ?? DEFAULT_MARAC_POLICY,
  })
  const community = createCommunityService({
    repository,
    panels: service,
    casework: deps.casework,
    audit: deps.audit,
    clock: deps.clock,
  })
  return {
    service,
    marac,
    community,
    counts: createPanelCounts(repository, deps.clock),
    repository,
    /** Puts an item on a panel's agenda (see PanelsService.refer): for the risk and Case Review modules. */
    refer: service.refer,
  }
}

export type Panels = ReturnType<typeof createPanels>

/** What the panels module needs of a Community MARAC referral the risk module made. */
export interface RiskMaracReferral {
  id: string
  case_id: string
  party_id: string
  reason: string
  referred_by: string
}

/** The risk module's hook (src/modules/risk: `onMaracReferral`). */
export interface RiskReferralHook {
  onMaracReferral(listener: (referral: RiskMaracReferral, trx: Executor) => Promise<void>): void
}

/**
 * A high-risk victim the risk module refers to the Community MARAC lands on the panel's open referrals (and so on
 * its next agenda), in the same transaction as the risk module's referral.
 */
export function connectRiskReferrals(panels: Panels, risk: RiskReferralHook, casework: Casework): void {
  risk.onMaracReferral(async (referral, trx) => {
    const [caseRow, party, referrer] = await Promise.all([
      casework.repository.caseById(referral.case_id, trx),
      casework.partyById(referral.party_id, trx),
      trx.selectFrom('staff_user').select('partner_id').where('id', '=', referral.referred_by).executeTakeFirst(),
    ])
    const actor: Actor = { type: 'user', id: referral.referred_by }
    await panels.service.refer(
      {
        panel: 'community-marac',
        caseId: referral.case_id,
        partyId: referral.party_id,
        subject: t('panels.subject.party', {
          // The agenda is read by every member partner: a confidential reporter is not named in it.
          name: party ? partyLabel(party) : '',
          role: party?.role ?? 'victim',
          reference: caseRow?.reference ?? '',
        }),
        reason: t('panels.subject.riskReason', { reason: referral.reason }),
        sourceModule: 'risk',
        sourceId: referral.id,
        wardCode: caseRow?.ward_code ?? null,
        criteria: [],
        referredBy: referrer ? { userId: referral.referred_by, partnerId: referrer.partner_id } : null,
      },
      actor,
      trx,
    )
  })
}
