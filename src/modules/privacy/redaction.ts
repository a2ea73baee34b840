/**
 * Third-party redaction for a subject access bundle (UK GDPR Art. 15(4), DPA 2018 Sch. 2 para. 16): other people's
 * names are replaced in free text, and staff appear by role, team and organisation only, as councils commonly do for
 * officers below senior level. See docs/subject-access.md.
 */
import type { StaffRecord } from './privacy-repository.js'

export const REDACTED = '[redacted]'

export interface StaffReference {
  role: string
  team: string | null
  organisation: string
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * Replaces every whole-word occurrence of each name (case-insensitive) with `[redacted]`, longest names first, except
 * the names in `keep` (the subject's own). Names shorter than three characters are ignored: they would redact words.
 */
export function createRedactor(names: Iterable<string>, keep: Iterable<string> = []) {
  const kept = new Set([...keep].map(name => name.trim().toLowerCase()))
  const unique = [...new Set([...names].map(name => name.trim()).filter(name => name.length >= 3))]
    .filter(name => !kept.has(name.toLowerCase()))
    .sort((a, b) => b.length - a.length)
  const pattern =
    unique.length > 0
      ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${unique.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'giu')
      : undefined
  return (text: string | null | undefined): string | null => {
    if (text === null || text === undefined) return null
    return pattern ? text.replace(pattern, REDACTED) : text
  }
}

export type Redactor = ReturnType<typeof createRedactor>

const ROLE_ORDER = ['supervisor', 'officer', 'panel-coordinator', 'analyst', 'partner-read-only', 'administrator']

/** A member of staff as the bundle shows them: the most senior case role, their team and their organisation. */
export function staffReference(staff: StaffRecord | undefined): StaffReference | null {
  if (!staff) return null
  const role = ROLE_ORDER.find(candidate => staff.roles.includes(candidate)) ?? staff.roles[0] ?? 'staff'
  return { role, team: staff.team_name, organisation: staff.partner_name }
}

export function staffText(reference: StaffReference | null): string {
  if (!reference) return ''
  return [reference.role, reference.team, reference.organisation].filter(Boolean).join(', ')
}
