// Pushes log lines to Loki's push API and runs LogQL through its query API, the way promtail and Grafana do.
// Works against the stand-in and against a real Loki (LOKI_URL).

export interface LokiStream {
  labels: Record<string, string>
  lines: Array<{ tsNs: bigint; line: string }>
}

export interface LokiResult {
  status: 'success' | 'error'
  error?: string
  data?: { resultType: string; result: Array<{ values?: unknown[]; value?: unknown }> }
}

export async function pushToLoki(url: string, streams: LokiStream[]): Promise<void> {
  const body = {
    streams: streams.map((s) => ({
      stream: s.labels,
      values: s.lines.map((l) => [l.tsNs.toString(), l.line]),
    })),
  }
  const res = await fetch(`${url}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (res.status !== 204 && res.status !== 200) throw new Error(`loki push: ${res.status} ${await res.text()}`)
}

export async function lokiQueryRange(
  url: string,
  query: string,
  range: { startNs: bigint; endNs: bigint; stepSeconds: number },
): Promise<LokiResult> {
  const params = new URLSearchParams({
    query,
    start: range.startNs.toString(),
    end: range.endNs.toString(),
    step: String(range.stepSeconds),
    limit: '1000',
  })
  const res = await fetch(`${url}/loki/api/v1/query_range?${params}`)
  const text = await res.text()
  try {
    return JSON.parse(text) as LokiResult
  } catch {
    return { status: 'error', error: `${res.status} ${text}` }
  }
}
