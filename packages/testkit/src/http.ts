import { request as httpRequest } from 'node:http'

// A raw HTTP client: the path goes on the request line exactly as given (fetch/undici would resolve `..` and
// re-encode), a fresh connection per request (no pooling between tests), an optional source address on the
// loopback network (127.0.0.0/8) to play different clients, and a hard deadline so a hang fails a test instead
// of stalling it.

export interface SendOptions {
  port: number
  host?: string
  method?: string
  /** The request target, sent verbatim. */
  path: string
  /** Header name -> value; an array sends the header once per value. */
  headers?: Record<string, string | readonly string[]>
  body?: string | Uint8Array
  /** Send the body with Transfer-Encoding: chunked instead of Content-Length. */
  chunked?: boolean
  localAddress?: string
  timeoutMs?: number
}

export interface Reply {
  status: number
  /** Lower-case names; repeated headers joined with ", " (set-cookie excepted, which node keeps as a list). */
  headers: Record<string, string>
  body: string
  /** Wall time from sending to the end of the body. */
  ms: number
}

export function send(options: SendOptions): Promise<Reply> {
  const started = performance.now()
  const headers: Record<string, string | string[]> = { Host: 'api.example.com', Connection: 'close' }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    headers[name] = typeof value === 'string' ? value : [...value]
  }
  if (options.body !== undefined && !options.chunked) headers['Content-Length'] = String(byteLength(options.body))
  if (options.chunked) headers['Transfer-Encoding'] = 'chunked'
  return new Promise<Reply>((resolve, reject) => {
    const req = httpRequest({
      host: options.host ?? '127.0.0.1',
      port: options.port,
      method: options.method ?? 'GET',
      path: options.path,
      headers,
      agent: false,
      localAddress: options.localAddress,
      setHost: false,
    })
    const timeoutMs = options.timeoutMs ?? 10_000
    const timer = setTimeout(() => {
      req.destroy(new Error(`no complete reply within ${timeoutMs} ms: ${options.method ?? 'GET'} ${options.path}`))
    }, timeoutMs)
    req.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    req.once('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.once('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
      res.once('end', () => {
        clearTimeout(timer)
        const flat: Record<string, string> = {}
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value
        }
        resolve({
          status: res.statusCode ?? 0,
          headers: flat,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: performance.now() - started,
        })
      })
    })
    if (options.body !== undefined) req.write(options.body)
    req.end()
  })
}

function byteLength(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength
}

/** A plain GET on loopback (health checks, metrics): status and body, failing after `timeoutMs`. */
export async function httpGet(port: number, path: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  const reply = await send({ port, path, headers: { Host: 'localhost' }, timeoutMs })
  return { status: reply.status, body: reply.body }
}

/** Whether `url` answers 2xx within 2 s (the body is read and dropped). */
export async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
  await res.arrayBuffer()
  return res.ok
}
