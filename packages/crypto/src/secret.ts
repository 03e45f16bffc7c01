import { randomBytes } from 'node:crypto'

export const SHARED_SECRET_PREFIX = 'gks_'

/** A new HMAC shared secret: `gks_` + base64url of 32 random bytes, unpadded (47 chars). */
export function generateSharedSecret(): string {
  return SHARED_SECRET_PREFIX + randomBytes(32).toString('base64url')
}
