import { createHmac, timingSafeEqual } from 'node:crypto'
import { checkTimestamp } from './timestamp'

export type AegisWebhookFailure =
  | 'missing_secret'
  | 'missing_signature'
  | 'missing_timestamp'
  | 'malformed_signature'
  | 'malformed_timestamp'
  | 'stale_timestamp'
  | 'bad_signature'

export type VerifyAegisWebhookInput = {
  /** AEGIS_WEBHOOK_SECRET; unset or empty rejects every webhook. */
  secret: string | null | undefined
  /** `X-Aegis-Signature`: `sha256=<hex>`. */
  signatureHeader: string | null | undefined
  /** `X-Aegis-Timestamp`: epoch seconds. */
  timestampHeader: string | null | undefined
  /** The body exactly as received; never a re-serialisation. */
  rawBody: string | Uint8Array
  nowSeconds: number
  toleranceSeconds?: number
}

export type AegisWebhookVerification = { ok: true; timestamp: number } | { ok: false; reason: AegisWebhookFailure }

const SIGNATURE_HEADER = /^sha256=([0-9a-fA-F]{64})$/i
const TIMESTAMP_HEADER = /^(?:0|[1-9][0-9]{0,11})$/

function webhookDigest(secret: string, timestamp: string, rawBody: string | Uint8Array): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(rawBody).digest()
}

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`, the X-Aegis-Signature value Aegis sends. */
export function signAegisWebhook(input: {
  secret: string
  timestamp: number | string
  rawBody: string | Uint8Array
}): string {
  return `sha256=${webhookDigest(input.secret, String(input.timestamp), input.rawBody).toString('hex')}`
}

/**
 * Checks an Aegis webhook. The signature is checked before the timestamp's age, so `stale_timestamp` means an
 * authentic delivery that arrived too late or too early (clock skew), never a forgery.
 */
export function verifyAegisWebhook(input: VerifyAegisWebhookInput): AegisWebhookVerification {
  const { secret, signatureHeader, timestampHeader } = input
  if (secret === null || secret === undefined || secret.length === 0) return { ok: false, reason: 'missing_secret' }
  if (signatureHeader === null || signatureHeader === undefined || signatureHeader.length === 0) {
    return { ok: false, reason: 'missing_signature' }
  }
  if (timestampHeader === null || timestampHeader === undefined || timestampHeader.length === 0) {
    return { ok: false, reason: 'missing_timestamp' }
  }
  const signature = SIGNATURE_HEADER.exec(signatureHeader)?.[1]
  if (signature === undefined) return { ok: false, reason: 'malformed_signature' }
  if (!TIMESTAMP_HEADER.test(timestampHeader)) return { ok: false, reason: 'malformed_timestamp' }

  const expected = webhookDigest(secret, timestampHeader, input.rawBody)
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return { ok: false, reason: 'bad_signature' }

  const timestamp = Number(timestampHeader)
  if (!checkTimestamp(timestamp, input.nowSeconds, input.toleranceSeconds))
    return { ok: false, reason: 'stale_timestamp' }
  return { ok: true, timestamp }
}
