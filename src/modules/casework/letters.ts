/**
 * Letters generated from templates: a warning letter and a Community Protection Warning (ASBCPA 2014 s43: a written
 * warning that a notice will follow if the conduct does not stop by a stated time). Each is a complete HTML document,
 * stored as generated so the case keeps exactly what was sent, and printed to PDF by the platform renderer.
 */
import type nunjucks from 'nunjucks'

import type { CaseRow, PartyRow } from './casework-repository.js'

export const LETTER_TEMPLATES = ['warning-letter', 'community-protection-warning'] as const
export type LetterTemplate = (typeof LETTER_TEMPLATES)[number]

export interface LetterInput {
  caseRow: CaseRow
  party: PartyRow
  behaviour: string
  requirements: string | null
  deadline: string | null
  officer: { name: string; partner: string }
  date: Date
}

export function renderLetter(env: nunjucks.Environment, template: LetterTemplate, input: LetterInput): string {
  return env.render(`casework/views/letters/${template}.njk`, input)
}
