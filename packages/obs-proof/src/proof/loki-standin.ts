// Debian has no Grafana Loki (its `loki` package is an unrelated genetics program) and npm ships no Loki
// binary, so on these machines the proof talks to this stand-in: Loki's push and query HTTP API over an
// in-memory store, answering LogQL with src/logql (Grafana's LogQL grammar, the subset the dashboards use;
// anything else is an error, never an empty answer). Set LOKI_URL to run the same proof against a real Loki.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { compileLogql } from '../logql/metric'
import type { LogEntry } from '../logql/select'

interface PushBody {
  streams: Array<{ stream: Record<string, string>; values: Array<[string, string]> }>
}

export interface LokiStandIn {
  url: string
  entries: LogEntry[]
  close(): Promise<void>
}

function answer(entries: LogEntry[], params: URLSearchParams, range: boolean): unknown {
  const query = params.get('query') ?? ''
  const compiled = compileLogql(query)
  const nowNs = BigInt(Date.now()) * 1_000_000n
  const end = BigInt(params.get('end') ?? params.get('time') ?? nowNs.toString())
  const start = BigInt(params.get('start') ?? (end - 3_600_000_000_000n).toString())
  if (compiled.kind === 'logs') {
    const limit = Number(params.get('limit') ?? '100')
    const selected = compiled
      .select(entries.filter((e) => e.ts >= start && e.ts <= end))
      .sort((a, b) => (a.ts < b.ts ? 1 : -1))
      .slice(0, limit)
    const streams = new Map<string, { stream: Record<string, string>; values: Array<[string, string]> }>()
    for (const e of selected) {
      const key = JSON.stringify(e.labels)
      const s = streams.get(key) ?? { stream: e.labels, values: [] }
      s.values.push([e.ts.toString(), e.line])
      streams.set(key, s)
    }
    return { resultType: 'streams', result: [...streams.values()] }
  }
  if (!range) {
    return {
      resultType: 'vector',
      result: compiled.at(entries, end).map((s) => ({ metric: s.labels, value: [Number(end) / 1e9, String(s.value)] })),
    }
  }
  const stepNs = BigInt(Math.round(Number(params.get('step') ?? '15') * 1e9))
  const series = new Map<string, { metric: Record<string, string>; values: Array<[number, string]> }>()
  for (let t = start; t <= end; t += stepNs) {
    for (const s of compiled.at(entries, t)) {
      const key = JSON.stringify(s.labels)
      const row = series.get(key) ?? { metric: s.labels, values: [] }
      row.values.push([Number(t) / 1e9, String(s.value)])
      series.set(key, row)
    }
  }
  return { resultType: 'matrix', result: [...series.values()] }
}

export async function startLokiStandIn(): Promise<LokiStandIn> {
  const entries: LogEntry[] = []
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://loki')
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.method === 'GET' && url.pathname === '/ready') return reply(200, 'ready')
    if (req.method === 'POST' && url.pathname === '/loki/api/v1/push') {
      let text = ''
      req.setEncoding('utf8')
      req.on('data', (c: string) => {
        text += c
      })
      req.on('end', () => {
        const body = JSON.parse(text) as PushBody
        for (const s of body.streams) {
          for (const [ts, line] of s.values) entries.push({ ts: BigInt(ts), line, labels: { ...s.stream } })
        }
        res.writeHead(204)
        res.end()
      })
      return
    }
    if (url.pathname === '/loki/api/v1/query_range' || url.pathname === '/loki/api/v1/query') {
      try {
        return reply(200, {
          status: 'success',
          data: answer(entries, url.searchParams, url.pathname.endsWith('range')),
        })
      } catch (err) {
        return reply(400, { status: 'error', error: err instanceof Error ? err.message : String(err) })
      }
    }
    reply(404, { status: 'error', error: 'not found' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    entries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
