/**
 * What a service says when it cannot open its port: which port, and the variable that moves it. Node's
 * own `listen EADDRINUSE: address already in use 0.0.0.0:7844` names neither the service's setting nor
 * what to do, and console-api used to die of it with a stack trace.
 */
export function listenFailure(err: unknown, variable: string): string {
  const e = err as NodeJS.ErrnoException & { port?: unknown }
  const port = typeof e?.port === 'number' ? e.port : undefined
  if (e?.code === 'EADDRINUSE') {
    return `port ${port ?? '(unknown)'} is already in use: stop what listens there, or choose a free port with ${variable}=<port>`
  }
  if (e?.code === 'EACCES') {
    return `no permission to listen on port ${port ?? '(unknown)'} (ports below 1024 need privileges): choose another with ${variable}=<port>`
  }
  if (e?.code === 'EADDRNOTAVAIL') {
    return `cannot listen on ${e.message.replace(/^listen EADDRNOTAVAIL: address not available /, '')}: the host is not an address of this machine`
  }
  return err instanceof Error ? err.message : String(err)
}
