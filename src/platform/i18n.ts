/**
 * All user-facing copy lives in src/locales/<lang>.json. `t('report.where.title', { ward })` looks a key up and fills
 * `{placeholders}`. A missing key throws in development and test, so a typo cannot reach a page.
 *
 * A message that depends on a number is an object of plural forms, `{ "one": "{total} case", "other": "{total} cases" }`,
 * chosen by the language's plural rules from the `total` (or else `count`) parameter.
 */
import fs from 'node:fs'
import path from 'node:path'

import { projectRoot } from '../config.js'

interface Messages {
  [key: string]: string | Messages
}

const cache = new Map<string, Messages>()

function load(lang: string): Messages {
  let messages = cache.get(lang)
  if (!messages) {
    messages = JSON.parse(fs.readFileSync(path.join(projectRoot, 'src', 'locales', `${lang}.json`), 'utf8')) as Messages
    cache.set(lang, messages)
  }
  return messages
}

export class MissingTranslationError extends Error {}

export function lookup(key: string, lang = 'en'): string | Messages | undefined {
  let node: string | Messages | undefined = load(lang)
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined
    node = node[part]
  }
  return node
}

function pluralForm(forms: Messages, params: Record<string, string | number>, lang: string): string | undefined {
  const amount = Number(params.total ?? params.count)
  const form = Number.isFinite(amount) ? new Intl.PluralRules(lang).select(amount) : 'other'
  const chosen = forms[form] ?? forms.other
  return typeof chosen === 'string' ? chosen : undefined
}

export function t(key: string, params: Record<string, string | number> = {}, lang = 'en'): string {
  const found = lookup(key, lang)
  const value =
    found !== undefined && typeof found !== 'string' && 'other' in found ? pluralForm(found, params, lang) : found
  if (typeof value !== 'string') throw new MissingTranslationError(`No copy for "${key}" in ${lang}.json`)
  return value.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

/** Every leaf key, for the guard test that checks every key used exists. */
export function allKeys(lang = 'en'): string[] {
  const keys: string[] = []
  const walk = (node: Messages, prefix: string) => {
    for (const [name, value] of Object.entries(node)) {
      const key = prefix ? `${prefix}.${name}` : name
      if (typeof value === 'string') keys.push(key)
      else walk(value, key)
    }
  }
  walk(load(lang), '')
  return keys
}
