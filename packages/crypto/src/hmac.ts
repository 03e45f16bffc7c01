import { createHmac, timingSafeEqual } from 'node:crypto'
import { buildV1MessageBytes } from '@gatekeeper/signer'

const SIGNATURE_HEX = /^[0-9a-fA-F]{64}$/

export type VerifyV1Input = {
  secret: string
  method: string
  path: string
  timestamp: number
  nonce: string
  /** Raw body exactly as received; omit or '' when there is none. */
  body?: string | Uint8Array
  /** Hex signature from the header (either letter case). */
  signature: string
}

/** Recomputes the v1 signature and compares the 32 digest bytes in constant time. Never throws on bad input. */
export function verifyV1Signature(input: VerifyV1Input): boolean {
  if (input.secret.length === 0 || !SIGNATURE_HEX.test(input.signature)) return false
  const message = buildV1MessageBytes({
    method: input.method,
    path: input.path,
    timestamp: input.timestamp,
    nonce: input.nonce,
    body: input.body,
  })
  const expected = createHmac('sha256', input.secret).update(message).digest()
  return timingSafeEqual(expected, Buffer.from(input.signature, 'hex'))
}
