import { createHmac, randomUUID } from 'node:crypto'
import type { V2QueryParams } from './canonical-target'
import { tryBuildV2Canonical } from './canonical-v2'
import { contentDigestFor } from './content-digest'
import { formatV2Authorization } from './header'

type V2Common = {
  clientId: string
  /** The client's shared secret, used as is (its UTF-8 bytes are the HMAC key), the same secret as v1. */
  secret: string
  /** Any letter case; signed upper-cased. Send the upper-cased method. */
  method: string
  /** Raw body exactly as sent; omit or pass '' when there is none (its digest is still sent and signed). */
  body?: string | Uint8Array
  /** Epoch seconds; defaults to now. */
  timestamp?: number
  /** Defaults to a random UUID. */
  nonce?: string
}

/** An absolute URL, read with the WHATWG URL parser (what `fetch` sends for it). */
export type V2UrlTarget = { url: string | URL }

export type V2PartsTarget = {
  /** Host as sent; case, port and a trailing dot do not matter (the port is not signed). */
  host: string
  /** Path as sent, optionally with `?query`. Non-ASCII text is signed as its UTF-8 bytes. */
  path: string
  /** The query when `path` has none: the raw query string (no `?`), or decoded parameters. */
  query?: string | V2QueryParams
}

export type SignRequestV2Input = V2Common & (V2UrlTarget | V2PartsTarget)

export type SignedRequestV2 = {
  /** Full Authorization header value. */
  authorization: string
  /** The Content-Digest header value to send with the request. */
  contentDigest: string
  /** Both headers, ready to merge into a request. */
  headers: { Authorization: string; 'Content-Digest': string }
  timestamp: number
  nonce: string
  /** Lowercase hex HMAC-SHA256 of `canonical`. */
  signature: string
  /** The string that was signed (for debugging a mismatch against the server's; never send it). */
  canonical: string
}

/** Lowercase hex HMAC-SHA256 of the canonical string (UTF-8) keyed by the UTF-8 bytes of `secret`. */
export function computeV2Signature(secret: string, canonical: string): string {
  return createHmac('sha256', secret).update(canonical, 'utf8').digest('hex')
}

function targetOf(input: SignRequestV2Input): V2PartsTarget {
  if ('url' in input) {
    const url = typeof input.url === 'string' ? new URL(input.url) : input.url
    if (url.host === '') throw new TypeError('signRequestV2: url has no host')
    return { host: url.host, path: url.pathname, query: url.search.slice(1) }
  }
  return input
}

/**
 * Signs a request with the v2 scheme and returns the `Authorization` and `Content-Digest` headers to send.
 * Invalid arguments are caller bugs (they would produce a request the server must refuse), so they throw.
 */
export function signRequestV2(input: SignRequestV2Input): SignedRequestV2 {
  if (input.secret.length === 0) throw new TypeError('signRequestV2: secret is empty')
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000)
  const nonce = input.nonce ?? randomUUID()
  const target = targetOf(input)
  const contentDigest = contentDigestFor(input.body ?? '')
  const built = tryBuildV2Canonical({
    clientId: input.clientId,
    method: input.method,
    host: target.host,
    path: target.path,
    ...(target.query !== undefined ? { query: target.query } : {}),
    timestamp,
    nonce,
    contentDigest,
  })
  if (!built.ok) throw new TypeError(`signRequestV2: ${built.reason}`)

  const canonical = built.value.canonical
  const signature = computeV2Signature(input.secret, canonical)
  const authorization = formatV2Authorization({ clientId: input.clientId, timestamp, nonce, signature })
  return {
    authorization,
    contentDigest,
    headers: { Authorization: authorization, 'Content-Digest': contentDigest },
    timestamp,
    nonce,
    signature,
    canonical,
  }
}
