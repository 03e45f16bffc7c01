const utf8 = new TextEncoder()

export type V1MessageParts = {
  method: string
  /** Request path; anything from `?` on is dropped, the scheme signs the path without its query string. */
  path: string
  /** Epoch seconds. */
  timestamp: number
  nonce: string
}

function pathWithoutQuery(path: string): string {
  const query = path.indexOf('?')
  return query === -1 ? path : path.slice(0, query)
}

function v1Head(parts: V1MessageParts): string {
  return `${parts.method.toUpperCase()}\n${pathWithoutQuery(parts.path)}\n${parts.timestamp}\n${parts.nonce}\n`
}

/** The v1 string to sign: `METHOD\nPATH\nTIMESTAMP\nNONCE\nBODY` (BODY empty when there is none). */
export function buildV1Message(parts: V1MessageParts & { body?: string }): string {
  return v1Head(parts) + (parts.body ?? '')
}

/**
 * The same message as bytes. A byte body is appended as is, so a body that is not valid UTF-8 is still signed
 * exactly as it travels on the wire (decoding it to a string first would replace such bytes).
 */
export function buildV1MessageBytes(parts: V1MessageParts & { body?: string | Uint8Array }): Uint8Array {
  const head = utf8.encode(v1Head(parts))
  const body = parts.body ?? ''
  const bodyBytes = typeof body === 'string' ? utf8.encode(body) : body
  const message = new Uint8Array(head.length + bodyBytes.length)
  message.set(head, 0)
  message.set(bodyBytes, head.length)
  return message
}
