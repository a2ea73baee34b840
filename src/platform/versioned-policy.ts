/**
 * Versioned policy: rules a decision is made under (the victim risk assessment, the ASB powers ladder, the ASB Case
 * Review threshold), kept so that any past decision can be re-read against the rules in force when it was made.
 *
 * A policy is a plain object with a `version`. A deployment runs one policy per kind: the module's default, or the
 * default with local changes (a CSP pack's file, a `*_POLICY_FILE`), which get a version of their own. Every record
 * decided under a policy stores its `policy_version`, and the policy document is stored in the kind's table
 * (`risk_policy`, `power_policy`, `case_review_policy`) the first time a decision uses its version; a document is
 * never changed afterwards.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import type { Kysely, Transaction } from 'kysely'
import type { TSchema } from 'typebox'
import Value from 'typebox/value'

import type { Database } from '../db/schema.js'

export interface VersionedPolicy {
  version: string
}

/** The tables that keep policy documents by version: `{ version, document, first_used_at }`. */
export type PolicyTable = 'risk_policy' | 'power_policy' | 'case_review_policy'

type Executor = Kysely<Database> | Transaction<Database>

/**
 * The default with local changes (top-level keys replace the default's). Changes that name a version keep it;
 * otherwise the result gets the default's version with a fingerprint of its rules, so two different rule sets never
 * share a version, and changes that change nothing keep the default's version.
 */
export function withLocalChanges<P extends VersionedPolicy>(defaults: P, changes: Partial<P>): P {
  const merged: P = { ...defaults, ...changes }
  if (changes.version) return merged
  const rules = { ...merged, version: '' }
  if (JSON.stringify(rules) === JSON.stringify({ ...defaults, version: '' }))
    return { ...merged, version: defaults.version }
  return { ...merged, version: `${defaults.version}+local.${policyFingerprint(rules)}` }
}

/** Eight hex digits of the SHA-256 of the policy's JSON: a short, stable name for one set of rules. */
export function policyFingerprint(rules: object): string {
  return createHash('sha256').update(JSON.stringify(rules)).digest('hex').slice(0, 8)
}

/** Each problem a schema finds in a policy, as `/path message`. */
export function policyProblems(schema: TSchema, policy: unknown): string[] {
  return [...Value.Errors(schema, policy)].map(error => `${error.instancePath} ${error.message}`)
}

export interface PolicyFileOptions<P extends VersionedPolicy> {
  /** The setting that names the file, for messages: `CASE_REVIEW_POLICY_FILE`. */
  setting: string
  /** What the policy is, for messages: `Case Review policy`. */
  what: string
  /** The policy the file's changes apply to. */
  defaults: P
  /** The whole policy's schema, checked after the changes are applied. */
  schema?: TSchema
  /** Further checks the schema cannot express (bounds between fields); each string is one problem. */
  validate?: (policy: P) => string[]
}

/**
 * The policy a deployment runs: `defaults`, or `defaults` changed by a JSON file of policy keys (relative to
 * `root`). An unreadable or invalid file throws an error naming the setting and the file: Safer does not start with
 * rules it cannot read.
 */
export function loadPolicyFile<P extends VersionedPolicy>(
  file: string,
  root: string,
  options: PolicyFileOptions<P>,
): P {
  if (!file) return options.defaults
  const location = path.resolve(root, file)
  let changes: unknown
  try {
    changes = JSON.parse(fs.readFileSync(location, 'utf8'))
  } catch (error) {
    throw new Error(`${options.setting} ${file}: ${(error as Error).message}`, { cause: error })
  }
  const policy = withLocalChanges(
    options.defaults,
    typeof changes === 'object' && changes !== null ? (changes as Partial<P>) : {},
  )
  const problems = [
    ...(options.schema ? policyProblems(options.schema, policy) : []),
    ...(options.validate?.(policy) ?? []),
  ]
  if (problems.length > 0)
    throw new Error(`${options.setting} ${file} is not a valid ${options.what}: ${problems.join('; ')}`)
  return policy
}

/**
 * The store of one kind's policy documents. `remember` is called inside the transaction that records a decision, so
 * the document and the decision commit together; `document` reads back the rules a record's `policy_version` names.
 */
export function createPolicyStore<P extends VersionedPolicy>(db: Kysely<Database>, table: PolicyTable) {
  /** The rules stored under `version`, or undefined when no decision has used that version. */
  async function document(version: string, executor: Executor = db): Promise<P | undefined> {
    const row = await executor.selectFrom(table).select('document').where('version', '=', version).executeTakeFirst()
    return row ? (row.document as unknown as P) : undefined
  }

  return {
    table,
    /** Stores the policy's document the first time a decision uses its version (later calls change nothing). */
    async remember(policy: P, at: Date, executor: Executor = db): Promise<void> {
      await executor
        .insertInto(table)
        .values({ version: policy.version, document: JSON.stringify(policy), first_used_at: at })
        .onConflict(oc => oc.column('version').doNothing())
        .execute()
    },
    document,
    /**
     * The rules a record was decided under, from the version it stored (`policy_version`): `current` when that is
     * the version in force (no read), else the stored document; undefined for a version this database never stored.
     */
    async applied(version: string, current: P, executor: Executor = db): Promise<P | undefined> {
      return version === current.version ? current : document(version, executor)
    },
  }
}

export type PolicyStore<P extends VersionedPolicy> = ReturnType<typeof createPolicyStore<P>>
