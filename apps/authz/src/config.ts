import { parseDatabaseUrl } from '@gatekeeper/db/hosts'
import { parseHost } from '@gatekeeper/engine'
import { validateRedisUrl } from '@gatekeeper/limits'
import {
  boolVar,
  commonEnvShape,
  csvVar,
  intVar,
  parseEnv,
  parseIntInRange,
  parseTrustedForwarders,
  resolveDatabaseUrl,
  resolveRedisUrl,
} from '@gatekeeper/models/env'
import { z } from 'zod'

// Parses authz's settings from an environment record (main.ts passes process.env; nothing else reads it).
// Every setting is named in env.example.

/** A port with no default of its own (AUTHZ_PORT falls back to the original's PORT, then 7843). */
function optionalPortVar() {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const text = raw?.trim()
      if (text === undefined || text === '') return undefined
      const port = parseIntInRange(text, 0, 65535)
      if (port === undefined) {
        ctx.issues.push({ code: 'custom', message: 'expected an integer between 0 and 65535', input: raw })
        return z.NEVER
      }
      return port
    })
}

/** Host names as requests are keyed (lower case, no trailing dot); a port, wildcard or malformed name is refused. */
function hostListVar() {
  return csvVar().transform((entries, ctx) => {
    const hosts = new Set<string>()
    for (const entry of entries) {
      const parsed = entry.includes('*') ? undefined : parseHost(entry)
      const bracketed = entry.startsWith('[')
      const hasPort = bracketed ? !entry.endsWith(']') : entry.includes(':')
      if (parsed === undefined || !parsed.ok || hasPort) {
        const why = parsed === undefined ? 'wildcard' : parsed.ok ? 'port not allowed' : parsed.reason
        ctx.issues.push({ code: 'custom', message: `not a host name: ${JSON.stringify(entry)} (${why})`, input: entry })
        return z.NEVER
      }
      hosts.add(parsed.host)
    }
    return hosts
  })
}

export const authzEnvSchema = z.object({
  ...commonEnvShape,
  AUTHZ_PORT: optionalPortVar(), // 0: any free port (tests)
  PORT: optionalPortVar(), // the original system's name, still honoured
  AUTHZ_HOST: z.string().default('0.0.0.0'),
  TRUSTED_FORWARDER_IPS: csvVar(),
  HMAC_TIMESTAMP_TOLERANCE_SECONDS: intVar(300, 1, 3600),
  CONFIG_POLL_INTERVAL_MS: intVar(5000, 50, 600_000),
  RATE_LIMIT_FAILURE_MODE: z.enum(['open', 'closed']).default('open'),
  NONCE_FAILURE_MODE: z.enum(['open', 'closed']).default('closed'),
  REDIS_TIMEOUT_MS: intVar(50, 1, 10_000),
  REDIS_SOCKET_TIMEOUT_MS: intVar(1000, 100, 120_000),
  REDIS_KEY_PREFIX: z.string().default('gk:'),
  AUDIT_LOG: boolVar(true),
  SHUTDOWN_GRACE_MS: intVar(10_000, 0, 120_000),
  AUTHZ_WORKERS: intVar(1, 0, 256), // 0: one per core (cluster.ts)
  // Refuse (403 unknown_host) a host that no route names and that is not listed in AUTHZ_KNOWN_HOSTS.
  AUTHZ_REQUIRE_KNOWN_HOST: boolVar(false),
  AUTHZ_KNOWN_HOSTS: hostListVar(),
  // Last-used times per credential and decision counts per client and hour, written in batches.
  AUTHZ_USAGE_TRACKING: boolVar(true),
  AUTHZ_USAGE_FLUSH_INTERVAL_MS: intVar(60_000, 100, 3_600_000),
  AUTHZ_USAGE_RETENTION_DAYS: intVar(90, 1, 3650),
})

export type AuthzConfig = ReturnType<typeof loadAuthzConfig>

export function loadAuthzConfig(env: Record<string, string | undefined>) {
  const parsed = parseEnv(authzEnvSchema, env, 'authz')
  const databaseUrl = resolveDatabaseUrl(env)
  if (!databaseUrl) {
    throw new Error(
      'authz: invalid environment:\n  DATABASE_URL: required (or the original POSTGRES_HOST/API_AUTH_ADMIN_PG_* variables); `pnpm start` provides an embedded database',
    )
  }
  try {
    parseDatabaseUrl(databaseUrl)
  } catch (err) {
    throw new Error(`authz: invalid environment:\n  ${(err as Error).message}`)
  }
  if (!parsed.GATEKEEPER_MASTER_KEY) {
    throw new Error(
      'authz: invalid environment:\n  GATEKEEPER_MASTER_KEY: required to open sealed HMAC secrets (32 bytes, base64 or hex)',
    )
  }
  let trustedForwarders: string[]
  try {
    trustedForwarders = parseTrustedForwarders(parsed.TRUSTED_FORWARDER_IPS.join(','))
  } catch (err) {
    throw new Error(`authz: invalid environment:\n  TRUSTED_FORWARDER_IPS: ${(err as Error).message}`)
  }
  return {
    port: parsed.AUTHZ_PORT ?? parsed.PORT ?? 7843,
    host: parsed.AUTHZ_HOST,
    databaseUrl,
    redisUrl: validateRedisUrl(resolveRedisUrl(env), 'authz'),
    masterKey: {
      key: parsed.GATEKEEPER_MASTER_KEY,
      keyId: parsed.GATEKEEPER_MASTER_KEY_ID,
      previous: parsed.GATEKEEPER_PREVIOUS_MASTER_KEYS,
    },
    trustedForwarders,
    hmacToleranceSeconds: parsed.HMAC_TIMESTAMP_TOLERANCE_SECONDS,
    configPollIntervalMs: parsed.CONFIG_POLL_INTERVAL_MS,
    rateLimitFailureMode: parsed.RATE_LIMIT_FAILURE_MODE,
    nonceFailureMode: parsed.NONCE_FAILURE_MODE,
    redisTimeoutMs: parsed.REDIS_TIMEOUT_MS,
    redisSocketTimeoutMs: parsed.REDIS_SOCKET_TIMEOUT_MS,
    redisKeyPrefix: parsed.REDIS_KEY_PREFIX,
    auditLog: parsed.AUDIT_LOG,
    logLevel: parsed.LOG_LEVEL,
    shutdownGraceMs: parsed.SHUTDOWN_GRACE_MS,
    workers: parsed.AUTHZ_WORKERS,
    requireKnownHost: parsed.AUTHZ_REQUIRE_KNOWN_HOST,
    knownHosts: parsed.AUTHZ_KNOWN_HOSTS as ReadonlySet<string>,
    usageTracking: parsed.AUTHZ_USAGE_TRACKING,
    usageFlushIntervalMs: parsed.AUTHZ_USAGE_FLUSH_INTERVAL_MS,
    usageRetentionDays: parsed.AUTHZ_USAGE_RETENTION_DAYS,
  }
}
