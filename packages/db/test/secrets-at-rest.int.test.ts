import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import {
  apiKeyDisplayParts,
  createSealer,
  deriveKeyId,
  digestApiKey,
  generateApiKey,
  generateSharedSecret,
} from '@gatekeeper/crypto'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { clientCredentials, clients } from '../src/schema'
import { clientFixture } from './fixtures'
import { useDb } from './use-db'

const run = promisify(execFile)

const { testDb, handle } = useDb()

/** The ways a leaked value could show up in a dump: as is, and in the encodings people reach for. */
function encodings(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8')
  return [value, bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')]
}

describe('secrets at rest', () => {
  it('store an API key only as its digest and a shared secret only sealed', async () => {
    const masterKey = randomBytes(32)
    const sealer = createSealer({ active: { id: deriveKeyId(masterKey), key: masterKey } })
    const apiKey = generateApiKey()
    const secret = generateSharedSecret()
    const digest = digestApiKey(apiKey)

    const clientId = await handle.db.transaction(async (tx) => {
      const [client] = await tx.insert(clients).values(clientFixture()).returning()
      if (client === undefined) throw new Error('no client')
      const { prefix, last4 } = apiKeyDisplayParts(apiKey)
      await tx.insert(clientCredentials).values([
        { clientId: client.id, kind: 'api_key', apiKeyDigest: digest, apiKeyPrefix: prefix, apiKeyLast4: last4 },
        {
          clientId: client.id,
          kind: 'shared_secret',
          secretSealed: sealer.seal(secret, client.id),
          secretKeyId: sealer.activeKeyId,
        },
      ])
      return client.id
    })

    // The sealed secret still opens (so the test stored something real), bound to its client.
    const [stored] = await handle.db
      .select()
      .from(clientCredentials)
      .where(eq(clientCredentials.kind, 'shared_secret'))
      .limit(1)
    expect(sealer.unseal(stored?.secretSealed ?? '', clientId)).toEqual({ ok: true, plaintext: secret })

    const { stdout: dump } = await run('pg_dump', ['--no-owner', testDb.url], { maxBuffer: 64 * 1024 * 1024 })
    expect(dump).toContain(digest)
    expect(dump).toContain(stored?.secretSealed)

    // The secret's 32 random bytes (base64url after `gks_`) in any encoding, and the key's body without its prefix.
    const secretBytes = Buffer.from(secret.slice('gks_'.length), 'base64url')
    const leaks = [
      ...encodings(apiKey),
      apiKey.slice('gk_'.length),
      ...encodings(secret),
      secret.slice('gks_'.length),
      secretBytes.toString('hex'),
      secretBytes.toString('base64'),
      masterKey.toString('hex'),
      masterKey.toString('base64'),
    ]
    for (const leak of leaks) expect(dump.includes(leak), `dump contains ${leak.slice(0, 6)}…`).toBe(false)
  })
})
