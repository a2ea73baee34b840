/**
 * Matching keys for names, addresses and postcodes (ADR 0052). Names in the borough are often written several ways:
 * transliterations from Bengali, Arabic and Somali (Mohammed, Muhammad, Mohamed; Hussain, Hossain; Chowdhury,
 * Choudhury) and ordinary typos. A name's key keeps its first letter and its consonants, so most spellings meet on one
 * key; a typo the key does not absorb is caught by an edit distance of one between keys or between the spellings.
 * Pure functions, the same on PGlite and PostgreSQL (no database extension needed).
 */

/** Spellings that no consonant rule joins, mapped to one form before keying. */
const VARIANTS: Readonly<Record<string, string>> = {
  md: 'mohammed',
  mohd: 'mohammed',
  muhd: 'mohammed',
  mohamad: 'mohammed',
  mahomed: 'mohammed',
  abdul: 'abdul',
  abd: 'abdul',
  abdel: 'abdul',
  mst: 'mosammat',
  mossamat: 'mosammat',
  mosamat: 'mosammat',
}

/** Lower case, without accents, punctuation or repeated spaces: `  O'Brien-Smith ` → `obrien smith`. */
export function normaliseText(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

/** The words of a name, normalised and with the known variant spellings joined. */
export function nameWords(name: string): string[] {
  return normaliseText(name)
    .split(' ')
    .filter(word => word.length > 0)
    .map(word => VARIANTS[word] ?? word)
}

/**
 * One word's key: the first letter, then the consonants, with sounds spelt several ways made one (ph → f, ck → k,
 * z → s, double letters once); vowels, h after a consonant, w and y after the first letter are dropped.
 * Mohammed, Muhammad, Mohamed → `mmd`; Hussain, Hossain, Husain → `hsn`; Uddin, Udin → `udn`; Smith, Smyth → `smt`.
 */
export function wordKey(word: string): string {
  let w = word.replace(/ph/g, 'f').replace(/ck/g, 'k').replace(/q/g, 'k').replace(/z/g, 's').replace(/x/g, 'ks')
  w = w.replace(/(.)\1+/g, '$1')
  const first = w.charAt(0)
  const rest = w
    .slice(1)
    .replace(/([^aeiou])h/g, '$1')
    .replace(/[aeiouwyh]/g, '')
  return (first + rest).replace(/(.)\1+/g, '$1')
}

/** The keys of a name's words, sorted (family names come first or last): what `person_link.name_key` stores. */
export function nameKey(name: string): string {
  return nameWords(name).map(wordKey).sort().join(' ')
}

/** A name's words as written (normalised, variants joined), sorted: two records the index links without asking. */
export function spellingKey(name: string): string {
  return nameWords(name).sort().join(' ')
}

/** Damerau–Levenshtein distance (adjacent transpositions count as one edit), stopping early above `limit`. */
export function editDistance(a: string, b: string, limit = 2): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  const width = b.length + 1
  const cells = new Array<number>((a.length + 1) * width).fill(0)
  const at = (i: number, j: number) => cells[i * width + j] ?? 0
  for (let j = 0; j <= b.length; j += 1) cells[j] = j
  for (let i = 1; i <= a.length; i += 1) {
    cells[i * width] = i
    let best = i
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, at(i - 2, j - 2) + 1)
      cells[i * width + j] = value
      best = Math.min(best, value)
    }
    if (best > limit) return limit + 1
  }
  return at(a.length, b.length)
}

/** How well one searched word matches one recorded word: 1 the same, 0.9 the same key, 0.75 one edit away, else 0. */
export function wordMatch(searched: string, recorded: string): number {
  if (searched === recorded) return 1
  const searchedKey = wordKey(searched)
  const recordedKey = wordKey(recorded)
  if (searchedKey === recordedKey) return searched.length > 1 && recorded.length > 1 ? 0.9 : 0.5
  // Short keys one edit apart are too many names to be a match (Ali, Aly, Alam…).
  if (searchedKey.length >= 3 && recordedKey.length >= 3 && editDistance(searchedKey, recordedKey, 1) <= 1) return 0.75
  if (searched.length >= 4 && recorded.length >= 4 && editDistance(searched, recorded, 1) <= 1) return 0.75
  return 0
}

/**
 * How well a searched name matches a recorded one, from 0 to 1: every searched word must match a different recorded
 * word (in any order: family names are written first or last), and the score is the mean of the matches.
 */
export function nameMatch(searched: string, recorded: string): number {
  const wanted = nameWords(searched)
  const have = nameWords(recorded)
  if (wanted.length === 0 || have.length === 0) return 0
  const used = new Set<number>()
  let total = 0
  for (const word of wanted) {
    let best = 0
    let at = -1
    have.forEach((candidate, index) => {
      if (used.has(index)) return
      const score = wordMatch(word, candidate)
      if (score > best) {
        best = score
        at = index
      }
    })
    if (best === 0) return 0
    used.add(at)
    total += best
  }
  return total / wanted.length
}

const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$/
const OUTWARD = /^[A-Z]{1,2}\d[A-Z\d]?$/

/** `e1 6an` → `E1 6AN`; undefined when it is not a full UK postcode. */
export function normalisePostcode(value: string | null | undefined): string | undefined {
  const match = POSTCODE.exec((value ?? '').toUpperCase().replace(/\s+/g, ' ').trim())
  return match ? `${match[1] ?? ''} ${match[2] ?? ''}` : undefined
}

/** `e1` → `E1` when the value is an outward code alone (a postcode district), else undefined. */
export function outwardCode(value: string): string | undefined {
  const trimmed = value.toUpperCase().replace(/\s+/g, '').trim()
  return OUTWARD.test(trimmed) ? trimmed : undefined
}

/** Abbreviations in street addresses, written out so `12 Commercial Rd` and `12 Commercial Road` meet. */
const STREET_WORDS: Readonly<Record<string, string>> = {
  rd: 'road',
  st: 'street',
  ln: 'lane',
  ave: 'avenue',
  av: 'avenue',
  sq: 'square',
  ct: 'court',
  pl: 'place',
  gdns: 'gardens',
  est: 'estate',
  ho: 'house',
  hse: 'house',
  flt: 'flat',
}

/** An address's words, normalised, with the postcode taken out and street abbreviations written out. */
export function addressWords(address: string): string[] {
  return normaliseText(address.replace(/\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/gi, ' '))
    .split(' ')
    .filter(word => word.length > 0)
    .map(word => STREET_WORDS[word] ?? word)
}

/** Whether every searched address word is in the recorded address (in any order). */
export function addressMatches(searched: string, recorded: string): boolean {
  const wanted = addressWords(searched)
  if (wanted.length === 0) return false
  const have = new Set(addressWords(recorded))
  return wanted.every(word => have.has(word))
}

/**
 * The key a place is kept under: its UPRN when known, else its normalised address and postcode, else the postcode
 * alone (a report located only by postcode), undefined when there is nothing to place.
 */
export function placeKey(input: { uprn?: string | null; address?: string | null; postcode?: string | null }) {
  if (input.uprn) return `uprn:${input.uprn.trim()}`
  const postcode = normalisePostcode(input.postcode)
  const words = input.address ? addressWords(input.address).join(' ') : ''
  if (words && postcode) return `address:${words}|${postcode}`
  if (words) return `address:${words}`
  if (postcode) return `postcode:${postcode}`
  return undefined
}
