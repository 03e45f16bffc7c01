import { z } from 'zod'

// C0 controls, DEL and C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/
const CONTROL_CHARS_MESSAGE = 'must not contain control characters'

export function hasControlChars(value: string): boolean {
  return CONTROL_CHARS.test(value)
}

/**
 * Entity ids. Any 8-4-4-4-12 hex id is accepted (not only RFC 9562 versions): ids imported from the
 * original deployment are preserved as-is, and Postgres' uuid type accepts any of them. Lowercased so
 * the same id always compares equal.
 */
export const idSchema = z
  .string()
  .refine((value) => !hasControlChars(value), CONTROL_CHARS_MESSAGE)
  .trim()
  .toLowerCase()
  .pipe(z.guid({ error: 'expected a UUID' }))

/**
 * An id as it arrives in a URL path, before it is looked up: anything without control characters
 * (a well-formed id that names nothing is a 404 later; a NUL or newline is a malformed request, 400).
 */
export const pathIdSchema = z.string().refine((value) => !hasControlChars(value), CONTROL_CHARS_MESSAGE)

/** Times on the wire are integer epoch seconds. */
export const epochSecondsSchema = z.number().int().nonnegative()

/** A trimmed, single-line human label (client names, service names). */
export function labelSchema(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !hasControlChars(value), CONTROL_CHARS_MESSAGE)
}

/**
 * Emails are compared case-insensitively after trimming, so they are stored that way. Only ASCII is accepted,
 * checked before any folding: Unicode case folding and trimming map distinct addresses onto one (the Kelvin
 * sign U+212A lower-cases to `k`, a no-break space trims away), which would let a second identity claim a
 * console admin's address.
 */
export const emailSchema = z
  .string()
  .regex(/^[\x20-\x7e]*$/, 'expected an email address (ASCII only)')
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'expected an email address' }))

const INTEGER_TEXT = /^-?\d+$/

function queryInt(min: number, max: number) {
  const range = `expected an integer between ${min} and ${max}`
  return z.union([z.number(), z.string()], { error: range }).transform((value, ctx) => {
    const text = typeof value === 'string' && !hasControlChars(value) ? value.trim() : ''
    const parsed = typeof value === 'number' ? value : INTEGER_TEXT.test(text) ? Number(text) : Number.NaN
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      ctx.issues.push({ code: 'custom', message: range, input: value })
      return z.NEVER
    }
    return parsed
  })
}

const blankToUndefined = (value: unknown) => (value === '' ? undefined : value)

/**
 * An optional integer read from a query string. Empty means absent; anything that is not a plain
 * integer (`1e3`, `12abc`, `1.5`) is rejected instead of being coerced to something surprising.
 */
export function optionalQueryInt(min: number, max: number) {
  return z.preprocess(blankToUndefined, queryInt(min, max).optional())
}

/** Like optionalQueryInt, with a default when absent or empty. */
export function defaultedQueryInt(min: number, max: number, fallback: number) {
  return z.preprocess(blankToUndefined, queryInt(min, max).default(fallback))
}

/**
 * An optional string from a query string (a filter or sort key); empty means absent. Control characters
 * (NUL above all, which Postgres cannot store or compare in text) are a 400 here, before any query is built.
 */
export const queryStringSchema = z.preprocess(
  blankToUndefined,
  z
    .string()
    .refine((value) => !hasControlChars(value), CONTROL_CHARS_MESSAGE)
    .trim()
    .min(1)
    .max(200)
    .optional(),
)

/**
 * A partial update must change something: at least one of `fields` present (a version alone changes nothing). The
 * message names the fields, so a caller learns what it may send.
 */
export function requireOneOf<T extends z.ZodObject>(schema: T, fields: ReadonlyArray<keyof z.output<T> & string>): T {
  return schema.refine((value) => fields.some((field) => (value as Record<string, unknown>)[field] !== undefined), {
    message: `at least one of ${fields.join(', ')} is required`,
  })
}
