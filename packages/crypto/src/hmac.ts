import * as nodeCrypto from 'node:crypto'
import { buildV1Message, buildV1MessageBytes } from '@gatekeeper/signer'

export type VerifyV1Input = {
  secret: string
  /**
   * `hmacKey(secret)` of this same secret, made once and kept by the caller: the signature is then computed from its
   * precomputed padded blocks instead of a new HMAC object. Anything else is ignored (the secret is used).
   */
  key?: unknown
  method: string
  path: string
  timestamp: number
  nonce: string
  /** Raw body exactly as received; omit or '' when there is none. */
  body?: string | Uint8Array
  /** Hex signature from the header (either letter case). */
  signature: string
}

const BLOCK_BYTES = 64
const DIGEST_BYTES = 32

// Node >= 20.12 has the one-shot crypto.hash(): two of them over precomputed padded keys make an HMAC-SHA-256
// without the stream-capable Hmac object createHmac builds per call (RFC 2104: H((K^opad) || H((K^ipad) || m))).
const oneShotHash: ((algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer) | undefined =
  typeof nodeCrypto.hash === 'function'
    ? (nodeCrypto.hash as (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer)
    : undefined

/**
 * A shared secret prepared for HMAC-SHA-256: its key XOR ipad block, and its key XOR opad block followed by room
 * for the inner digest. Make one per secret and keep it as long as the secret (it is as secret as the secret).
 */
export class HmacKey {
  readonly #secret: string
  readonly #inner: Buffer
  /** opad block, then the inner digest of the message being signed (written per call, synchronously). */
  readonly #outer: Buffer

  constructor(secret: string) {
    this.#secret = secret
    let key = Buffer.from(secret, 'utf8')
    if (key.length > BLOCK_BYTES) key = nodeCrypto.createHash('sha256').update(key).digest()
    this.#inner = Buffer.alloc(BLOCK_BYTES, 0x36)
    this.#outer = Buffer.alloc(BLOCK_BYTES + DIGEST_BYTES, 0x5c)
    for (let i = 0; i < key.length; i++) {
      this.#inner[i] = (key[i] ?? 0) ^ 0x36
      this.#outer[i] = (key[i] ?? 0) ^ 0x5c
    }
    key.fill(0)
  }

  get empty(): boolean {
    return this.#secret.length === 0
  }

  /** HMAC-SHA-256 of `message` (a string as its UTF-8 bytes). */
  digest(message: string | Uint8Array): Buffer {
    const hash = oneShotHash
    // A string's UTF-8 form is at most 3 bytes per UTF-16 unit; longer messages go through createHmac (streamed).
    const fits = typeof message === 'string' ? message.length * 3 <= SCRATCH_ROOM : message.length <= SCRATCH_ROOM
    if (hash === undefined || !fits) return nodeCrypto.createHmac('sha256', this.#secret).update(message).digest()
    scratch.set(this.#inner, 0)
    let length: number
    if (typeof message === 'string') {
      length = scratch.write(message, BLOCK_BYTES, 'utf8')
    } else {
      scratch.set(message, BLOCK_BYTES)
      length = message.length
    }
    this.#outer.set(hash('sha256', scratch.subarray(0, BLOCK_BYTES + length), 'buffer'), BLOCK_BYTES)
    return hash('sha256', this.#outer, 'buffer')
  }
}

/** The secret prepared for HMAC-SHA-256 (see HmacKey): what `VerifyV1Input.key` and matchesV2Signature take. */
export function hmacKey(secret: string): HmacKey {
  return new HmacKey(secret)
}

/** Bytes after the ipad block: messages up to this size (a signed request's, nearly always) are hashed in place. */
const SCRATCH_ROOM = 16 * 1024
const scratch = Buffer.alloc(BLOCK_BYTES + SCRATCH_ROOM)

/** The signature's 32 bytes, decoded per call (synchronously, so one buffer serves every call). */
const signatureBytes = Buffer.alloc(DIGEST_BYTES)

/**
 * Decodes a 64-character hex signature (either letter case) into signatureBytes; false for anything else. Node's hex
 * decoder stops at the first character that is not hex, so 32 bytes written from 64 characters means all were hex.
 */
function readSignature(signature: string): boolean {
  return signature.length === 2 * DIGEST_BYTES && signatureBytes.write(signature, 'hex') === DIGEST_BYTES
}

function prepared(key: unknown, secret: string): HmacKey {
  return key instanceof HmacKey ? key : new HmacKey(secret)
}

/** Recomputes the v1 signature and compares the 32 digest bytes in constant time. Never throws on bad input. */
export function verifyV1Signature(input: VerifyV1Input): boolean {
  if (input.secret.length === 0 || !readSignature(input.signature)) return false
  const parts = { method: input.method, path: input.path, timestamp: input.timestamp, nonce: input.nonce }
  const body = input.body
  // A string body is signed as its UTF-8 encoding, which is what digest() writes: the text form saves the copies.
  const message =
    body === undefined || typeof body === 'string'
      ? buildV1Message({ ...parts, body: body ?? '' })
      : buildV1MessageBytes({ ...parts, body })
  return nodeCrypto.timingSafeEqual(prepared(input.key, input.secret).digest(message), signatureBytes)
}

/**
 * Recomputes an HMAC-SHA-256 over a prepared message and compares the 32 bytes in constant time (v2's check).
 * `key`: hmacKey(secret), when the caller keeps one.
 */
export function matchesHmacSha256(secret: string, message: Uint8Array, signature: string, key?: unknown): boolean {
  if (secret.length === 0 || !readSignature(signature)) return false
  return nodeCrypto.timingSafeEqual(prepared(key, secret).digest(message), signatureBytes)
}
