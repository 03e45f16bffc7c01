import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { listenFailure } from './env-listen'

/** The error Node gives when listening on `port` fails, from a real socket. */
function listenError(port: number, host = '127.0.0.1'): Promise<unknown> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', resolve)
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)))
  })
}

describe('listenFailure', () => {
  it('says a port is taken, which one, and the variable that moves it', async () => {
    const holder = net.createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    const { port } = holder.address() as net.AddressInfo
    try {
      expect(listenFailure(await listenError(port), 'CONSOLE_API_PORT')).toBe(
        `port ${port} is already in use: stop what listens there, or choose a free port with CONSOLE_API_PORT=<port>`,
      )
    } finally {
      holder.close()
    }
  })

  it('keeps the message of any other error', () => {
    expect(listenFailure(new Error('boom'), 'AUTHZ_PORT')).toBe('boom')
  })
})
