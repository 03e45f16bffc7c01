import net from 'node:net'

// `gatekeeper start` checks its ports before it builds or starts anything. Without the check a port
// held by another program (often an earlier `gatekeeper start`) showed only once a service tried to
// listen: after the next-steps block had been printed, with links that the *other* program answered,
// and for console-api as a Node stack trace.

/** A port `gatekeeper start` listens on, and the variable that moves it. */
export type PortNeed = { port: number; host: string; what: string; variable: string }

/** Whether something else already listens on host:port (false for port 0, which picks a free one). */
function inUse(port: number, host: string): Promise<boolean> {
  if (port === 0) return Promise.resolve(false)
  return new Promise((resolve) => {
    const probe = net.createServer()
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE'))
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(false)))
  })
}

/**
 * The one line to stop with when a needed port is taken, naming the variable that moves it; undefined
 * when every port is free.
 */
export async function busyPortProblem(needs: ReadonlyArray<PortNeed>): Promise<string | undefined> {
  for (const need of needs) {
    if (await inUse(need.port, need.host)) {
      return `port ${need.port} (${need.what}) is already in use, perhaps by another \`gatekeeper start\`: stop that, or choose a free port with ${need.variable}=<port>`
    }
  }
  return undefined
}

/**
 * A port as the service will read it from `values` (the first one set), `fallback` when none is set;
 * undefined when the value is not a port, which the service itself then reports.
 */
export function envPort(values: ReadonlyArray<string | undefined>, fallback: number): number | undefined {
  const text = values.find((v) => v !== undefined && v.trim() !== '')?.trim()
  if (text === undefined) return fallback
  const port = Number(text)
  return /^\d+$/.test(text) && port <= 65535 ? port : undefined
}
