import { deriveKeyId, parseMasterKey } from './master-key'
import { createSealer, type Sealer, type SealerKey } from './sealer'

export type MasterKeyConfig = {
  /** GATEKEEPER_MASTER_KEY */
  key: string
  /** GATEKEEPER_MASTER_KEY_ID; derived from the key when absent */
  keyId?: string | undefined
  /** GATEKEEPER_PREVIOUS_MASTER_KEYS, already split into id:key pairs */
  previous?: ReadonlyArray<{ id: string; key: string }> | undefined
}

/**
 * Builds the sealer every app uses from its master-key settings. Failures name the variable at
 * fault and never include key material, so the message can go straight to the operator.
 */
export function sealerFromConfig(config: MasterKeyConfig): { ok: true; sealer: Sealer } | { ok: false; error: string } {
  const active = parseMasterKey(config.key)
  if (!active.ok) return { ok: false, error: `GATEKEEPER_MASTER_KEY: ${describe(active.reason)}` }
  const previous: SealerKey[] = []
  for (const entry of config.previous ?? []) {
    const parsed = parseMasterKey(entry.key)
    if (!parsed.ok) {
      return { ok: false, error: `GATEKEEPER_PREVIOUS_MASTER_KEYS: key '${entry.id}' ${describe(parsed.reason)}` }
    }
    previous.push({ id: entry.id, key: parsed.key })
  }
  try {
    const sealer = createSealer({ active: { id: config.keyId ?? deriveKeyId(active.key), key: active.key }, previous })
    return { ok: true, sealer }
  } catch (err) {
    return { ok: false, error: `GATEKEEPER_MASTER_KEY_ID: ${(err as Error).message}` }
  }
}

function describe(reason: string): string {
  switch (reason) {
    case 'not_32_bytes':
      return 'must be exactly 32 bytes (base64, base64url or 64 hex characters; `openssl rand -base64 32`)'
    case 'weak_key':
      return 'is not random (one repeated byte)'
    case 'empty':
      return 'is empty'
    default:
      return 'is not valid base64, base64url or hex'
  }
}
