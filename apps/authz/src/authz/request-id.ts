// Request ids for the audit line: the caller's X-Request-ID when it is a sane token (nginx's $request_id is 32
// hex digits), otherwise a cheap process-unique id (random prefix + counter; no crypto per request).

import { randomBytes } from 'node:crypto'

const MAX_LENGTH = 128
const prefix = randomBytes(6).toString('hex')
let counter = 0

function isSane(id: string): boolean {
  if (id.length === 0 || id.length > MAX_LENGTH) return false
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i)
    const ok =
      (c >= 0x30 && c <= 0x39) || // 0-9
      (c >= 0x41 && c <= 0x5a) || // A-Z
      (c >= 0x61 && c <= 0x7a) || // a-z
      c === 0x2d || // -
      c === 0x2e || // .
      c === 0x5f || // _
      c === 0x3a // :
    if (!ok) return false
  }
  return true
}

export function requestId(fromHeader: string | undefined): string {
  if (fromHeader !== undefined && isSane(fromHeader)) return fromHeader
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER
  return `${prefix}-${counter.toString(36)}`
}
