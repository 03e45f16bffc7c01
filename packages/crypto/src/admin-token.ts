import { checksummedTokenFormat } from './checksummed-token'

/** Admin API tokens: bearer credentials for `/api/admin/*` that console-api checks itself (never Aegis). */
export const ADMIN_TOKEN_PREFIX = 'gka_'
/** One-time local sign-in links printed by `gatekeeper start`; exchanged once for a short-lived admin token. */
export const SIGN_IN_CODE_PREFIX = 'gkl_'

const adminTokenFormat = checksummedTokenFormat(ADMIN_TOKEN_PREFIX)
const signInCodeFormat = checksummedTokenFormat(SIGN_IN_CODE_PREFIX)

export type ParsedSecret = { ok: true } | { ok: false; reason: 'malformed' | 'bad_checksum' }

function parseWith(format: typeof adminTokenFormat, raw: string): ParsedSecret {
  const verdict = format.check(raw)
  return verdict === 'ok' ? { ok: true } : { ok: false, reason: verdict }
}

/** `gka_` + 43 base62 digits of 256 random bits + a 6-digit CRC-32 checksum (53 chars). */
export function generateAdminToken(): string {
  return adminTokenFormat.generate()
}

/** True when a bearer value claims to be one of ours: such a value is checked here and never sent to Aegis. */
export function isAdminTokenLike(raw: string): boolean {
  return raw.startsWith(ADMIN_TOKEN_PREFIX)
}

/** Shape and checksum of a presented admin token, before any lookup. */
export function parseAdminToken(raw: string): ParsedSecret {
  return parseWith(adminTokenFormat, raw)
}

export function generateSignInCode(): string {
  return signInCodeFormat.generate()
}

export function parseSignInCode(raw: string): ParsedSecret {
  return parseWith(signInCodeFormat, raw)
}
