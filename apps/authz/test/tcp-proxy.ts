// A TCP proxy between authz and PostgreSQL that a test can cut, to simulate the database going away without
// touching the machine's shared PostgreSQL. Two ways to fail: `cut()` (connections reset, new ones refused:
// a crashed or restarting server) and `blackhole()` (connections stay open but nothing passes: a partition).

import net from 'node:net'

export interface TcpProxy {
  port: number
  /** Resets every connection and refuses new ones. */
  cut(): Promise<void>
  /** Keeps every connection (and accepts new ones) but forwards nothing in either direction. */
  blackhole(): void
  /** Accepts and forwards again (on the same port). */
  restore(): Promise<void>
  close(): Promise<void>
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>()
  let dropping = false
  let server: net.Server | undefined
  let port = 0

  function onConnection(client: net.Socket): void {
    const upstream = net.connect(target.port, target.host)
    sockets.add(client)
    sockets.add(upstream)
    const forget = () => {
      sockets.delete(client)
      sockets.delete(upstream)
      client.destroy()
      upstream.destroy()
    }
    client.on('data', (chunk) => {
      if (!dropping) upstream.write(chunk)
    })
    upstream.on('data', (chunk) => {
      if (!dropping) client.write(chunk)
    })
    client.on('close', forget)
    upstream.on('close', forget)
    client.on('error', forget)
    upstream.on('error', forget)
  }

  function listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = net.createServer(onConnection)
      s.once('error', reject)
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as net.AddressInfo).port
        server = s
        resolve()
      })
    })
  }

  async function stopListening(): Promise<void> {
    const s = server
    server = undefined
    for (const socket of sockets) socket.resetAndDestroy()
    sockets.clear()
    if (s !== undefined) await new Promise<void>((resolve) => s.close(() => resolve()))
  }

  await listen()
  return {
    get port() {
      return port
    },
    cut: stopListening,
    blackhole() {
      dropping = true
    },
    async restore() {
      if (dropping) {
        dropping = false
        // Whatever was swallowed left those sessions out of step: drop them as a partition that heals would.
        for (const socket of sockets) socket.resetAndDestroy()
        sockets.clear()
      }
      if (server === undefined) await listen()
    },
    close: stopListening,
  }
}
