import { parseDatabaseUrl } from '@gatekeeper/db/hosts'
import { validateRedisUrl } from '@gatekeeper/limits'
import { parseAdminEmails } from '@gatekeeper/models'
import {
  commonEnvShape,
  csvVar,
  intVar,
  localSignInEnabled,
  optionalBoolVar,
  optionalStringVar,
  parseEnv,
  portVar,
  resolveDatabaseUrl,
  resolveRedisUrl,
  trustedForwardersVar,
} from '@gatekeeper/models/env'
import { z } from 'zod'

/** One browser origin exactly as a browser sends it in `Origin`: scheme, host, optional port, nothing else. */
const originVar = z.string().refine((value) => {
  if (!/^https?:\/\/[a-z0-9.:[\]-]+$/.test(value)) return false
  try {
    return new URL(value).origin === value
  } catch {
    return false
  }
}, 'expected origins like https://console.example.com (scheme://host[:port], no path, no "*" or "null")')

/** The longest a cached sign-in may outlive its revocation at Aegis. */
export const MAX_AUTH_CACHE_TTL_SECONDS = 300

// The only place console-api reads its environment. Every setting is named in env.example.
export const consoleEnvSchema = z.object({
  ...commonEnvShape,
  CONSOLE_API_PORT: portVar(7844),
  CONSOLE_API_HOST: z.string().default('0.0.0.0'),
  /**
   * Exact browser origins (scheme://host[:port]). `*` and `null` are refused: `null` is what sandboxed frames and
   * file: pages send, so listing it would admit any of them.
   */
  CONSOLE_ORIGINS: csvVar().pipe(z.array(originVar)),
  AEGIS_API_URL: z.url().optional(),
  AEGIS_SITE_ID: optionalStringVar(),
  /** The site's uuid as Aegis's /me reports it (`site_uuid`); AEGIS_SITE_ID when unset. */
  AEGIS_SITE_UUID: optionalStringVar(),
  AEGIS_TENANT_API_KEY: z.string().optional(),
  AEGIS_WEBHOOK_SECRET: z.string().optional(),
  AEGIS_ADMIN_EMAILS: z.string().optional(),
  /**
   * How long a token Aegis has revoked may still be accepted here (a cached positive answer). Used up to
   * MAX_AUTH_CACHE_TTL_SECONDS: revocation at Aegis (a sign-out there, a deleted user) must not wait longer. A
   * larger value (an .env kept from the Flask original, which had no bound) still starts, capped, with a warning.
   */
  AEGIS_AUTH_CACHE_TTL_SECONDS: intVar(60, 0, 86_400),
  AEGIS_TIMEOUT_MS: intVar(3000, 100, 60_000),
  /** Sign-in throttle (login, register, request-password-reset): attempts per sliding minute; 0 turns one off. */
  AUTH_THROTTLE_IP_PER_MINUTE: intVar(20, 0, 1_000_000),
  AUTH_THROTTLE_EMAIL_PER_MINUTE: intVar(5, 0, 1_000_000),
  /** Peers (our nginx) whose X-Real-IP / X-Forwarded-For name the client; anyone else is the client. */
  CONSOLE_TRUSTED_PROXIES: trustedForwardersVar(),
  SITE_NAME: z.string().default('gatekeeper'),
  SITE_DOMAIN: z.string().default(''),
  SHUTDOWN_GRACE_MS: intVar(10_000, 0, 120_000),
  /** apps/console/dist: served under /console/ when set (docs/console.md). */
  CONSOLE_DIST_DIR: z.string().optional(),
  /** Local sign-in links: unset = on exactly when AEGIS_API_URL is not set (docs/console.md). */
  CONSOLE_LOCAL_SIGNIN: optionalBoolVar(),
  /** How long the admin session a local sign-in link exchanges for lasts. */
  CONSOLE_LOCAL_SESSION_SECONDS: intVar(8 * 3600, 300, 86_400),
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
  try {
    parseDatabaseUrl(databaseUrl)
  } catch (err) {
    throw new Error(`console-api: invalid environment:\n  ${(err as Error).message}`)
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
      /** The site whose users may be console admins; undefined = not configured (admin API answers 503). */
      siteUuid: parsed.AEGIS_SITE_UUID ?? parsed.AEGIS_SITE_ID,
      /** A webhook's `site_id` must be one of these (Aegis may name the site by id or by uuid). */
      webhookSiteIds: new Set([parsed.AEGIS_SITE_ID, parsed.AEGIS_SITE_UUID].filter((id) => id !== undefined)),
      tenantApiKey: parsed.AEGIS_TENANT_API_KEY,
      webhookSecret: parsed.AEGIS_WEBHOOK_SECRET,
      adminEmails: parseAdminEmails(parsed.AEGIS_ADMIN_EMAILS),
      authCacheTtlSeconds: Math.min(parsed.AEGIS_AUTH_CACHE_TTL_SECONDS, MAX_AUTH_CACHE_TTL_SECONDS),
      timeoutMs: parsed.AEGIS_TIMEOUT_MS,
    },
    authThrottle: {
      ipPerMinute: parsed.AUTH_THROTTLE_IP_PER_MINUTE,
      emailPerMinute: parsed.AUTH_THROTTLE_EMAIL_PER_MINUTE,
      trustedProxies: parsed.CONSOLE_TRUSTED_PROXIES,
    },
    site: { name: parsed.SITE_NAME, domain: parsed.SITE_DOMAIN },
    localSignIn: {
      enabled: localSignInEnabled(parsed.CONSOLE_LOCAL_SIGNIN, parsed.AEGIS_API_URL),
      sessionSeconds: parsed.CONSOLE_LOCAL_SESSION_SECONDS,
    },
    logLevel: parsed.LOG_LEVEL,
    shutdownGraceMs: parsed.SHUTDOWN_GRACE_MS,
  }
}
