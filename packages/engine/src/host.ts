// The request's host as routes are keyed: port stripped, lower case, one trailing dot removed.
// `X-Original-Host` carries nginx's `$host`, which is already this; direct callers may send a raw Host value,
// so anything that is not a single plain host name or IP literal is refused rather than guessed.

import { isIPv6 } from 'node:net'

export type HostFailure =
  | 'missing'
  | 'whitespace'
  | 'multiple_values'
  | 'userinfo'
  | 'invalid_character'
  | 'invalid_port'
  | 'invalid_ipv6'
  | 'empty_label'
  | 'label_too_long'
  | 'too_long'

export type HostResult = { ok: true; host: string } | { ok: false; reason: HostFailure }

const MAX_HOST_LENGTH = 253
const MAX_LABEL_LENGTH = 63

function fail(reason: HostFailure): { ok: false; reason: HostFailure } {
  return { ok: false, reason }
}

// Hosts are few (the API's own names), so results are cached; a flood of made-up hosts only clears the cache.
const CACHE_LIMIT = 1024
const cache = new Map<string, HostResult>()

export function parseHost(value: string | undefined): HostResult {
  if (value === undefined) return fail('missing')
  const cached = cache.get(value)
  if (cached !== undefined) return cached
  const result = Object.freeze(parseHostUncached(value))
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(value, result)
  return result
}

function parseHostUncached(value: string): HostResult {
  if (value.length === 0) return fail('missing')
  if (value.length > MAX_HOST_LENGTH + 8) return fail('too_long') // room for ":65535" and a trailing dot

  let hostEnd = value.length
  let upper = false
  if (value.charCodeAt(0) === 0x5b /* [ */) {
    const close = value.indexOf(']')
    if (close < 0) return fail('invalid_ipv6')
    if (close + 1 < value.length) {
      if (value.charCodeAt(close + 1) !== 0x3a /* : */) return fail('invalid_character')
      if (!validPort(value, close + 2)) return fail(problemIn(value, close + 2) ?? 'invalid_port')
    }
    const literal = value.slice(1, close)
    for (let i = 0; i < literal.length; i++) {
      const bad = commonProblem(literal.charCodeAt(i))
      if (bad !== undefined) return fail(bad)
    }
    // node's isIPv6 accepts zone ids (`fe80::1%eth0`), which have no place in a Host header.
    if (literal.includes('%') || !isIPv6(literal)) return fail('invalid_ipv6')
    return { ok: true, host: `[${literal.toLowerCase()}]` }
  }

  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c === 0x3a /* : */) {
      if (!validPort(value, i + 1)) return fail(problemIn(value, i + 1) ?? 'invalid_port')
      hostEnd = i
      break
    }
    const bad = commonProblem(c)
    if (bad !== undefined) return fail(bad)
    if (c >= 0x41 && c <= 0x5a) upper = true
    else if (!isHostChar(c)) return fail('invalid_character')
  }

  if (hostEnd > 0 && value.charCodeAt(hostEnd - 1) === 0x2e /* . */) hostEnd--
  if (hostEnd === 0) return fail('missing')
  if (hostEnd > MAX_HOST_LENGTH) return fail('too_long')

  let labelStart = 0
  for (let i = 0; i <= hostEnd; i++) {
    if (i === hostEnd || value.charCodeAt(i) === 0x2e) {
      const labelLength = i - labelStart
      if (labelLength === 0) return fail('empty_label')
      if (labelLength > MAX_LABEL_LENGTH) return fail('label_too_long')
      labelStart = i + 1
    }
  }

  const host = hostEnd === value.length ? value : value.slice(0, hostEnd)
  return { ok: true, host: upper ? host.toLowerCase() : host }
}

function commonProblem(c: number): HostFailure | undefined {
  if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) return 'whitespace'
  if (c === 0x2c /* , */) return 'multiple_values'
  if (c === 0x40 /* @ */) return 'userinfo'
  return undefined
}

function problemIn(value: string, from: number): HostFailure | undefined {
  for (let i = from; i < value.length; i++) {
    const bad = commonProblem(value.charCodeAt(i))
    if (bad !== undefined) return bad
  }
  return undefined
}

/** Letters, digits, `-`, `.`, and `_` (common in internal names, accepted by nginx). */
function isHostChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d /* - */ || c === 0x2e || c === 0x5f /* _ */
}

/** Digits only (none is allowed: `host:` is a valid authority), at most 65535. */
function validPort(value: string, from: number): boolean {
  const digits = value.length - from
  if (digits > 5) return false
  let port = 0
  for (let i = from; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c < 0x30 || c > 0x39) return false
    port = port * 10 + (c - 0x30)
  }
  return port <= 65535
}
