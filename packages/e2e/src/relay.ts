import { connect, createServer, type Server, type Socket } from 'node:net'

// A TCP relay in front of authz that counts the connections opened through it: how the keepalive checks know how
// many connections nginx needed. (Counting sockets in /proc/net/tcp undercounts on loopback: Linux reuses the
// ports of TIME_WAIT sockets there, so a new connection can look like an old one.)

export interface CountingRelay {
  port: number
  /** Connections accepted so far. */
  readonly connections: number
  close(): Promise<void>
}

export function startCountingRelay(target: { host: string; port: number }): Promise<CountingRelay> {
  let connections = 0
  const open = new Set<Socket>()
  const server: Server = createServer((client) => {
    connections += 1
    const upstream = connect({ host: target.host, port: target.port })
    for (const socket of [client, upstream]) {
      open.add(socket)
      socket.setNoDelay(true)
      socket.once('close', () => open.delete(socket))
    }
    client.pipe(upstream)
    upstream.pipe(client)
    // Either side going away takes the other with it, as if nginx were talking to authz directly.
    client.once('error', () => upstream.destroy())
    upstream.once('error', () => client.destroy())
    client.once('close', () => upstream.destroy())
    upstream.once('close', () => client.destroy())
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      resolve({
        port,
        get connections() {
          return connections
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of open) socket.destroy()
            server.close(() => done())
          }),
      })
    })
  })
}
