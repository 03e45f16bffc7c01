import { createHmac, randomUUID } from 'node:crypto'
import { formatV1Authorization } from './header'
import { buildV1MessageBytes } from './message'
import { isValidClientId, isValidNonce, isValidTimestamp } from './rules'

export type SignRequestV1Input = {
  clientId: string
  /** The client's shared secret, used as is (its UTF-8 bytes are the HMAC key). */
  secret: string
  method: string
  /** Path as sent; a query string is ignored by the scheme. */
  path: string
  /** Raw body exactly as sent; omit or pass '' when there is none. */
  body?: string | Uint8Array
  /** Epoch seconds; defaults to now. */
  timestamp?: number
  /** Defaults to a random UUID. */
  nonce?: string
}

export type SignedRequestV1 = {
  /** Full Authorization header value. */
  authorization: string
  timestamp: number
  nonce: string
  signature: string
}

/** Lowercase hex HMAC-SHA256 of `message` keyed by the UTF-8 bytes of `secret`. */
export function computeV1Signature(secret: string, message: string | Uint8Array): string {
  return createHmac('sha256', secret).update(message).digest('hex')
}

/**
 * Signs a request with the v1 scheme. Invalid arguments are caller bugs (they would produce a request the server
 * must refuse), so they throw instead of yielding a header that cannot verify.
 */
export function signRequestV1(input: SignRequestV1Input): SignedRequestV1 {
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000)
  const nonce = input.nonce ?? randomUUID()
  if (input.secret.length === 0) throw new TypeError('signRequestV1: secret is empty')
  if (!isValidClientId(input.clientId)) throw new TypeError('signRequestV1: clientId is empty, too long or unquotable')
  if (!isValidTimestamp(timestamp)) throw new RangeError('signRequestV1: timestamp must be whole epoch seconds')
  if (!isValidNonce(nonce)) throw new TypeError('signRequestV1: nonce must be 8..128 chars of [A-Za-z0-9_-]')

  const message = buildV1MessageBytes({ method: input.method, path: input.path, timestamp, nonce, body: input.body })
  const signature = computeV1Signature(input.secret, message)
  const authorization = formatV1Authorization({ clientId: input.clientId, timestamp, nonce, signature })
  return { authorization, timestamp, nonce, signature }
}
