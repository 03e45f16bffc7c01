import { describe, expect, it } from 'vitest'
import { clientFixture } from '../../../test/fixtures'
import { credentialRows } from './credential-rows'

const credential = (id: string, kind: 'api_key' | 'shared_secret', state: 'current' | 'previous', created: number) => ({
  credential_id: id,
  kind,
  prefix: kind === 'api_key' ? `gk_${id}` : null,
  created_at: created,
  expires_at: null,
  last_used_at: null,
  ip_allowlist: null,
  state,
})

describe('credentialRows', () => {
  it('orders records current first, API keys before secrets, newest first', () => {
    const client = {
      ...clientFixture(),
      credentials: [
        credential('old', 'api_key', 'previous', 100),
        credential('sec', 'shared_secret', 'current', 300),
        credential('new', 'api_key', 'current', 200),
        credential('sec0', 'shared_secret', 'previous', 50),
      ],
    }
    const { source, rows } = credentialRows(client)
    expect(source).toBe('credentials')
    expect(rows.map((row) => row.credentialId)).toEqual(['new', 'sec', 'old', 'sec0'])
    expect(rows[0]).toMatchObject({ prefix: 'gk_new', lastUsedAt: null, ipAllowlist: null })
  })

  it('without records, makes one row per kind the client has from its summary fields', () => {
    const both = credentialRows(
      clientFixture({ api_key_masked: 'gk_AbCd…wxyz', has_shared_secret: true, shared_secret_expires_at: 1234 }),
    )
    expect(both.source).toBe('summary')
    expect(both.rows).toEqual([
      expect.objectContaining({ kind: 'api_key', credentialId: null, prefix: 'gk_AbCd…wxyz', expiresAt: null }),
      expect.objectContaining({ kind: 'shared_secret', credentialId: null, prefix: null, expiresAt: 1234 }),
    ])
    // Not tracked is not "never": the page tells the two apart.
    expect(both.rows[0]?.lastUsedAt).toBeUndefined()
    expect(credentialRows(clientFixture({ api_key_masked: null, has_shared_secret: false })).rows).toEqual([])
  })
})
