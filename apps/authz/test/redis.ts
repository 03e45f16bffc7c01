// Redis for integration tests: the shared server (TEST_REDIS_URL, never stopped; keys under a unique prefix,
// deleted afterwards) and a private redis-server on a random port for tests that count commands or stop it.

import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'

export const SHARED_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

export function uniquePrefix(): string {
  return `gkauthz-test:${randomUUID()}:`
}

export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 })
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
      if (keys.length > 0) await redis.del(...keys)
      cursor = next
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const address = s.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      s.close(() => resolve(port))
    })
  })
}

/** A redis-server of our own: only this child process (by its handle) is ever stopped. */
export class PrivateRedis {
  private child: ChildProcess | undefined
  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort())
    await r.start()
    return r
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    )
    for (let i = 0; i < 100; i++) {
      if (await this.ping()) return
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error(`redis-server on ${this.port} did not start`)
  }

  private async ping(): Promise<boolean> {
    const redis = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
    redis.on('error', () => undefined)
    try {
      await redis.connect()
      return (await redis.ping()) === 'PONG'
    } catch {
      return false
    } finally {
      redis.disconnect()
    }
  }

  /** Runs one command on a fresh connection (so it does not count in commandstats before it runs). */
  async command(...args: string[]): Promise<unknown> {
    const redis = new Redis(this.url, { maxRetriesPerRequest: 0 })
    try {
      const [name, ...rest] = args
      return await redis.call(name ?? 'PING', ...rest)
    } finally {
      redis.disconnect()
    }
  }

  /**
   * Records the commands clients send (MONITOR), leaving out those a Lua script runs itself: what one
   * decision costs in round trips. `stop()` returns them, lower-case command names first.
   */
  async record(): Promise<{ stop(): Promise<string[][]> }> {
    const client = new Redis(this.url, { maxRetriesPerRequest: 0 })
    const monitor = await client.monitor()
    const seen: string[][] = []
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (source !== 'lua') seen.push([String(args[0]).toLowerCase(), ...args.slice(1)])
    })
    return {
      async stop() {
        await new Promise((r) => setTimeout(r, 50))
        monitor.disconnect()
        client.disconnect()
        return seen
      },
    }
  }

  async stop(): Promise<void> {
    const child = this.child
    if (child === undefined || child.exitCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    await exited
  }
}
