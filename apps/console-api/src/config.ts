import { validateRedisUrl } from '@gatekeeper/limits'
import { parseAdminEmails } from '@gatekeeper/models'
import {
  commonEnvShape,
  csvVar,
  intVar,
  parseEnv,
  portVar,
  resolveDatabaseUrl,
  resolveRedisUrl,
} from '@gatekeeper/models/env'
import { z } from 'zod'

// The only place console-api reads its environment. Every setting is named in env.example.
const consoleEnvSchema = z.object({
  ...commonEnvShape,
  CONSOLE_API_PORT: portVar(7844),
  CONSOLE_API_HOST: z.string().default('0.0.0.0'),
  CONSOLE_ORIGINS: csvVar(),
  AEGIS_API_URL: z.url().optional(),
  AEGIS_SITE_ID: z.string().optional(),
  AEGIS_TENANT_API_KEY: z.string().optional(),
  AEGIS_WEBHOOK_SECRET: z.string().optional(),
  AEGIS_ADMIN_EMAILS: z.string().optional(),
  AEGIS_AUTH_CACHE_TTL_SECONDS: intVar(60, 0, 86_400),
  AEGIS_TIMEOUT_MS: intVar(3000, 100, 60_000),
  SITE_NAME: z.string().default('gatekeeper'),
  SITE_DOMAIN: z.string().default(''),
  SHUTDOWN_GRACE_MS: intVar(10_000, 0, 120_000),
  /** apps/console/dist: served under /console/ when set (docs/console.md). */
  CONSOLE_DIST_DIR: z.string().optional(),
  /** Must equal authz's REDIS_KEY_PREFIX: the rate-limit usage endpoint reads authz's counters. */
  REDIS_KEY_PREFIX: z.string().default('gk:'),
})

export type ConsoleConfig = ReturnType<typeof loadConsoleConfig>

export function loadConsoleConfig(env: Record<string, string | undefined>) {
  const parsed = parseEnv(consoleEnvSchema, env, 'console-api')
  const databaseUrl = resolveDatabaseUrl(env)
  if (!databaseUrl) {
    throw new Error(
      'console-api: invalid environment:\n  DATABASE_URL: required (or the original POSTGRES_HOST/API_AUTH_ADMIN_PG_* variables); `pnpm start` provides an embedded database',
    )
  }
  if (!parsed.GATEKEEPER_MASTER_KEY) {
    throw new Error(
      'console-api: invalid environment:\n  GATEKEEPER_MASTER_KEY: required to seal HMAC secrets (32 bytes, base64 or hex)',
    )
  }
  return {
    port: parsed.CONSOLE_API_PORT,
    host: parsed.CONSOLE_API_HOST,
    databaseUrl,
    redisUrl: validateRedisUrl(resolveRedisUrl(env), 'console-api'),
    redisKeyPrefix: parsed.REDIS_KEY_PREFIX,
    masterKey: {
      key: parsed.GATEKEEPER_MASTER_KEY,
      keyId: parsed.GATEKEEPER_MASTER_KEY_ID,
      previous: parsed.GATEKEEPER_PREVIOUS_MASTER_KEYS,
    },
    consoleOrigins: parsed.CONSOLE_ORIGINS,
    consoleDistDir: parsed.CONSOLE_DIST_DIR,
    aegis: {
      apiUrl: parsed.AEGIS_API_URL,
      siteId: parsed.AEGIS_SITE_ID,
      tenantApiKey: parsed.AEGIS_TENANT_API_KEY,
      webhookSecret: parsed.AEGIS_WEBHOOK_SECRET,
      adminEmails: parseAdminEmails(parsed.AEGIS_ADMIN_EMAILS),
      authCacheTtlSeconds: parsed.AEGIS_AUTH_CACHE_TTL_SECONDS,
      timeoutMs: parsed.AEGIS_TIMEOUT_MS,
    },
    site: { name: parsed.SITE_NAME, domain: parsed.SITE_DOMAIN },
    logLevel: parsed.LOG_LEVEL,
    shutdownGraceMs: parsed.SHUTDOWN_GRACE_MS,
  }
}
