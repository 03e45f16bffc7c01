import { connect, createServer, type Server, type Socket } from 'node:net'
import { portOf } from './ports'

// A TCP relay on a loopback port in front of a service (authz, PostgreSQL, Redis, Aegis), for tests that count the
// connections a client opens or make the service fail without touching the real one:
// - `connections`: how many connections were accepted so far (how the keepalive checks know how many connections
//   nginx needed; counting sockets in /proc/net/tcp undercounts on loopback, where Linux reuses TIME_WAIT ports);
// - `mode = 'refuse'`: every connection is reset as soon as it is accepted (the service is down);
// - `mode = 'blackhole'`: connections are accepted and never answered (the service hangs);
//   switching to either drops the connections already open;
// - `partition()`: every connection stays open, new ones are accepted, but nothing passes either way;
// - `cut()`: stops listening and resets every connection (a crashed host: connections are refused);
// - `restore()` (or `mode = 'forward'`): transparent again, on the same port.

export type RelayMode = 'forward' | 'refuse' | 'blackhole'

export interface Relay {
  readonly port: number
  /** Connections accepted so far. */
  readonly connections: number
  mode: RelayMode
  partition(): void
  cut(): Promise<void>
  restore(): Promise<void>
  close(): Promise<void>
}

export async function startRelay(target: { host?: string; port: number }): Promise<Relay> {
  const host = target.host ?? '127.0.0.1'
  const sockets = new Set<Socket>()
  let mode: RelayMode = 'forward'
  let partitioned = false
  let connections = 0
  let server: Server | undefined
  let port = 0

  const resetAll = () => {
    for (const socket of sockets) socket.resetAndDestroy()
    sockets.clear()
  }

  function onConnection(client: Socket): void {
    connections += 1
    sockets.add(client)
    client.once('close', () => sockets.delete(client))
    client.on('error', () => client.destroy())
    if (mode === 'refuse') {
      client.resetAndDestroy()
      return
    }
    if (mode === 'blackhole') return
    const upstream = connect({ host, port: target.port })
    sockets.add(upstream)
    for (const socket of [client, upstream]) socket.setNoDelay(true)
    // Either side going away takes the other with it, as if the client were talking to the service directly.
    upstream.once('close', () => {
      sockets.delete(upstream)
      client.destroy()
    })
    upstream.on('error', () => client.destroy())
    client.once('close', () => upstream.destroy())
    client.on('data', (chunk) => {
      if (!partitioned) upstream.write(chunk)
    })
    upstream.on('data', (chunk) => {
      if (!partitioned) client.write(chunk)
    })
  }

  function listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = createServer(onConnection)
      s.once('error', reject)
      s.listen(port, '127.0.0.1', () => {
        port = portOf(s)
        server = s
        resolve()
      })
    })
  }

  async function stopListening(): Promise<void> {
    const s = server
    server = undefined
    resetAll()
    if (s !== undefined) await new Promise<void>((resolve) => s.close(() => resolve()))
  }

  await listen()
  return {
    get port() {
      return port
    },
    get connections() {
      return connections
    },
    get mode() {
      return mode
    },
    set mode(next: RelayMode) {
      mode = next
      if (next !== 'forward') resetAll()
      else partitioned = false
    },
    partition() {
      partitioned = true
    },
    cut: stopListening,
    async restore() {
      if (partitioned) {
        partitioned = false
        // Whatever was swallowed left those sessions out of step: drop them, as a partition that heals would.
        resetAll()
      }
      mode = 'forward'
      if (server === undefined) await listen()
    },
    close: stopListening,
  }
}
