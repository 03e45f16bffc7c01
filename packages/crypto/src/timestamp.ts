// A timestamp check shared by HMAC requests and webhooks. Written so that NaN or Infinity on either side fails
// closed: a plain `Math.abs(a - b) > tolerance` test would let NaN through.

/** True when `timestamp` (epoch seconds) is within `toleranceSeconds` of now, in either direction. */
export function checkTimestamp(timestamp: number, nowSeconds: number, toleranceSeconds = 300): boolean {
  if (!Number.isFinite(timestamp) || !Number.isFinite(nowSeconds)) return false
  return Math.abs(timestamp - nowSeconds) <= toleranceSeconds
}
