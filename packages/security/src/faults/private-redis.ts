import { connect } from 'node:net'
import { freePort, waitFor } from '@gatekeeper/e2e/ports'
import { type ManagedProcess, startProcess } from '@gatekeeper/e2e/process'

// A redis-server of the fault script's own on a random loopback port, no persistence, that can be stopped
// (or killed) and started again on the same port.

export interface PrivateRedis {
  port: number
  url: string
  readonly running: boolean
  stop(): Promise<void>
  kill(): Promise<void>
  start(): Promise<void>
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort()
  let current: ManagedProcess | undefined
  const start = async () => {
    current = startProcess({
      name: 'redis',
      command: process.env.REDIS_SERVER ?? 'redis-server',
      args: [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'no',
      ],
    })
    const run = current
    await waitFor(
      `redis on ${port}`,
      async () => {
        if (!run.running) throw new Error(`redis exited: ${run.tail()}`)
        return (await accepting(port)) ? true : undefined
      },
      10_000,
    )
  }
  await start()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return current?.running ?? false
    },
    stop: async () => current?.stop(3000),
    async kill() {
      current?.signal('SIGKILL')
      await current?.exited
    },
    start,
  }
}
