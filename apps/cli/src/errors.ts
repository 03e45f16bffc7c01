import { ApiError, type ErrorCode } from '@gatekeeper/models'
import { CommanderError } from 'commander'
import { ExitCode } from './exit-codes'

/** An error meant for the operator: its message is the one line printed, its code the exit status. */
export class CliError extends Error {
  readonly exitCode: ExitCode

  constructor(exitCode: ExitCode, message: string) {
    super(message)
    this.name = 'CliError'
    this.exitCode = exitCode
  }

  static usage(message: string): CliError {
    return new CliError(ExitCode.usage, message)
  }

  static notFound(message: string): CliError {
    return new CliError(ExitCode.notFound, message)
  }

  static conflict(message: string): CliError {
    return new CliError(ExitCode.conflict, message)
  }

  static refused(message: string): CliError {
    return new CliError(ExitCode.refused, message)
  }

  static unavailable(message: string): CliError {
    return new CliError(ExitCode.unavailable, message)
  }

  static failed(message: string): CliError {
    return new CliError(ExitCode.error, message)
  }
}

/**
 * Ends the command with a status that is an answer, not a failure (`diff` exits 2 when there are
 * changes): nothing more is printed.
 */
export class QuietExit extends Error {
  readonly exitCode: ExitCode

  constructor(exitCode: ExitCode) {
    super(`exit ${exitCode}`)
    this.name = 'QuietExit'
    this.exitCode = exitCode
  }
}

const API_EXIT: Readonly<Record<ErrorCode, ExitCode>> = {
  validation_error: ExitCode.usage,
  bad_request: ExitCode.usage,
  unauthorized: ExitCode.refused,
  forbidden: ExitCode.refused,
  not_found: ExitCode.notFound,
  conflict: ExitCode.conflict,
  precondition_failed: ExitCode.conflict,
  payload_too_large: ExitCode.usage,
  rate_limited: ExitCode.error,
  internal_error: ExitCode.error,
  upstream_unavailable: ExitCode.unavailable,
  service_unavailable: ExitCode.unavailable,
  not_configured: ExitCode.error,
}

// Node's network errors and PostgreSQL's connection-level SQLSTATEs: the database cannot be reached or
// refuses us, which is exit 6 whatever command was running. GK_NO_USABLE_HOST: a multi-host DATABASE_URL whose
// hosts are all down or none read-write (a failover in progress).
const CONNECT_ERRNOS = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
  'GK_NO_USABLE_HOST',
])
const CONNECT_SQLSTATES = new Set(['28P01', '28000', '3D000', '57P03', '53300', '08001', '08006'])

type PgLikeError = Error & { code?: unknown; sqlState?: unknown }

/** A driver error's code, or the SQLSTATE @gatekeeper/db/admin keeps on an AdminDatabaseError. */
function pgCode(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined
  const code = (err as PgLikeError).code ?? (err as PgLikeError).sqlState
  return typeof code === 'string' ? code : undefined
}

/** The cause chain (drizzle wraps driver errors in its own). */
function* causes(err: unknown): Generator<unknown> {
  let current: unknown = err
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    yield current
    current = current instanceof Error ? current.cause : undefined
  }
}

/** Whether err (or what it wraps) says the database cannot be reached or refuses the connection. */
export function isConnectionError(err: unknown): boolean {
  for (const e of causes(err)) {
    const code = pgCode(e)
    if (code !== undefined && (CONNECT_ERRNOS.has(code) || CONNECT_SQLSTATES.has(code))) return true
    if (e instanceof Error && /Connection terminated|connect ECONNREFUSED/.test(e.message)) return true
  }
  return false
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim()
}

export type ExitReport = { code: ExitCode; message: string | undefined }

/**
 * Turns anything thrown by a command into an exit status and the single line to print. Errors the
 * operator can act on keep their message; unexpected ones say what happened without a stack (unless
 * GATEKEEPER_DEBUG is set, which the caller handles).
 */
export function describeFailure(err: unknown): ExitReport {
  if (err instanceof CommanderError) {
    // commander has already printed its message (help, version, or `error: ...`).
    const helpish = err.code === 'commander.helpDisplayed' || err.code === 'commander.version'
    return { code: helpish || err.exitCode === 0 ? ExitCode.ok : ExitCode.usage, message: undefined }
  }
  if (err instanceof QuietExit) return { code: err.exitCode, message: undefined }
  if (err instanceof CliError) return { code: err.exitCode, message: oneLine(err.message) }
  if (err instanceof ApiError) return { code: API_EXIT[err.code], message: oneLine(apiMessage(err)) }
  for (const e of causes(err)) {
    const code = pgCode(e)
    if (code === '42P01' || code === '42883') {
      return {
        code: ExitCode.error,
        message: 'the database is not set up for Gatekeeper (missing tables): run `gatekeeper db migrate`',
      }
    }
    if (code === '23505') return { code: ExitCode.conflict, message: oneLine(`conflict: ${(e as Error).message}`) }
    if (code === '23503') return { code: ExitCode.notFound, message: oneLine(`not found: ${(e as Error).message}`) }
    if (code === '23514' || code === '22P02') {
      return { code: ExitCode.usage, message: oneLine(`invalid value: ${(e as Error).message}`) }
    }
  }
  if (isConnectionError(err)) {
    const message = err instanceof Error ? err.message : String(err)
    return { code: ExitCode.unavailable, message: oneLine(`cannot connect to the database: ${message}`) }
  }
  const message = err instanceof Error ? err.message : String(err)
  return { code: ExitCode.error, message: oneLine(message || 'unexpected error') }
}

/** ApiError's validation message already lists the fields; other codes read best as they are. */
function apiMessage(err: ApiError): string {
  if (err.code === 'validation_error' && err.details && err.details.length > 0) {
    return err.details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ')
  }
  return err.message
}
