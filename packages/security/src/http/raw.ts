import { connect } from 'node:net'

// A raw HTTP/1.1 client: writes the request line and header lines exactly as given (no validation, no
// re-encoding, duplicates kept, bytes >= 0x80 and control characters allowed), one request per connection,
// and reads the reply until the server closes it. Node's own client refuses most of what hostile input is
// made of, so the suites talk to authz and nginx through this instead.

export interface RawRequest {
  port: number
  host?: string
  method: string
  /** The request target, sent byte for byte (latin1). */
  target: string
  /** Header lines in order; the same name may repeat. Host is not added: send it here. */
  headers: ReadonlyArray<readonly [string, string]>
  body?: string | Uint8Array
  /** Adds Content-Length for the body (default true when there is a body). */
  contentLength?: boolean
  localAddress?: string
  timeoutMs?: number
}

export interface RawReply {
  status: number
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>
  body: string
  ms: number
}

class RawHttpError extends Error {
  override name = 'RawHttpError'
}

function encodeRequest(req: RawRequest): Buffer {
  const lines = [`${req.method} ${req.target} HTTP/1.1`]
  let hasConnection = false
  for (const [name, value] of req.headers) {
    if (name.toLowerCase() === 'connection') hasConnection = true
    lines.push(`${name}: ${value}`)
  }
  if (!hasConnection) lines.push('Connection: close')
  const body = req.body === undefined ? undefined : Buffer.from(req.body)
  if (body !== undefined && req.contentLength !== false) lines.push(`Content-Length: ${body.byteLength}`)
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')
  return body === undefined ? head : Buffer.concat([head, body])
}

/** Parses one HTTP/1.1 response (Content-Length, chunked, or read-until-close). */
function parseReply(data: Buffer, ms: number): RawReply {
  const end = data.indexOf('\r\n\r\n')
  if (end < 0) throw new RawHttpError(`incomplete reply: ${JSON.stringify(data.toString('latin1').slice(0, 200))}`)
  const [statusLine = '', ...headerLines] = data.subarray(0, end).toString('latin1').split('\r\n')
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)
  if (match === null) throw new RawHttpError(`not an HTTP reply: ${JSON.stringify(statusLine)}`)
  const headers: Record<string, string> = {}
  for (const line of headerLines) {
    const colon = line.indexOf(':')
    if (colon < 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`
  }
  let body = data.subarray(end + 4)
  if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body)
  else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']))
  return { status: Number(match[1]), headers, body: body.toString('utf8'), ms }
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = []
  let at = 0
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at)
    if (lineEnd < 0) break
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16)
    if (!Number.isFinite(size) || size === 0) break
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size))
    at = lineEnd + 2 + size + 2
  }
  return Buffer.concat(parts)
}

/** Sends one request; resolves with the reply once the server closes the connection (or the reply is complete). */
export function rawRequest(req: RawRequest): Promise<RawReply> {
  const started = performance.now()
  const timeoutMs = req.timeoutMs ?? 10_000
  return new Promise<RawReply>((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = connect({ host: req.host ?? '127.0.0.1', port: req.port, localAddress: req.localAddress })
    let settled = false
    const settle = (fn: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      fn()
    }
    const timer = setTimeout(
      () => settle(() => reject(new RawHttpError(`no reply within ${timeoutMs} ms: ${req.method} ${req.target}`))),
      timeoutMs,
    )
    const tryComplete = () => {
      const data = Buffer.concat(chunks)
      try {
        const reply = parseReply(data, performance.now() - started)
        const declared = reply.headers['content-length']
        const headEnd = data.indexOf('\r\n\r\n') + 4
        if (declared !== undefined && data.byteLength - headEnd >= Number(declared)) settle(() => resolve(reply))
      } catch {
        // not complete yet
      }
    }
    socket.on('connect', () => socket.write(encodeRequest(req)))
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      tryComplete()
    })
    socket.on('error', (err) => {
      // A server may reset the connection after answering an oversized request: keep what arrived.
      if (chunks.length > 0) {
        try {
          const reply = parseReply(Buffer.concat(chunks), performance.now() - started)
          settle(() => resolve(reply))
          return
        } catch {
          // fall through
        }
      }
      settle(() => reject(err))
    })
    socket.on('end', () => {
      try {
        const reply = parseReply(Buffer.concat(chunks), performance.now() - started)
        settle(() => resolve(reply))
      } catch (err) {
        settle(() => reject(err))
      }
    })
  })
}

/**
 * Writes `bytes` as they are (several requests, broken framing) and collects everything the server sends until it
 * closes the connection; `timedOut` when it had not closed within `timeoutMs`.
 */
export function rawExchange(
  port: number,
  bytes: Uint8Array,
  timeoutMs = 5000,
): Promise<{ stream: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    const socket = connect({ host: '127.0.0.1', port })
    const done = (timedOut: boolean) => {
      clearTimeout(timer)
      socket.destroy()
      resolve({ stream: Buffer.concat(chunks).toString('latin1'), timedOut })
    }
    const timer = setTimeout(() => done(true), timeoutMs)
    socket.on('connect', () => socket.write(bytes))
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', () => done(false))
    socket.on('close', () => done(false))
  })
}
