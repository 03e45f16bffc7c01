// The client IP that IP allowlists are checked against and the audit line records. Only a trusted forwarder (the
// socket peer is in TRUSTED_FORWARDER_IPS) may name another address, in `X-Original-Client-IP`, which the shipped
// nginx configs overwrite with `$remote_addr` on every auth subrequest. Anyone else is the address they connect
// from. `X-Real-IP` and `X-Forwarded-For` never count: nginx passes a client's own copies to the auth subrequest
// unless its configuration overwrites them, and a forwarder that overwrites one may still pass the other, so
// believing them would let a client pick the address its key's allowlist is checked against.

import { BlockList, isIP } from 'node:net'

export interface TrustedForwarders {
  /** `ip` as node reports it; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is checked as IPv4. */
  has(ip: string): boolean
  readonly size: number
}

export type TrustedForwardersResult = { ok: true; trusted: TrustedForwarders } | { ok: false; reason: string }

/** `::ffff:1.2.3.4` -> `1.2.3.4` (node reports IPv4 peers of dual-stack sockets this way); other values as given. */
export function unmapIPv4(ip: string): string {
  if (ip.length > 7 && (ip.charCodeAt(0) === 0x3a || ip.charCodeAt(0) === 0x30)) {
    const lower = ip.toLowerCase()
    for (const prefix of ['::ffff:', '0:0:0:0:0:ffff:']) {
      if (lower.startsWith(prefix)) {
        const rest = ip.slice(prefix.length)
        if (isIP(rest) === 4) return rest
      }
    }
  }
  return ip
}

const KNOWN_LIMIT = 1024

/** A compiled list of addresses and CIDRs. */
export interface AddressList {
  /** `ip` as node reports it; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is checked as IPv4. */
  has(ip: string): boolean
  readonly size: number
}

export type AddressListResult = { ok: true; list: AddressList } | { ok: false; reason: string }

/**
 * Entries: IPv4/IPv6 addresses and CIDRs (`203.0.113.10`, `10.0.0.0/8`, `2001:db8::/32`); `what` names them in
 * an error. Answers are remembered per address string, up to `knownLimit` (BlockList.check builds SocketAddress
 * objects, ~5 us in a CPU profile, and callers ask about the same few addresses over and over).
 */
export function compileAddressList(
  entries: readonly string[],
  what: string,
  knownLimit = KNOWN_LIMIT,
): AddressListResult {
  const blockList = new BlockList()
  let size = 0
  for (const raw of entries) {
    const entry = raw.trim()
    if (entry.length === 0) continue
    const slash = entry.indexOf('/')
    const address = unmapIPv4(slash < 0 ? entry : entry.slice(0, slash))
    const family = isIP(address)
    if (family === 0) return { ok: false, reason: `invalid ${what} address: ${entry}` }
    const type = family === 4 ? 'ipv4' : 'ipv6'
    if (slash < 0) {
      blockList.addAddress(address, type)
    } else {
      const bitsText = entry.slice(slash + 1)
      let bits = /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : -1
      // `::ffff:10.0.0.0/104` names an IPv4 range: keep its meaning after unmapping.
      if (family === 4 && address !== entry.slice(0, slash)) bits -= 96
      if (bits < 0 || bits > (family === 4 ? 32 : 128)) {
        return { ok: false, reason: `invalid ${what} prefix length: ${entry}` }
      }
      blockList.addSubnet(address, bits, type)
    }
    size++
  }
  const known = new Map<string, boolean>()
  const list: AddressList = {
    size,
    has(ip: string): boolean {
      if (size === 0) return false
      const remembered = known.get(ip)
      if (remembered !== undefined) return remembered
      const address = unmapIPv4(ip)
      const family = isIP(address)
      const answer = family !== 0 && blockList.check(address, family === 4 ? 'ipv4' : 'ipv6')
      if (known.size >= knownLimit) known.clear()
      known.set(ip, answer)
      return answer
    },
  }
  return { ok: true, list }
}

/** Entries: IPv4/IPv6 addresses and CIDRs (`203.0.113.10`, `10.0.0.0/8`, `2001:db8::/32`). */
export function compileTrustedForwarders(entries: readonly string[]): TrustedForwardersResult {
  // The immediate caller is one of a few nginx hosts, asked about on every request.
  const compiled = compileAddressList(entries, 'trusted forwarder')
  return compiled.ok ? { ok: true, trusted: compiled.list } : compiled
}

export interface ClientIpInput {
  socketIp: string | undefined
  xOriginalClientIp: string | undefined
  trusted: TrustedForwarders
}

function validIp(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const ip = unmapIPv4(value.trim())
  return isIP(ip) === 0 ? undefined : ip
}

/**
 * A trusted forwarder's `X-Original-Client-IP` (one valid address; a repeated or invalid one is ignored), else the
 * socket peer, else `unknown` (in-process requests have no socket; an allowlist refuses `unknown`).
 */
export function resolveClientIp(input: ClientIpInput): string {
  const socketIp = validIp(input.socketIp)
  if (input.xOriginalClientIp !== undefined && socketIp !== undefined && input.trusted.has(socketIp)) {
    const original = validIp(input.xOriginalClientIp)
    if (original !== undefined) return original
  }
  return socketIp ?? 'unknown'
}
