import { z } from 'zod'
import { logLevelVar, nodeEnvVar, optionalStringVar, previousMasterKeysVar, stringVar } from './env-vars'

export type EnvProblem = { variable: string; message: string }

/** Thrown by parseEnv; the message lists every bad variable, `problems` has them structured. */
export class EnvError extends Error {
  readonly problems: Array<EnvProblem>

  constructor(appName: string, problems: Array<EnvProblem>) {
    const lines = problems.map((p) => (p.variable ? `  ${p.variable}: ${p.message}` : `  ${p.message}`))
    super(`${appName}: invalid environment:\n${lines.join('\n')}`)
    this.name = 'EnvError'
    this.problems = problems
  }
}

/**
 * Parses an environment record (the app passes process.env; this module never reads it) with a zod
 * schema. Empty values count as unset. On failure throws an EnvError naming every bad variable, e.g.
 * `authz: invalid environment:\n  AUTHZ_PORT: expected an integer between 1 and 65535`.
 */
export function parseEnv<T>(
  schema: z.ZodType<T>,
  env: Readonly<Record<string, string | undefined>>,
  appName: string,
): T {
  const cleaned: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') cleaned[name] = value
  }
  const result = schema.safeParse(cleaned, {
    error: (issue) => (issue.input === undefined ? 'is required' : undefined),
  })
  if (result.success) return result.data
  const seen = new Set<string>()
  const problems: Array<EnvProblem> = []
  for (const issue of result.error.issues) {
    const variable = issue.path.length > 0 ? String(issue.path[0]) : ''
    const key = `${variable}\u0000${issue.message}`
    if (seen.has(key)) continue
    seen.add(key)
    problems.push({ variable, message: issue.message })
  }
  throw new EnvError(appName, problems)
}

/** Variables every Gatekeeper process reads. Spread into an app's schema: `z.object({...commonEnvShape, ...})`. */
export const commonEnvShape = {
  /** Seals shared secrets at rest; required by whatever seals or opens them (checked there). */
  GATEKEEPER_MASTER_KEY: optionalStringVar(),
  GATEKEEPER_MASTER_KEY_ID: optionalStringVar(),
  GATEKEEPER_PREVIOUS_MASTER_KEYS: previousMasterKeysVar(),
  /** Embedded-mode state (database, generated keys). */
  GATEKEEPER_DATA_DIR: stringVar('.gatekeeper'),
  LOG_LEVEL: logLevelVar('info'),
  NODE_ENV: nodeEnvVar(),
}

export const commonEnvSchema = z.object(commonEnvShape)

export type CommonEnv = z.output<typeof commonEnvSchema>
