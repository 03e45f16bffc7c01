// The service logger and the audit line. One JSON line per decision, in pino's format, with constant message
// text; credentials are never passed in (only ids, names, the normalised path without its query). The audit
// line has a fixed set of fields (audit-line.ts), none a credential; `redact` is the second belt for every
// other log line. The destination is asynchronous (SonicBoom, sync: false): a decision never waits for stdout;
// `flush()` on shutdown writes out what is buffered.

import pino, { type DestinationStream, type Logger } from 'pino'
import { AUDIT_MESSAGE, auditLine, SERVICE } from './audit-line'

export interface AuditEntry {
  request_id: string
  client_ip: string
  client_id: string | undefined
  client_name: string | undefined
  domain: string | undefined
  path: string | undefined
  route_id: string | undefined
  service: string | undefined
  method: string | undefined
  allowed: boolean
  status: number
  reason: string
  /** Finer cause, for operators only (never sent to the caller). */
  detail: string | undefined
  duration_ms: number
}

export interface AuditLog {
  decision(entry: AuditEntry): void
}

// Exact paths only: wildcard paths made redaction ~8% of a decision's CPU (profiled), and nothing nests them.
export const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'api_key',
  'apiKey',
  'secret',
  'shared_secret',
  'password',
]

export interface CreatedLogger {
  logger: Logger
  /** Writes out whatever is buffered; resolves within `timeoutMs` regardless. */
  flush(timeoutMs?: number): Promise<void>
}

export function createLogger(options: { level: string; destination?: DestinationStream }): CreatedLogger {
  const destination = options.destination ?? pino.destination({ fd: 1, sync: false })
  const logger = pino(
    {
      level: options.level,
      base: { service: SERVICE },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // pino's default epoch-milliseconds `time`: formatting an ISO date per line costs ~2% of a decision.
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  )
  const sink: Sink = { destination, pending: '', turns: -1 }
  sinks.set(logger, sink)
  return {
    logger,
    flush(timeoutMs = 2000) {
      drain(sink)
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs)
        timer.unref()
        logger.flush(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    },
  }
}

// Audit lines go to the logger's own destination, serialised by audit-line.ts, gathered over a few turns of the
// event loop: written when 16 KiB have gathered or after 8 turns (setImmediate), whichever comes first. An idle
// process turns in microseconds, so a lone line is out at once; under load a turn handles several requests and
// each write (SonicBoom, fs.write dispatch: ~8 us per request when done every turn, issue #9) is shared by
// dozens of lines. flush() writes what is pending first, so a graceful shutdown loses nothing.
const CHUNK_CHARS = 16 * 1024
const MAX_TURNS = 8

interface Sink {
  destination: DestinationStream
  pending: string
  /** Turns waited since the first pending line; -1 when nothing is scheduled. */
  turns: number
}

const sinks = new WeakMap<Logger, Sink>()

function drain(sink: Sink): void {
  sink.turns = -1
  if (sink.pending === '') return
  const text = sink.pending
  sink.pending = ''
  sink.destination.write(text)
}

function tick(sink: Sink): void {
  if (sink.turns < 0) return // drained meanwhile (a full chunk, or flush)
  if (sink.turns >= MAX_TURNS) {
    drain(sink)
    return
  }
  sink.turns++
  setImmediate(tick, sink)
}

export function createAuditLog(logger: Logger): AuditLog {
  const sink = sinks.get(logger)
  // A logger made elsewhere: pino does the work.
  if (sink === undefined) return { decision: (entry) => logger.info(entry, AUDIT_MESSAGE) }
  return {
    decision(entry) {
      if (!logger.isLevelEnabled('info')) return
      sink.pending += auditLine(entry, Date.now())
      if (sink.pending.length >= CHUNK_CHARS) {
        drain(sink)
      } else if (sink.turns < 0) {
        sink.turns = 0
        setImmediate(tick, sink)
      }
    },
  }
}
