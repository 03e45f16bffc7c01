import {
  commonEnvShape,
  EnvError,
  type PreviousMasterKey,
  parseEnv,
  resolveDatabaseUrl,
  resolveRedisUrl,
} from '@gatekeeper/models/env'
import { z } from 'zod'
import { CliError } from './errors'

type Env = Readonly<Record<string, string | undefined>>

/** What the CLI takes from its environment, read once in main.ts and passed down. */
export type CliConfig = {
  /** DATABASE_URL or the original's POSTGRES_HOST and API_AUTH_ADMIN_PG_ variables; unset means the embedded database. */
  databaseUrl: string | undefined
  dataDir: string
  masterKey: string | undefined
  masterKeyId: string | undefined
  previousMasterKeys: PreviousMasterKey[]
  redisUrl: string | undefined
  /** Running under CI: `db reset` refuses without --yes even on a terminal. */
  ci: boolean
  /** GATEKEEPER_DEBUG=1: print stack traces. */
  debug: boolean
  color: boolean
}

export const cliEnvSchema = z.object({ ...commonEnvShape })

function flag(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false'
}

export function loadCliConfig(env: Env, stdoutIsTty: boolean): CliConfig {
  const debug = flag(env.GATEKEEPER_DEBUG)
  try {
    const parsed = parseEnv(cliEnvSchema, env, 'gatekeeper')
    return {
      databaseUrl: resolveDatabaseUrl(env),
      dataDir: parsed.GATEKEEPER_DATA_DIR,
      masterKey: parsed.GATEKEEPER_MASTER_KEY,
      masterKeyId: parsed.GATEKEEPER_MASTER_KEY_ID,
      previousMasterKeys: parsed.GATEKEEPER_PREVIOUS_MASTER_KEYS,
      redisUrl: resolveRedisUrl(env),
      ci: flag(env.CI),
      debug,
      color: stdoutIsTty && env.NO_COLOR === undefined && env.TERM !== 'dumb',
    }
  } catch (err) {
    if (err instanceof EnvError) {
      throw CliError.usage(
        `invalid environment: ${err.problems.map((p) => (p.variable ? `${p.variable}: ${p.message}` : p.message)).join('; ')}`,
      )
    }
    throw CliError.usage(`invalid environment: ${(err as Error).message}`)
  }
}
