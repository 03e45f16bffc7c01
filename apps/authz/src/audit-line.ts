// The audit line, serialised by hand: the same JSON pino writes for `logger.info(entry, 'authz decision')` with
// createLogger's options (level label, epoch-ms time, the service base, the entry's fields in order, msg), built
// with one template per field instead of pino's generic object walk, which cost ~20 µs of each /authz request
// under load (CPU profile). audit-line.test.ts holds it to pino's own output.

import type { AuditEntry } from './audit'

export const AUDIT_MESSAGE = 'authz decision'
export const SERVICE = 'gatekeeper-authz'

const HEAD = `{"level":"info","time":`
const BASE = `,"service":${JSON.stringify(SERVICE)}`
const TAIL = `,"msg":${JSON.stringify(AUDIT_MESSAGE)}}\n`

// What JSON.stringify would escape (plus lone surrogates, which it writes as \u escapes). One regex test per value:
// a charCodeAt loop here ran through V8's generic property-load path for the many string representations header
// values and ids arrive in, ~20k instructions per line (callgrind).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters JSON must escape
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

/** A JSON string literal: as is when nothing needs escaping (ids, hosts, paths usually), else JSON.stringify. */
function quote(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`
}

function text(name: string, value: string | undefined): string {
  return value === undefined ? '' : `,"${name}":${quote(value)}`
}

function num(name: string, value: number): string {
  return `,"${name}":${Number.isFinite(value) ? value : 'null'}`
}

/**
 * Two neighbouring fields whose values come from the configuration (client id and name, route id and service)
 * or the decision vocabulary (status and reason), serialised once per distinct pair and found by the first value,
 * which is the same string object request after request (the snapshot's, the engine's): a map lookup instead of
 * two escape checks and four concatenations per pair. A renamed client or route is serialised anew (the second
 * value is compared); the memo is emptied when it has grown past the size of a large configuration.
 */
class PairMemo {
  private readonly memo = new Map<string, { second: string | undefined; text: string }>()
  constructor(private readonly make: (first: string, second: string | undefined) => string) {}

  get(first: string, second: string | undefined): string {
    const hit = this.memo.get(first)
    if (hit !== undefined && hit.second === second) return hit.text
    const made = this.make(first, second)
    if (this.memo.size >= PAIR_MEMO_LIMIT) this.memo.clear()
    this.memo.set(first, { second, text: made })
    return made
  }
}

const PAIR_MEMO_LIMIT = 200_000
const clients = new PairMemo((id, name) => text('client_id', id) + text('client_name', name))
const routes = new PairMemo((id, service) => text('route_id', id) + text('route_service', service))
const outcomes = new Map<string, { allowed: boolean; status: number; text: string }>()

/** `,"allowed":…,"status":…,"reason":…`: a handful of combinations per reason, found by the reason. */
function outcome(allowed: boolean, status: number, reason: string): string {
  const hit = outcomes.get(reason)
  if (hit !== undefined && hit.allowed === allowed && hit.status === status) return hit.text
  const made = `,"allowed":${allowed}${num('status', status)}${text('reason', reason)}`
  if (outcomes.size < PAIR_MEMO_LIMIT) outcomes.set(reason, { allowed, status, text: made })
  return made
}

export function auditLine(e: AuditEntry, timeMs: number): string {
  return (
    HEAD +
    timeMs +
    BASE +
    text('request_id', e.request_id) +
    text('client_ip', e.client_ip) +
    (e.client_id === undefined ? text('client_name', e.client_name) : clients.get(e.client_id, e.client_name)) +
    text('domain', e.domain) +
    text('path', e.path) +
    text('target', e.target) +
    (e.route_id === undefined ? text('route_service', e.route_service) : routes.get(e.route_id, e.route_service)) +
    text('method', e.method) +
    outcome(e.allowed, e.status, e.reason) +
    text('detail', e.detail) +
    num('duration_ms', e.duration_ms) +
    TAIL
  )
}
