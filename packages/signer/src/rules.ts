// Shape rules for the values that travel in an `HMAC ...` Authorization header. The signer enforces them so it never
// emits a header the verifier would refuse; the verifier's parser imports the same rules so the two cannot drift.

/** Longest client id accepted in a header. */
export const MAX_CLIENT_ID_LENGTH = 128

/** Nonces are random tokens (a UUID by default): 8..128 characters of [A-Za-z0-9_-]. */
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{8,128}$/

/**
 * Epoch seconds as the header carries them: plain decimal, no sign, no exponent, no leading zero, at most 12 digits.
 * Leading zeros are refused because the signature covers the timestamp text: "017…" and "17…" are the same number
 * but different messages, and the verifier rebuilds the message from the number.
 */
export const TIMESTAMP_PATTERN = /^(?:0|[1-9][0-9]{0,11})$/

/** True if the text holds a C0 control character, DEL or a C1 control character. */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true
  }
  return false
}

// Characters that would break the header's quoting.
const CLIENT_ID_UNQUOTABLE = /[",\\]/

export function isValidClientId(clientId: string): boolean {
  return (
    clientId.length > 0 &&
    clientId.length <= MAX_CLIENT_ID_LENGTH &&
    !hasControlCharacter(clientId) &&
    !CLIENT_ID_UNQUOTABLE.test(clientId)
  )
}

export function isValidNonce(nonce: string): boolean {
  return NONCE_PATTERN.test(nonce)
}

export function isValidTimestamp(timestamp: number): boolean {
  return Number.isSafeInteger(timestamp) && TIMESTAMP_PATTERN.test(String(timestamp))
}

/** An HTTP method is a token (RFC 9110 section 5.6.2); v2 signs it upper-cased. */
export const METHOD_PATTERN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,32}$/

export function isValidMethod(method: string): boolean {
  return METHOD_PATTERN.test(method)
}
