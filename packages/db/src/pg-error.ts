/** PostgreSQL's fields on a driver error: the SQLSTATE, and the constraint it names (if any). */
export interface PgErrorFields {
  code: string
  constraint: string | undefined
  message: string
}

/**
 * The PostgreSQL error inside a failure: drizzle wraps driver errors (DrizzleQueryError.cause), so this walks the
 * `cause` chain to the first error carrying a SQLSTATE. null when there is none (not a database error).
 */
export function pgErrorOf(err: unknown): PgErrorFields | null {
  let current: unknown = err
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code: unknown = Reflect.get(current, 'code')
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      const constraint: unknown = Reflect.get(current, 'constraint')
      const message: unknown = Reflect.get(current, 'message')
      return {
        code,
        constraint: typeof constraint === 'string' ? constraint : undefined,
        message: typeof message === 'string' ? message : '',
      }
    }
    current = Reflect.get(current, 'cause')
  }
  return null
}
