import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import * as schema from '@gatekeeper/db/schema'
import { is } from 'drizzle-orm'
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core'

/** What a migrated database must contain, derived from the code that creates it (never a second list). */
export type SchemaExpectations = {
  tables: ReadonlyMap<string, ReadonlyArray<string>>
  triggers: ReadonlyArray<{ name: string; table: string }>
  functions: ReadonlyArray<string>
}

export function expectedSchema(migrationsFolder: string): SchemaExpectations {
  const tables = new Map<string, string[]>()
  for (const value of Object.values(schema)) {
    if (!is(value, PgTable)) continue
    const config = getTableConfig(value)
    tables.set(
      config.name,
      config.columns.map((c) => c.name),
    )
  }
  const sqlText = readdirSync(migrationsFolder)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => readFileSync(path.join(migrationsFolder, f), 'utf8'))
    .join('\n')
  const triggers = [
    ...sqlText.matchAll(/CREATE\s+(?:CONSTRAINT\s+)?TRIGGER\s+"?(\w+)"?[\s\S]*?\bON\s+"?(\w+)"?/gi),
  ].map((m) => ({ name: m[1] ?? '', table: m[2] ?? '' }))
  const functions = [...sqlText.matchAll(/CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+"?(\w+)"?/gi)].map((m) => m[1] ?? '')
  return { tables, triggers, functions }
}
