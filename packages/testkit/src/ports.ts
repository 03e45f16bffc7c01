import { type AddressInfo, connect, createServer, type Server } from 'node:net'

/**
 * A port that was free a moment ago on `host`, for processes that cannot report the port they bound (nginx).
 * Node servers in the harness listen on port 0 instead.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, host, () => {
      const port = portOf(server)
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))))
    })
  })
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Polls `probe` (every `everyMs`) until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (err) {
      lastError = err
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? `: ${lastError.message}` : ''
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`)
    }
    await sleep(everyMs)
  }
}

/**
 * Polls `probe` until it holds (a rejection counts as not yet); fails after `timeoutMs` with `describe()` (say, a
 * process's output) appended to the message.
 */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  opts: { timeoutMs: number; everyMs?: number; describe?: () => string },
): Promise<void> {
  try {
    await waitFor(what, async () => ((await probe()) ? true : undefined), opts.timeoutMs, opts.everyMs ?? 100)
  } catch (err) {
    const extra = opts.describe?.()
    const message = err instanceof Error ? err.message : String(err)
    throw new Error(extra ? `${message}\n${extra}` : message)
  }
}

/** The port a listening server was given (0 before it listens). */
export function portOf(server: Pick<Server, 'address'>): number {
  const address = server.address() as AddressInfo | string | null
  return typeof address === 'object' && address !== null ? address.port : 0
}

/** Whether something accepts TCP connections on `host:port` right now. */
export function accepting(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
