// What the apps actually accept, read from their sources, so deployment files can be checked against it:
// the environment variables each one reads (its zod schema in src/config.ts, the shared variables it
// spreads in, and the connection variables of resolveDatabaseUrl/resolveRedisUrl), its default port, and
// the HTTP paths it serves for health and metrics.

import { readFileSync } from 'node:fs'
import { repoPath } from '@gatekeeper/testkit/paths'

export type AppName = 'authz' | 'console-api' | 'cli'

export interface AppContract {
  name: AppName
  envVars: ReadonlySet<string>
  /** The variable naming the listen port, and its default (none for the CLI). */
  port?: { variable: string; default: number }
  /** Paths the app answers with GET (only the ones deployments use: /health, /metrics). */
  paths: ReadonlySet<string>
}

function read(path: string): string {
  return readFileSync(repoPath(path), 'utf8')
}

function between(text: string, start: string, end: string | undefined): string {
  const from = text.indexOf(start)
  if (from < 0) throw new Error(`${start} not found`)
  const to = end === undefined ? -1 : text.indexOf(end, from + start.length)
  return text.slice(from, to < 0 ? undefined : to)
}

function upperNames(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((m) => m[1] ?? '').filter((n) => n !== '')
}

/** Variables read by a slice of source: schema keys (`NAME: ...`), `env.NAME`, and `'NAME'` literals passed to readers. */
function variablesIn(text: string): string[] {
  return [
    ...upperNames(text, /^\s+([A-Z][A-Z0-9_]+):/gm),
    ...upperNames(text, /\benv\.([A-Z][A-Z0-9_]+)/g),
    ...upperNames(text, /\(env, '([A-Z][A-Z0-9_]+)'/g),
  ]
}

const CONFIG_FILES: Record<AppName, string> = {
  authz: 'apps/authz/src/config.ts',
  'console-api': 'apps/console-api/src/config.ts',
  cli: 'apps/cli/src/config.ts',
}

export function envVarsReadBy(app: AppName): Set<string> {
  const config = read(CONFIG_FILES[app])
  const vars = new Set(variablesIn(config))
  if (config.includes('...commonEnvShape')) {
    const shape = between(read('packages/models/src/env-parse.ts'), 'export const commonEnvShape', '\n}')
    for (const v of variablesIn(shape)) vars.add(v)
  }
  const urls = read('packages/models/src/env-urls.ts')
  if (config.includes('resolveDatabaseUrl(')) {
    for (const v of variablesIn(between(urls, 'export function resolveDatabaseUrl', 'export function'))) vars.add(v)
    for (const v of upperNames(between(urls, 'export const ORIGINAL_PG_VARS', ']'), /'([A-Z][A-Z0-9_]+)'/g)) vars.add(v)
  }
  if (config.includes('resolveRedisUrl(')) {
    for (const v of variablesIn(between(urls, 'export function resolveRedisUrl', undefined))) vars.add(v)
  }
  return vars
}

function defaultPort(app: AppName): AppContract['port'] {
  const config = read(CONFIG_FILES[app])
  if (app === 'authz') {
    const m = /port: parsed\.AUTHZ_PORT \?\? parsed\.PORT \?\? (\d+)/.exec(config)
    if (m === null) throw new Error('authz default port not found in config.ts')
    return { variable: 'AUTHZ_PORT', default: Number(m[1]) }
  }
  if (app === 'console-api') {
    const m = /CONSOLE_API_PORT: portVar\((\d+)\)/.exec(config)
    if (m === null) throw new Error('console-api default port not found in config.ts')
    return { variable: 'CONSOLE_API_PORT', default: Number(m[1]) }
  }
  return undefined
}

const APP_FILES: Partial<Record<AppName, string>> = {
  authz: 'apps/authz/src/app.ts',
  'console-api': 'apps/console-api/src/app.ts',
}

function servedPaths(app: AppName): Set<string> {
  const file = APP_FILES[app]
  if (file === undefined) return new Set()
  return new Set(upperNames(read(file), /app\.(?:get|all|route)\(\s*'(\/[a-z]+)'/g))
}

export function appContract(app: AppName): AppContract {
  const port = defaultPort(app)
  return { name: app, envVars: envVarsReadBy(app), ...(port === undefined ? {} : { port }), paths: servedPaths(app) }
}

/** Request headers authz reads (lower case), from the table in apps/authz/src/authz/headers.ts. */
export function authzRequestHeaders(): Set<string> {
  const table = between(read('apps/authz/src/authz/headers.ts'), 'const FIELDS', '])')
  return new Set([...table.matchAll(/\['([a-z-]+)', \{ field/g)].map((m) => m[1] ?? ''))
}
