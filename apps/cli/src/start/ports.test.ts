import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { busyPortProblem, envPort } from './ports'

describe('busyPortProblem', () => {
  const holder = net.createServer()
  let taken = 0

  beforeAll(async () => {
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    taken = (holder.address() as net.AddressInfo).port
  })
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())))

  it('names the taken port, what needed it and the variable that moves it', async () => {
    const problem = await busyPortProblem([
      { port: 0, host: '127.0.0.1', what: 'authz', variable: 'AUTHZ_PORT' },
      { port: taken, host: '0.0.0.0', what: 'console-api', variable: 'CONSOLE_API_PORT' },
    ])
    expect(problem).toBe(
      `port ${taken} (console-api) is already in use, perhaps by another \`gatekeeper start\`: stop that, or choose a free port with CONSOLE_API_PORT=<port>`,
    )
  })

  it('is undefined when every port is free, and leaves them free', async () => {
    const free = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo
        probe.close(() => resolve(port))
      })
    })
    const need = { port: free, host: '127.0.0.1', what: 'authz', variable: 'AUTHZ_PORT' }
    expect(await busyPortProblem([need])).toBeUndefined()
    expect(await busyPortProblem([need])).toBeUndefined()
  })
})

describe('envPort', () => {
  it('takes the first value set, the fallback when none is, and nothing for a value that is not a port', () => {
    expect(envPort([undefined, '8080'], 7843)).toBe(8080)
    expect(envPort(['', ' '], 7843)).toBe(7843)
    expect(envPort(['x'], 7843)).toBeUndefined()
    expect(envPort(['70000'], 7843)).toBeUndefined()
  })
})
