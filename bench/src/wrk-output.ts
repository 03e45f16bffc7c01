// Parses what `wrk --latency` prints: throughput, the latency distribution, errors, and what the pre-signed
// script reports about its list.

export interface WrkResult {
  requests: number
  rps: number
  p50Ms: number
  p75Ms: number
  p90Ms: number
  p99Ms: number
  /** Responses with a status outside 2xx/3xx. */
  non2xx: number
  /** connect + read + write + timeout. */
  socketErrors: number
  /** From presigned.lua: requests sent and the list's length (sent > total means nonces were reused). */
  presigned?: { sent: number; total: number }
}

function durationMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text)
  if (match?.[1] === undefined || match[2] === undefined) throw new Error(`wrk: unreadable duration ${text}`)
  const value = Number(match[1])
  switch (match[2]) {
    case 'us':
      return value / 1000
    case 'ms':
      return value
    case 's':
      return value * 1000
    default:
      return value * 60_000
  }
}

function percentile(output: string, pct: string): number {
  const match = new RegExp(`^\\s+${pct}%\\s+(\\S+)\\s*$`, 'm').exec(output)
  if (match?.[1] === undefined) throw new Error(`wrk: no ${pct}% latency in output (was --latency given?)`)
  return durationMs(match[1])
}

export function parseWrkOutput(output: string): WrkResult {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(output)
  const total = /^\s+(\d+) requests in /m.exec(output)
  if (rps?.[1] === undefined || total?.[1] === undefined) throw new Error(`wrk: unreadable output:\n${output}`)
  const sockets = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output)
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output)
  const presigned = /^presigned: sent (\d+) of (\d+)$/m.exec(output)
  const result: WrkResult = {
    requests: Number(total[1]),
    rps: Number(rps[1]),
    p50Ms: percentile(output, '50'),
    p75Ms: percentile(output, '75'),
    p90Ms: percentile(output, '90'),
    p99Ms: percentile(output, '99'),
    non2xx: non2xx?.[1] === undefined ? 0 : Number(non2xx[1]),
    socketErrors: sockets === null ? 0 : sockets.slice(1, 5).reduce((sum, n) => sum + Number(n), 0),
  }
  if (presigned?.[1] !== undefined && presigned[2] !== undefined) {
    result.presigned = { sent: Number(presigned[1]), total: Number(presigned[2]) }
  }
  return result
}
