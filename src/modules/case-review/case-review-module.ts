/**
 * What the ASB Case Review adds: the resident's application, the staff dashboard and every step after it, a tile on
 * the public home page, a staff navigation entry, and the guards for its records (ADR 0025).
 */
import { bindRoutes, type SaferModule } from '../../platform/module-contract.js'
import { t } from '../../platform/i18n.js'
import type { PdfRenderer } from '../../platform/pdf.js'
import type { PackLetterhead } from '../pack/index.js'
import type { CaseReview } from './case-review.js'
import { caseReviewIndicatorSources, type CaseReviewCounts } from './case-review-counts.js'
import { caseReviewPaths } from './case-review-paths.js'
import { caseReviewPlugin } from './case-review-plugin.js'

export function caseReviewModule(options: {
  caseReview: CaseReview
  pdf: PdfRenderer
  /** The council's name for letters, read when a letter is made (the geography may load after start). */
  boroughName: () => string
  /** Who the letters come from (the CSP pack's letterhead); none: the borough's Community Safety Partnership. */
  letterhead?: PackLetterhead | null
  counts: CaseReviewCounts
}): SaferModule {
  const { caseReview } = options
  return {
    name: 'case-review',
    routes: [
      bindRoutes(caseReviewPlugin, {
        caseReview,
        pdf: options.pdf,
        boroughName: options.boroughName,
        letterhead: options.letterhead ?? null,
      }),
    ],
    homeTiles: [
      {
        href: caseReviewPaths.start,
        title: t('caseReview.home.title'),
        description: t('caseReview.home.description'),
        order: 30,
      },
    ],
    navigation: [
      {
        href: caseReviewPaths.dashboard,
        text: t('caseReview.nav.dashboard'),
        roles: ['officer', 'supervisor', 'panel-coordinator'],
        order: 50,
      },
    ],
    resourceGuards: caseReview.access.guards,
    indicatorSources: caseReviewIndicatorSources(options.counts),
  }
}
