import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:net'
import { promisify } from 'node:util'
import { Redis } from 'ioredis'

/** The shared Redis every integration test may use (never stopped by tests). */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/** A key prefix no other test (or test run) uses. */
export function uniquePrefix(): string {
  return `gktest:${randomUUID()}:`
}

/** Deletes every key under `prefix` from the shared Redis. */
export async function deleteKeys(prefix: string, url = REDIS_URL): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  try {
    await redis.connect()
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

export async function countKeys(prefix: string, url = REDIS_URL): Promise<number> {
  const redis = new Redis(url)
  try {
    return (await redis.keys(`${prefix}*`)).length
  } finally {
    redis.disconnect()
  }
}

/** A loopback port nothing listens on (bound once, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

const run = promisify(execFile)

/**
 * A private redis-server on a random port, for tests that stop, pause or restart Redis. Only this process (by its
 * pid) is ever signalled; the shared Redis is left alone.
 */
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
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']
    this.child = spawn('redis-server', args, { stdio: 'ignore' })
    for (let i = 0; i < 100; i++) {
      if (await this.ping()) return
      await sleep(50)
    }
    throw new Error(`redis-server on port ${this.port} did not start`)
  }

  async ping(): Promise<boolean> {
    try {
      const { stdout } = await run('redis-cli', ['-p', String(this.port), 'ping'], { timeout: 1000 })
      return stdout.trim() === 'PONG'
    } catch {
      return false
    }
  }

  async cli(...args: string[]): Promise<string> {
    const { stdout } = await run('redis-cli', ['-p', String(this.port), ...args], { timeout: 2000 })
    return stdout.trim()
  }

  /** Clean shutdown, as an operator would stop it. */
  async shutdown(): Promise<void> {
    const child = this.child
    if (!child || child.exitCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    await run('redis-cli', ['-p', String(this.port), 'shutdown', 'nosave'], { timeout: 2000 }).catch(() => undefined)
    await exited
  }

  /** Freezes the server: connections stay open but nothing is answered (a hung Redis). */
  pause(): void {
    this.child?.kill('SIGSTOP')
  }

  resume(): void {
    this.child?.kill('SIGCONT')
  }

  async stop(): Promise<void> {
    const child = this.child
    if (!child || child.exitCode !== null) return
    child.kill('SIGCONT')
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGKILL')
    await exited
  }
}
