// The service logger and the audit line. One JSON line per decision, in pino's format, with constant message
// text; credentials are never passed in (only ids, names, the normalised path without its query). The audit
// line has a fixed set of fields (audit-line.ts), none a credential; `redact` is the second belt for every
// other log line. The destination is asynchronous (SonicBoom, sync: false, buffer mode): a decision never waits
// for stdout; `flush()` on shutdown writes out what is buffered.

import pino, { type DestinationStream, type Logger } from 'pino'
import { AUDIT_MESSAGE, auditLine, SERVICE } from './audit-line'

export interface AuditEntry {
  request_id: string
  client_ip: string
  client_id: string | undefined
  client_name: string | undefined
  domain: string | undefined
  path: string | undefined
  /**
   * The raw X-Original-URI (api_key values redacted, truncated), when the path was refused or is not the decided
   * path: what the upstream would have received.
   */
  target: string | undefined
  route_id: string | undefined
  /** The route's service name (`service` is the process's own, in every line). */
  route_service: string | undefined
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
  /** Bytes dropped so far because the output did not keep up (0 for a text stream given by a test). */
  droppedBytes(): number
}

/** What the audit sink writes to: stdout in production (bytes), any string stream in tests. */
interface Output {
  /** Every other log line, from pino. */
  stream: DestinationStream
  /** Gathered audit lines as bytes; absent: they go to `stream` as text. */
  writeBytes?: (bytes: Buffer) => void
  droppedBytes(): number
}

/**
 * How much log output may wait for stdout. A reader that stops (a stalled log collector, a full disk behind the
 * container runtime) would otherwise grow the queue until the process is killed for memory: at 10,000 decisions
 * a second that is ~3.5 MB a second. Past this, lines are dropped and counted
 * (gatekeeper_authz_log_dropped_bytes_total), and a warning with the count is logged once output flows again.
 */
const MAX_BUFFERED_LOG_BYTES = 64 * 1024 * 1024

/**
 * stdout through SonicBoom in buffer mode. Audit lines reach it as bytes (see the sink below); pino's own lines,
 * which are strings, are encoded on the way in, so both share one ordered queue and one asynchronous writer.
 */
function stdoutOutput(fd: number, maxBufferedBytes: number, reportDropped: (bytes: number) => void): Output {
  const boom = pino.destination({ fd, sync: false, contentMode: 'buffer', maxLength: maxBufferedBytes })
  const write = (bytes: Buffer) => boom.write(bytes as unknown as string)
  // Never write to stderr here: a pipe write is synchronous on Linux, and a stalled reader would stall decisions.
  let dropped = 0
  let droppedUnreported = 0
  boom.on('drop', (data: Buffer | string) => {
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length
    dropped += bytes
    droppedUnreported += bytes
  })
  // Written again: say what was lost, in the log itself (queued like any other line).
  boom.on('drain', () => {
    if (droppedUnreported === 0) return
    const bytes = droppedUnreported
    droppedUnreported = 0
    reportDropped(bytes)
  })
  // A broken stdout (the reader is gone) must not take the decision service down with it: an unhandled 'error'
  // would. Lines are lost from then on; the drop counter does not see them.
  boom.on('error', () => undefined)
  const stream = {
    write: (text: string) => write(Buffer.from(text, 'utf8')),
    // SonicBoom's own flush() answers at once when it has no minimum length; wait for the queue to be written.
    flush: (cb?: (err?: Error) => void) => {
      if ((boom as unknown as { _writing: boolean })._writing) boom.once('drain', () => cb?.())
      else cb?.()
    },
    flushSync: () => boom.flushSync(),
  }
  return { stream: stream as unknown as DestinationStream, writeBytes: write, droppedBytes: () => dropped }
}

export function createLogger(options: {
  level: string
  /** A stream for text (tests); by default the logger writes to `fd`. */
  destination?: DestinationStream
  /** Default 1 (stdout). */
  fd?: number
  /** Default MAX_BUFFERED_LOG_BYTES. */
  maxBufferedBytes?: number
}): CreatedLogger {
  // The output is made before the logger that reports through it.
  const made: { logger?: Logger } = {}
  const reportDropped = (bytes: number) =>
    made.logger?.warn({ dropped_bytes: bytes }, 'log output fell behind: lines were dropped')
  const output: Output =
    options.destination === undefined
      ? stdoutOutput(options.fd ?? 1, options.maxBufferedBytes ?? MAX_BUFFERED_LOG_BYTES, reportDropped)
      : { stream: options.destination, droppedBytes: () => 0 }
  const logger = pino(
    {
      level: options.level,
      base: { service: SERVICE },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // pino's default epoch-milliseconds `time`: formatting an ISO date per line costs ~2% of a decision.
      formatters: { level: (label) => ({ level: label }) },
    },
    output.stream,
  )
  made.logger = logger
  const sink: Sink = { output, buffer: Buffer.allocUnsafeSlow(BUFFER_BYTES), start: 0, used: 0, turns: -1 }
  sinks.set(logger, sink)
  return {
    logger,
    droppedBytes: output.droppedBytes,
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
// each write (SonicBoom, fs.write dispatch: ~8 us per request when done every turn) is shared by
// dozens of lines. flush() writes what is pending first, so a graceful shutdown loses nothing.
//
// Each line is encoded into a byte buffer at once, not kept as a string until the write: text gathered over
// several turns outlived the young generation and its flattening and collection cost ~2.5 us per line (a
// micro-benchmark: 4.2 -> 1.6 us per line through SonicBoom). A chunk handed to SonicBoom is never written to
// again (buffer mode keeps a reference, not a copy): the next chunk starts after it, in a new buffer once full.
const CHUNK_BYTES = 16 * 1024
const BUFFER_BYTES = 64 * 1024
const MAX_TURNS = 8

interface Sink {
  output: Output
  buffer: Buffer
  /** Where the pending chunk starts in `buffer`; before it, bytes already handed over. */
  start: number
  used: number
  /** Turns waited since the first pending line; -1 when nothing is scheduled. */
  turns: number
}

const sinks = new WeakMap<Logger, Sink>()

function drain(sink: Sink): void {
  sink.turns = -1
  if (sink.used === sink.start) return
  const { output } = sink
  if (output.writeBytes !== undefined) {
    output.writeBytes(sink.buffer.subarray(sink.start, sink.used))
    sink.start = sink.used
  } else {
    output.stream.write(sink.buffer.toString('utf8', sink.start, sink.used))
    sink.start = sink.used = 0
  }
}

/** Appends one line; a line that could not fit even an empty buffer is written on its own. */
function append(sink: Sink, line: string): void {
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (sink.used + line.length * 3 > sink.buffer.length) {
    drain(sink)
    if (line.length * 3 > BUFFER_BYTES) {
      if (sink.output.writeBytes !== undefined) sink.output.writeBytes(Buffer.from(line, 'utf8'))
      else sink.output.stream.write(line)
      return
    }
    if (sink.start > 0) {
      sink.buffer = Buffer.allocUnsafeSlow(BUFFER_BYTES)
      sink.start = sink.used = 0
    }
  }
  sink.used += sink.buffer.write(line, sink.used, 'utf8')
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
      append(sink, auditLine(entry, Date.now()))
      if (sink.used - sink.start >= CHUNK_BYTES) {
        drain(sink)
      } else if (sink.turns < 0) {
        sink.turns = 0
        setImmediate(tick, sink)
      }
    },
  }
}
