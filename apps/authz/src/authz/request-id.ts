// Request ids for the audit line: the caller's X-Request-ID when it is a sane token (nginx's $request_id is 32
// hex digits), otherwise a cheap process-unique id (random prefix + counter; no crypto per request).

import { randomBytes } from 'node:crypto'

const MAX_LENGTH = 128
const prefix = randomBytes(6).toString('hex')
let counter = 0

// One regex test, not a charCodeAt loop: per-character loops over header values cost V8's generic property loads
// (callgrind).
const SANE = /^[0-9A-Za-z._:-]+$/

function isSane(id: string): boolean {
  return id.length > 0 && id.length <= MAX_LENGTH && SANE.test(id)
}

export function requestId(fromHeader: string | undefined): string {
  if (fromHeader !== undefined && isSane(fromHeader)) return fromHeader
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER
  return `${prefix}-${counter.toString(36)}`
}
