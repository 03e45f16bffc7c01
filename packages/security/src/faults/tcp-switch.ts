import { connect, createServer, type Server, type Socket } from 'node:net'

// A TCP forwarder that can be switched: `forward` (transparent), `refuse` (every connection is reset at once:
// the service is down) or `blackhole` (connections are accepted and never answered: the service hangs).

export type SwitchMode = 'forward' | 'refuse' | 'blackhole'

export interface TcpSwitch {
  port: number
  mode: SwitchMode
  close(): Promise<void>
}

export function startTcpSwitch(targetPort: number): Promise<TcpSwitch> {
  const sockets = new Set<Socket>()
  const handle: { mode: SwitchMode } = { mode: 'forward' }
  const server: Server = createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => client.destroy())
    if (handle.mode === 'refuse') {
      client.resetAndDestroy()
      return
    }
    if (handle.mode === 'blackhole') return
    const upstream = connect({ host: '127.0.0.1', port: targetPort })
    sockets.add(upstream)
    upstream.on('close', () => {
      sockets.delete(upstream)
      client.destroy()
    })
    upstream.on('error', () => client.destroy())
    client.on('close', () => upstream.destroy())
    client.pipe(upstream).pipe(client)
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      resolve({
        port,
        get mode() {
          return handle.mode
        },
        set mode(mode: SwitchMode) {
          handle.mode = mode
          if (mode !== 'forward') for (const socket of sockets) socket.destroy()
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          }),
      })
    })
  })
}
