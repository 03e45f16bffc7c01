import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { deriveKeyId } from './master-key'
import { sealerFromConfig } from './sealer-config'

describe('sealerFromConfig', () => {
  const oldKey = randomBytes(32)
  const newKey = randomBytes(32)

  it('derives the key id and opens values sealed under a previous key', () => {
    const before = sealerFromConfig({ key: oldKey.toString('base64') })
    if (!before.ok) throw new Error(before.error)
    expect(before.sealer.activeKeyId).toBe(deriveKeyId(oldKey))
    const sealed = before.sealer.seal('gks_secret', 'client-1')

    const after = sealerFromConfig({
      key: newKey.toString('hex'),
      previous: [{ id: before.sealer.activeKeyId, key: oldKey.toString('base64') }],
    })
    if (!after.ok) throw new Error(after.error)
    expect(after.sealer.unseal(sealed, 'client-1')).toEqual({ ok: true, plaintext: 'gks_secret' })
    expect(after.sealer.keyIdOf(after.sealer.seal('x', 'client-1'))).toBe(deriveKeyId(newKey))
  })

  it('names the variable at fault and never echoes the key', () => {
    const bad = sealerFromConfig({ key: 'c2hvcnQ=' })
    expect(bad).toEqual({ ok: false, error: expect.stringMatching(/^GATEKEEPER_MASTER_KEY: must be exactly 32 bytes/) })
    const badPrevious = sealerFromConfig({ key: newKey.toString('base64'), previous: [{ id: 'k0', key: 'nope!' }] })
    expect(badPrevious.ok).toBe(false)
    if (!badPrevious.ok) {
      expect(badPrevious.error).toMatch(/^GATEKEEPER_PREVIOUS_MASTER_KEYS: key 'k0'/)
      expect(badPrevious.error).not.toContain('nope!')
    }
    const badId = sealerFromConfig({ key: newKey.toString('base64'), keyId: 'has space' })
    expect(badId).toEqual({ ok: false, error: expect.stringMatching(/^GATEKEEPER_MASTER_KEY_ID:/) })
  })
})
