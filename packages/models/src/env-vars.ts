import { z } from 'zod'

/**
 * Building blocks for an app's environment schema. Every helper reads a string (or nothing), treats an
 * empty or blank value as unset (`FOO=` in an env file means "not set"), and states the expected form in
 * its message. Messages never echo a value: some variables hold secrets.
 */

function present(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined
  const trimmed = raw.trim()
  return trimmed === '' ? undefined : trimmed
}

const INTEGER_TEXT = /^-?\d+$/

/** Parses a plain decimal integer within [min, max], or returns undefined. */
export function parseIntInRange(text: string, min: number, max: number): number | undefined {
  if (!INTEGER_TEXT.test(text)) return undefined
  const value = Number(text)
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined
}

export function intVar(fallback: number, min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const text = present(raw)
      if (text === undefined) return fallback
      const value = parseIntInRange(text, min, max)
      if (value === undefined) {
        ctx.issues.push({ code: 'custom', message: `expected an integer between ${min} and ${max}`, input: raw })
        return z.NEVER
      }
      return value
    })
}

export function portVar(fallback: number) {
  return intVar(fallback, 1, 65535)
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on'])
const FALSE_WORDS = new Set(['false', '0', 'no', 'off'])

/** true/false (or 1/0, yes/no, on/off, any case); unset or empty is `fallback`. */
function switchVar<F extends boolean | undefined>(fallback: F) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): boolean | F => {
      const text = present(raw)?.toLowerCase()
      if (text === undefined) return fallback
      if (TRUE_WORDS.has(text)) return true
      if (FALSE_WORDS.has(text)) return false
      ctx.issues.push({ code: 'custom', message: 'expected true or false (or 1/0, yes/no, on/off)', input: raw })
      return z.NEVER
    })
}

export function boolVar(fallback: boolean) {
  return switchVar(fallback)
}

/** Like boolVar, but unset (or empty) stays undefined: for switches whose default depends on other settings. */
export function optionalBoolVar() {
  return switchVar(undefined)
}

/**
 * Whether the console's local sign-in links work. CONSOLE_LOCAL_SIGNIN unset: exactly when Aegis is not
 * configured (the embedded default has no other way in); with Aegis, only if an operator turns it on.
 * console-api (which accepts the links) and `gatekeeper start` (which prints one) decide alike.
 */
export function localSignInEnabled(flag: boolean | undefined, aegisApiUrl: string | undefined): boolean {
  if (flag !== undefined) return flag
  return aegisApiUrl === undefined || aegisApiUrl.trim() === ''
}

/** Comma-separated list: entries trimmed, empty entries dropped; unset is []. */
export function csvVar() {
  return z
    .string()
    .optional()
    .transform((raw) => splitCsv(raw))
}

export function splitCsv(raw: string | undefined): Array<string> {
  if (raw === undefined) return []
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
}

/** A trimmed string, or undefined when unset or blank. */
export function optionalStringVar() {
  return z
    .string()
    .optional()
    .transform((raw) => present(raw))
}

/** A trimmed string with a default when unset or blank. */
export function stringVar(fallback: string) {
  return z
    .string()
    .optional()
    .transform((raw) => present(raw) ?? fallback)
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

const LOG_LEVEL_SET: ReadonlySet<string> = new Set(LOG_LEVELS)

function isLogLevel(value: string): value is LogLevel {
  return LOG_LEVEL_SET.has(value)
}

export function logLevelVar(fallback: LogLevel) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): LogLevel => {
      const text = present(raw)?.toLowerCase()
      if (text === undefined) return fallback
      if (isLogLevel(text)) return text
      ctx.issues.push({ code: 'custom', message: `expected one of ${LOG_LEVELS.join(', ')}`, input: raw })
      return z.NEVER
    })
}

export const NODE_ENVS = ['development', 'production', 'test'] as const
export type NodeEnv = (typeof NODE_ENVS)[number]

const NODE_ENV_SET: ReadonlySet<string> = new Set(NODE_ENVS)

function isNodeEnv(value: string): value is NodeEnv {
  return NODE_ENV_SET.has(value)
}

/** NODE_ENV, validated so a typo such as `prod` fails instead of silently meaning "not production". */
export function nodeEnvVar() {
  return z
    .string()
    .optional()
    .transform((raw, ctx): NodeEnv | undefined => {
      const text = present(raw)
      if (text === undefined) return undefined
      if (isNodeEnv(text)) return text
      ctx.issues.push({ code: 'custom', message: `expected one of ${NODE_ENVS.join(', ')}`, input: raw })
      return z.NEVER
    })
}

export type PreviousMasterKey = { id: string; key: string }

/** `id:key,id:key`: master keys retired by a rotation, still needed to open what they sealed. */
export function previousMasterKeysVar() {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const keys: Array<PreviousMasterKey> = []
      const seen = new Set<string>()
      splitCsv(raw).forEach((entry, index) => {
        const colon = entry.indexOf(':')
        const id = colon > 0 ? entry.slice(0, colon).trim() : ''
        const key = colon > 0 ? entry.slice(colon + 1).trim() : ''
        if (id === '' || key === '') {
          ctx.issues.push({ code: 'custom', message: `entry ${index + 1} is not of the form id:key`, input: raw })
        } else if (seen.has(id)) {
          ctx.issues.push({ code: 'custom', message: `key id '${id}' appears more than once`, input: raw })
        } else {
          seen.add(id)
          keys.push({ id, key })
        }
      })
      return keys
    })
}
