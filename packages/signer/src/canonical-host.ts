// The host line of the v2 canonical request: the host as authz routes on it and as nginx's `$host` carries it.
// Lower case, port removed, one trailing dot removed; an IPv6 literal keeps its brackets. Not a full validator
// (authz refuses malformed hosts on its own): this only rejects what could not be a single host at all.

export type HostCanonicalResult = { ok: true; value: string } | { ok: false; reason: 'invalid_host' }

const INVALID: HostCanonicalResult = { ok: false, reason: 'invalid_host' }
const PORT = /^[0-9]{0,5}$/
// Printable ASCII without the characters that would make a value more than one host (`,`), carry userinfo (`@`),
// a path, query or fragment (`/ ? #`), or a backslash.
const HOST_TEXT = /^[!$&'()*+\-.0-9:;<=>A-Z[\]^_`a-z{|}~]+$/

function lowerAscii(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) | 0x20))
}

export function canonicalHost(host: string): HostCanonicalResult {
  if (!HOST_TEXT.test(host)) return INVALID
  let name: string
  let port: string
  if (host.startsWith('[')) {
    const close = host.indexOf(']')
    if (close < 0) return INVALID
    name = host.slice(0, close + 1)
    const rest = host.slice(close + 1)
    if (rest !== '' && !rest.startsWith(':')) return INVALID
    port = rest.slice(1)
    if (name.slice(1, -1).includes('[')) return INVALID
  } else {
    const colon = host.indexOf(':')
    name = colon < 0 ? host : host.slice(0, colon)
    port = colon < 0 ? '' : host.slice(colon + 1)
    if (name.includes('[') || name.includes(']')) return INVALID
  }
  if (!PORT.test(port)) return INVALID
  if (name.endsWith('.')) name = name.slice(0, -1)
  if (name.length === 0) return INVALID
  return { ok: true, value: lowerAscii(name) }
}
