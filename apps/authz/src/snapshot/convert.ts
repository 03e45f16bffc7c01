// Database rows (as @gatekeeper/db reads them) to engine inputs. The only non-trivial step is opening sealed
// HMAC secrets: a secret that does not open (wrong master key, tampered value, copied to another client) is
// left out and reported, never fatal, so one bad row cannot keep authz from starting or from updating.

import type { Sealer } from '@gatekeeper/crypto'
import type { CredentialRow, RouteRow } from '@gatekeeper/db'
import type { CredentialInput, RouteInput, RouteMethodInput } from '@gatekeeper/engine'

export type Unsealer = Pick<Sealer, 'unseal'>

export type CredentialConversion = { ok: true; credential: CredentialInput } | { ok: false; reason: string }

export function toRouteInput(row: RouteRow): RouteInput {
  const methods: Record<string, RouteMethodInput> = {}
  for (const [name, rule] of Object.entries(row.methods)) {
    if (rule !== undefined) methods[name] = rule
  }
  return {
    id: row.id,
    routePattern: row.routePattern,
    domain: row.domain,
    serviceName: row.serviceName,
    methods,
    metadataHeader: row.metadataHeader,
  }
}

export function toCredentialInput(row: CredentialRow, sealer: Unsealer): CredentialConversion {
  let secret: string | null = null
  if (row.kind === 'shared_secret') {
    if (row.secretSealed === null) return { ok: false, reason: 'no_sealed_secret' }
    // The client id is the additional authenticated data: a sealed value copied to another client won't open.
    const opened = sealer.unseal(row.secretSealed, row.clientId)
    if (!opened.ok) return { ok: false, reason: `unseal_${opened.reason}` }
    secret = opened.plaintext
  }
  return {
    ok: true,
    credential: {
      id: row.id,
      clientId: row.clientId,
      kind: row.kind,
      apiKeyDigest: row.apiKeyDigest,
      secret,
      legacy: row.legacy,
      expiresAt: row.expiresAt,
      validUntil: row.validUntil,
      ipAllowlist: row.ipAllowlist,
    },
  }
}

export interface SkippedCredential {
  id: string
  clientId: string
  reason: string
}
