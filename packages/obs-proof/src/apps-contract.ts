// What the apps actually accept, asked of the apps themselves (imported, not read as text), so deployment files can
// be checked against it: the environment variables each one reads (its env schema, and what its config loader reads), its
// default port and the variable that moves it (by loading a config), the top-level HTTP paths its app serves (from
// the Hono app's route table), the request headers authz reads (its header table) and the ones its allow answers
// carry for the upstream (its response header table).

import { authzEnvSchema, loadAuthzConfig } from '@gatekeeper/authz/config'
import { FIELDS } from '@gatekeeper/authz/request-headers'
import { ALLOW_RESPONSE_HEADERS } from '@gatekeeper/authz/response-headers'
import { createAuthzApp, makeTestWorld } from '@gatekeeper/authz/testing'
import { cliEnvSchema, loadCliConfig } from '@gatekeeper/cli/config'
import { consoleEnvSchema, loadConsoleConfig } from '@gatekeeper/console-api/config'
import { offlineConsoleApp } from '@gatekeeper/console-api/testing'

export type AppName = 'authz' | 'console-api' | 'cli'

export interface AppContract {
  name: AppName
  envVars: ReadonlySet<string>
  /** The variable naming the listen port, and its default (none for the CLI). */
  port?: { variable: string; default: number }
  /** Top-level paths the app serves (`/health`, `/metrics`, `/authz`, `/api`, ...). */
  paths: ReadonlySet<string>
}

type Env = Record<string, string | undefined>

const LOADERS: Record<AppName, (env: Env) => object> = {
  authz: loadAuthzConfig,
  'console-api': loadConsoleConfig,
  cli: (env) => loadCliConfig(env, false),
}

const SCHEMAS: Record<AppName, { shape: object }> = {
  authz: authzEnvSchema,
  'console-api': consoleEnvSchema,
  cli: cliEnvSchema,
}

const PORT_VARIABLES: Partial<Record<AppName, string>> = { authz: 'AUTHZ_PORT', 'console-api': 'CONSOLE_API_PORT' }

const MASTER_KEY = Buffer.alloc(32, 7).toString('base64')

/**
 * Environments that between them take every branch of the loaders: a DATABASE_URL, and the original's
 * POSTGRES_* and REDIS_HOST variables (which read the rest of their family).
 */
const PROBES: readonly Env[] = [
  { DATABASE_URL: 'postgres://probe@127.0.0.1:5432/probe', GATEKEEPER_MASTER_KEY: MASTER_KEY },
  { POSTGRES_HOST: 'db.internal', REDIS_HOST: 'redis.internal', GATEKEEPER_MASTER_KEY: MASTER_KEY },
]

/**
 * Every variable the app reads: the keys of its exported env schema, and whatever else its config loader reads
 * (the connection variables, flags read directly), whichever way the loading goes.
 */
function envVarsReadBy(app: AppName): Set<string> {
  const read = new Set<string>(Object.keys(SCHEMAS[app].shape))
  for (const probe of PROBES) {
    const env = new Proxy(probe, {
      get(target, name) {
        if (typeof name === 'string') read.add(name)
        return typeof name === 'string' ? target[name] : undefined
      },
    })
    try {
      LOADERS[app](env)
    } catch {
      // A probe may be refused (the CLI wants nothing, authz wants a database); what was read still counts.
    }
  }
  return new Set([...read].filter((name) => /^[A-Z][A-Z0-9_]*$/.test(name)))
}

function defaultPort(app: AppName): AppContract['port'] {
  const variable = PORT_VARIABLES[app]
  if (variable === undefined) return undefined
  const base = PROBES[0] ?? {}
  const portWith = (env: Env): unknown => Reflect.get(LOADERS[app](env), 'port')
  const port = portWith(base)
  if (typeof port !== 'number') throw new Error(`${app}: no default port`)
  // The variable really is the one that moves it.
  if (portWith({ ...base, [variable]: '1234' }) !== 1234) throw new Error(`${app}: ${variable} sets no port`)
  return { variable, default: port }
}

function topLevel(routes: ReadonlyArray<{ path: string }>): Set<string> {
  return new Set(routes.map((r) => `/${r.path.split('/')[1] ?? ''}`).filter((p) => /^\/[a-z]+$/.test(p)))
}

function servedPaths(app: AppName): Set<string> {
  if (app === 'authz') return topLevel(createAuthzApp(makeTestWorld().deps).routes)
  if (app === 'console-api') {
    const offline = offlineConsoleApp()
    void offline.close()
    return topLevel(offline.app.routes)
  }
  return new Set()
}

export function appContract(app: AppName): AppContract {
  const port = defaultPort(app)
  return { name: app, envVars: envVarsReadBy(app), ...(port === undefined ? {} : { port }), paths: servedPaths(app) }
}

/** Request headers authz reads (lower case), from its header table. */
export function authzRequestHeaders(): Set<string> {
  return new Set(FIELDS.keys())
}

/** Headers authz's allow answers carry for nginx to pass upstream (lower case), from its response header table. */
export function authzResponseHeaders(): Set<string> {
  return new Set(Object.values(ALLOW_RESPONSE_HEADERS))
}
