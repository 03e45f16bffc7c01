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

export function auditLine(e: AuditEntry, timeMs: number): string {
  return (
    HEAD +
    timeMs +
    BASE +
    text('request_id', e.request_id) +
    text('client_ip', e.client_ip) +
    text('client_id', e.client_id) +
    text('client_name', e.client_name) +
    text('domain', e.domain) +
    text('path', e.path) +
    text('target', e.target) +
    text('route_id', e.route_id) +
    text('route_service', e.route_service) +
    text('method', e.method) +
    `,"allowed":${e.allowed}` +
    num('status', e.status) +
    text('reason', e.reason) +
    text('detail', e.detail) +
    num('duration_ms', e.duration_ms) +
    TAIL
  )
}
