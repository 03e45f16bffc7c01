import { readFileSync } from 'node:fs'

// Which TCP connections exist toward a local port, from the kernel's table (/proc/net/tcp and tcp6): every
// socket whose remote end is that port, in any state, TIME_WAIT included. Connections nginx opened and closed
// stay visible as TIME_WAIT for a minute, so comparing the sets before and after N requests counts how many
// connections the N requests needed.

function table(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(1)
  } catch {
    return []
  }
}

/** Local endpoints (`hexaddr:hexport`) of sockets connected to `port` on this host. */
export function connectionsTo(port: number): Set<string> {
  const wanted = port.toString(16).toUpperCase().padStart(4, '0')
  const found = new Set<string>()
  for (const path of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of table(path)) {
      const fields = row.trim().split(/\s+/)
      const local = fields[1]
      const remote = fields[2]
      if (local === undefined || remote === undefined) continue
      if (remote.slice(remote.lastIndexOf(':') + 1) === wanted) found.add(local)
    }
  }
  return found
}

/** How many connections toward `port` appeared since `before` was taken. */
export function newConnections(port: number, before: ReadonlySet<string>): number {
  let count = 0
  for (const endpoint of connectionsTo(port)) if (!before.has(endpoint)) count++
  return count
}
