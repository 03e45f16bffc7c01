// RFC 9530 `Content-Digest` with SHA-256: computing it (clients), reading it (authz), and checking a body against
// it (authz when it has the body, upstream services behind nginx). Standalone like the rest of this folder, so a
// Node upstream can use it without the rest of Gatekeeper.

import { createHash, timingSafeEqual } from 'node:crypto'
import { toBytes } from './percent'
import { parseSfDictionary } from './structured-dictionary'

/** Longest Content-Digest value considered; a sha-256 member is 53 characters. */
export const MAX_CONTENT_DIGEST_LENGTH = 1024

export type ContentDigestFailure =
  | 'missing'
  | 'too_long'
  | 'malformed'
  | 'duplicate_algorithm'
  | 'no_sha256'
  | 'bad_sha256'

export type ParsedContentDigest =
  | {
      ok: true
      /** The 32 SHA-256 bytes. */
      sha256: Uint8Array
      /** The sha-256 member alone in canonical form, `sha-256=:<padded base64>:`: what v2 signs. */
      value: string
    }
  | { ok: false; reason: ContentDigestFailure }

export type ContentDigestCheck = { ok: true } | { ok: false; reason: ContentDigestFailure | 'mismatch' }

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/
// A header that is exactly one sha-256 member in canonical form: 32 bytes are 43 base64 characters, the last of
// which carries 4 bits (its low 2 bits zero), and one `=`. What every signer sends; read without the dictionary
// parser, with the same result.
const CANONICAL_SHA256_ONLY = /^sha-256=:([A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=):$/

function sha256(body: string | Uint8Array): Buffer {
  return createHash('sha256').update(toBytes(body)).digest()
}

function format(digest: Uint8Array): string {
  return `sha-256=:${Buffer.from(digest).toString('base64')}:`
}

/** `sha-256=:<base64 SHA-256 of the body>:`. A string body is hashed as its UTF-8 bytes; no body is ''. */
export function contentDigestFor(body: string | Uint8Array = ''): string {
  return format(sha256(body))
}

/**
 * Reads a Content-Digest field value: a structured dictionary whose `sha-256` member must be a byte sequence of
 * exactly 32 bytes. Other algorithms are skipped (RFC 9530 lets a sender offer several), so a header offering
 * only weaker or unknown ones is `no_sha256`. Unpadded base64 is accepted (RFC 8941 asks parsers not to fail on
 * it); base64 that does not round-trip (stray bits, bad characters) is not.
 */
export function parseContentDigest(header: string | undefined): ParsedContentDigest {
  if (header === undefined || header.trim().length === 0) return { ok: false, reason: 'missing' }
  if (header.length > MAX_CONTENT_DIGEST_LENGTH) return { ok: false, reason: 'too_long' }
  const plain = CANONICAL_SHA256_ONLY.exec(header)
  if (plain !== null) {
    return { ok: true, sha256: new Uint8Array(Buffer.from(plain[1] as string, 'base64')), value: header }
  }
  const dictionary = parseSfDictionary(header)
  if (!dictionary.ok)
    return { ok: false, reason: dictionary.reason === 'duplicate_key' ? 'duplicate_algorithm' : 'malformed' }
  const member = dictionary.members.get('sha-256')
  if (member === undefined) return { ok: false, reason: 'no_sha256' }
  if (member.type !== 'bytes' || !BASE64.test(member.value)) return { ok: false, reason: 'bad_sha256' }
  const bytes = Buffer.from(member.value, 'base64')
  const canonical = bytes.toString('base64')
  if (bytes.length !== 32 || (member.value !== canonical && member.value !== canonical.replace(/=+$/, ''))) {
    return { ok: false, reason: 'bad_sha256' }
  }
  return { ok: true, sha256: new Uint8Array(bytes), value: format(bytes) }
}

/** Checks a body against a Content-Digest value (its sha-256 member), comparing the 32 bytes in constant time. */
export function verifyContentDigest(header: string | undefined, body: string | Uint8Array): ContentDigestCheck {
  const parsed = parseContentDigest(header)
  if (!parsed.ok) return parsed
  return timingSafeEqual(sha256(body), parsed.sha256) ? { ok: true } : { ok: false, reason: 'mismatch' }
}
