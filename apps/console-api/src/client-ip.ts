import { BlockList, isIP } from 'node:net'

/** What @hono/node-server puts in `c.env`; absent under `app.request()` in tests unless a test passes it. */
export type NodeBindings = { incoming?: { socket?: { remoteAddress?: string | undefined } | undefined } }

export type ClientIpResolver = (peer: string | undefined, headers: (name: string) => string | undefined) => string

/** `::ffff:1.2.3.4` -> `1.2.3.4`; anything that is not an IP address -> undefined. */
function ipOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  const unmapped = /^::ffff:/i.test(trimmed) && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed
  return isIP(unmapped) === 0 ? undefined : unmapped
}

/**
 * The client's IP for the sign-in throttle. The socket peer is the client, unless the peer is one of our
 * own proxies (CONSOLE_TRUSTED_PROXIES): then X-Real-IP, or else the right-most X-Forwarded-For entry that
 * is not one of our proxies (entries further left were written by the client and prove nothing). Headers
 * from anyone else are ignored, so a client cannot pick its own throttle bucket. `unknown` when nothing is known.
 */
export function clientIpResolver(trustedProxies: ReadonlyArray<string>): ClientIpResolver {
  const list = new BlockList()
  for (const entry of trustedProxies) {
    const [address = '', bits] = entry.split('/')
    const ip = ipOf(address)
    if (ip === undefined) continue
    const type = isIP(ip) === 4 ? 'ipv4' : 'ipv6'
    if (bits === undefined) list.addAddress(ip, type)
    else list.addSubnet(ip, Number(bits), type)
  }
  const trusted = (ip: string) => trustedProxies.length > 0 && list.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6')

  return (peer, header) => {
    const socketIp = ipOf(peer)
    if (socketIp === undefined) return 'unknown'
    if (!trusted(socketIp)) return socketIp
    const realIp = ipOf(header('x-real-ip'))
    if (realIp !== undefined) return realIp
    const hops = (header('x-forwarded-for') ?? '').split(',').map(ipOf)
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]
      if (hop === undefined) break
      if (!trusted(hop)) return hop
    }
    return socketIp
  }
}
