/**
 * The Kysely `Database` type (schema.ts) against the schema the migrations build: every table and column the type
 * declares exists, every migrated table and column is declared, and a column is nullable in the database exactly when
 * its type admits null. The type is read with the TypeScript compiler, so a table split into another file or
 * interface is still found. Runs on PGlite and, as an -integration test, on PostgreSQL.
 */
import assert from 'node:assert/strict'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'

import { sql } from 'kysely'
import ts from 'typescript'

import { createTestDatabase, type TestDatabase } from '../../test/helpers/database.js'
import { projectRoot } from '../config.js'

/** Tables the migrator keeps for itself; no query of ours goes through them. */
const MIGRATOR_TABLES = new Set(['schema_migration', 'schema_migration_lock'])

type Columns = Map<string, { nullable: boolean }>

/** Table → column → whether its selected type admits null, as the `Database` interface in schema.ts declares. */
function declaredSchema(): Map<string, Columns> {
  const file = path.join(projectRoot, 'src/db/schema.ts')
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
  })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(file)
  assert.ok(source, 'schema.ts is part of the program')
  const moduleSymbol = checker.getSymbolAtLocation(source)
  assert.ok(moduleSymbol, 'schema.ts is a module')
  const database = checker.getExportsOfModule(moduleSymbol).find(symbol => symbol.name === 'Database')
  assert.ok(database, 'schema.ts exports Database')

  const tables = new Map<string, Columns>()
  for (const table of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(database))) {
    const columns: Columns = new Map()
    for (const column of checker.getPropertiesOfType(checker.getTypeOfSymbolAtLocation(table, source))) {
      // As Kysely selects it: each member of a union on its own, and ColumnType<Select, Insert, Update> (so also
      // Generated and JSONColumnType) by the Select type it carries in __select__.
      const admitsNull = (type: ts.Type): boolean => {
        if (type.isUnion()) return type.types.some(admitsNull)
        if ((type.flags & ts.TypeFlags.Null) !== 0) return true
        const select = type.getProperty('__select__')
        return select ? admitsNull(checker.getTypeOfSymbolAtLocation(select, source)) : false
      }
      columns.set(column.name, { nullable: admitsNull(checker.getTypeOfSymbolAtLocation(column, source)) })
    }
    tables.set(table.name, columns)
  }
  return tables
}

describe('Integration: the Kysely Database type matches the migrated schema', () => {
  let test: TestDatabase
  let declared: Map<string, Columns>
  let migrated: Map<string, Columns>

  before(async () => {
    test = await createTestDatabase()
    declared = declaredSchema()
    const { rows } = await sql<{ table_name: string; column_name: string; is_nullable: string }>`
      select c.table_name, c.column_name, c.is_nullable
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and t.table_type in ('BASE TABLE', 'VIEW')
        -- A partition of a table partitioned by month (ADR 0061) is part of its table, not a table of its own.
        and not exists (select from pg_class p where p.oid = to_regclass(quote_ident(c.table_name)) and p.relispartition)
      order by c.table_name, c.ordinal_position`.execute(test.database.db)
    migrated = new Map()
    for (const row of rows) {
      if (MIGRATOR_TABLES.has(row.table_name)) continue
      const columns = migrated.get(row.table_name) ?? new Map<string, { nullable: boolean }>()
      columns.set(row.column_name, { nullable: row.is_nullable === 'YES' })
      migrated.set(row.table_name, columns)
    }
  })
  after(() => test.drop())

  it('reads a schema on both sides (the comparison below is not of two empty lists)', () => {
    assert.ok(declared.size > 50, `${String(declared.size)} tables declared`)
    assert.ok(declared.get('audit_event')?.has('occurred_at'))
    assert.equal(declared.get('audit_event')?.get('actor_id')?.nullable, true)
    assert.equal(declared.get('audit_event')?.get('action')?.nullable, false)
    assert.ok(migrated.size > 50, `${String(migrated.size)} tables migrated`)
  })

  it('declares exactly the tables the migrations create', () => {
    assert.deepEqual([...declared.keys()].sort(), [...migrated.keys()].sort())
  })

  it('declares exactly the columns of each table, null where the database allows null', () => {
    const differences: string[] = []
    for (const [table, columns] of migrated) {
      const types = declared.get(table)
      if (!types) continue
      for (const [column, { nullable }] of columns) {
        const type = types.get(column)
        if (!type) differences.push(`${table}.${column} is in the database but not in the Database type`)
        else if (type.nullable !== nullable)
          differences.push(
            `${table}.${column} is ${nullable ? 'nullable' : 'not null'} in the database but its type ${
              type.nullable ? 'admits' : 'excludes'
            } null`,
          )
      }
      for (const column of types.keys())
        if (!columns.has(column)) differences.push(`${table}.${column} is in the Database type but not in the database`)
    }
    assert.deepEqual(differences, [])
  })
})
