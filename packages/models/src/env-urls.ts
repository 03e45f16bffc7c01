import { isIP } from 'node:net'
import { parseIntInRange } from './env-vars'

type Env = Readonly<Record<string, string | undefined>>

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value === undefined || value === '' ? undefined : value
}

function port(env: Env, name: string, fallback: number): number {
  const text = read(env, name)
  if (text === undefined) return fallback
  const value = parseIntInRange(text, 1, 65535)
  if (value === undefined) throw new Error(`${name}: expected an integer between 1 and 65535`)
  return value
}

function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host
}

/** The original deployment's connection variables, so its env files keep working unchanged. */
export const ORIGINAL_PG_VARS = [
  'POSTGRES_HOST',
  'POSTGRES_PORT',
  'API_AUTH_ADMIN_PG_DB',
  'API_AUTH_ADMIN_PG_USER',
  'API_AUTH_ADMIN_PG_PASSWORD',
] as const

/**
 * DATABASE_URL wins; otherwise the original's POSTGRES_* / API_AUTH_ADMIN_PG_* variables build one (with
 * the original's defaults); with neither, undefined: the embedded database is used.
 * Throws (naming the variable) when DATABASE_URL is not a postgres:// URL or POSTGRES_PORT is not a port.
 */
export function resolveDatabaseUrl(env: Env): string | undefined {
  const url = read(env, 'DATABASE_URL')
  if (url !== undefined) {
    // The driver reads anything else as a host name or socket path: `postgress://db` failed as
    // "getaddrinfo ENOTFOUND db", a value without a scheme as "ENOTFOUND base". Said here, naming the variable.
    if (!/^postgres(?:ql)?:\/\//i.test(url)) {
      throw new Error(
        'DATABASE_URL: expected a PostgreSQL URL, postgres://user:password@host:5432/database (or postgresql://)',
      )
    }
    return url
  }
  if (!ORIGINAL_PG_VARS.some((name) => read(env, name) !== undefined)) return undefined
  const host = read(env, 'POSTGRES_HOST') ?? 'localhost'
  const pgPort = port(env, 'POSTGRES_PORT', 5432)
  const db = read(env, 'API_AUTH_ADMIN_PG_DB') ?? 'api_auth_admin'
  const user = read(env, 'API_AUTH_ADMIN_PG_USER') ?? 'api_auth_admin'
  // Passwords are taken as given (not trimmed): a space could be part of one.
  const password = env.API_AUTH_ADMIN_PG_PASSWORD
  const auth =
    password === undefined || password === ''
      ? encodeURIComponent(user)
      : `${encodeURIComponent(user)}:${encodeURIComponent(password)}`
  return `postgres://${auth}@${urlHost(host)}:${pgPort}/${encodeURIComponent(db)}`
}

/**
 * REDIS_URL wins; otherwise REDIS_HOST (+ REDIS_PORT, REDIS_PASSWORD, REDIS_DB) as in the original;
 * with neither, undefined: in-memory stores are used.
 * Throws (naming the variable) when REDIS_PORT or REDIS_DB is not a number in range.
 */
export function resolveRedisUrl(env: Env): string | undefined {
  const url = read(env, 'REDIS_URL')
  if (url !== undefined) return url
  const host = read(env, 'REDIS_HOST')
  if (host === undefined) return undefined
  const redisPort = port(env, 'REDIS_PORT', 6379)
  const dbText = read(env, 'REDIS_DB')
  const db = dbText === undefined ? 0 : parseIntInRange(dbText, 0, 2_147_483_647)
  if (db === undefined) throw new Error('REDIS_DB: expected a non-negative integer')
  const password = env.REDIS_PASSWORD
  const auth = password === undefined || password === '' ? '' : `:${encodeURIComponent(password)}@`
  return `redis://${auth}${urlHost(host)}:${redisPort}/${db}`
}
