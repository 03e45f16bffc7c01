import { createHash, timingSafeEqual } from 'node:crypto'

function sha256(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest()
}

/**
 * Constant-time equality for secrets. Both sides are hashed first, so the comparison always runs over 32 bytes and
 * neither the length nor the position of the first difference leaks. Strings are compared as UTF-8.
 */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  return timingSafeEqual(sha256(a), sha256(b))
}
