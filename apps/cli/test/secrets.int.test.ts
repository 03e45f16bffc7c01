import { randomBytes } from 'node:crypto'
import { createSealer, deriveKeyId } from '@gatekeeper/crypto'
import type { ClientCreatedWire } from '@gatekeeper/models'
import { createTestDatabase, type TestDatabase } from '@gatekeeper/testkit/postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliEnv, cliJson, expectOneLineError, runCli } from './support/cli'
import { query } from './support/sql'

let db: TestDatabase

beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(async () => {
  await db?.drop()
})

describe('secrets reseal', () => {
  it('moves every shared secret to the new master key, which alone then opens it', async () => {
    const oldKey = randomBytes(32)
    const newKey = randomBytes(32)
    const oldEnv = cliEnv(db.url, { GATEKEEPER_MASTER_KEY: oldKey.toString('base64') })
    const created = await cliJson<ClientCreatedWire>(
      ['client', 'create', '--name', 'Signer', '--shared-secret'],
      oldEnv,
    )
    const secret = created.shared_secret ?? ''

    const newOnly = cliEnv(db.url, { GATEKEEPER_MASTER_KEY: newKey.toString('base64') })
    const refused = await runCli(['secrets', 'reseal'], newOnly)
    expect(refused.code).not.toBe(0)
    expect(expectOneLineError(refused)).toMatch(/GATEKEEPER_PREVIOUS_MASTER_KEYS/)

    const rotated = cliEnv(db.url, {
      GATEKEEPER_MASTER_KEY: newKey.toString('base64'),
      GATEKEEPER_PREVIOUS_MASTER_KEYS: `${deriveKeyId(oldKey)}:${oldKey.toString('base64')}`,
    })
    expect(await cliJson(['secrets', 'reseal', '--json'], rotated)).toEqual({
      resealed: 1,
      active_key_id: deriveKeyId(newKey),
    })
    expect(await cliJson(['secrets', 'reseal', '--json'], rotated)).toMatchObject({ resealed: 0 })

    const [row] = await query<{ secret_sealed: string; secret_key_id: string }>(
      db.url,
      `select secret_sealed, secret_key_id from client_credentials where client_id = $1 and kind = 'shared_secret'`,
      [created.client_id],
    )
    expect(row?.secret_key_id).toBe(deriveKeyId(newKey))
    const onlyNew = createSealer({ active: { id: deriveKeyId(newKey), key: newKey } })
    expect(onlyNew.unseal(row?.secret_sealed ?? '', created.client_id)).toEqual({ ok: true, plaintext: secret })
  })
})

describe('without a master key', () => {
  it('a command that seals a secret says where the key was looked for and what to set; nothing is created', async () => {
    const env = cliEnv(db.url)
    delete env.GATEKEEPER_MASTER_KEY
    const keyFile = `${env.GATEKEEPER_DATA_DIR}/master.key`
    const result = await runCli(['client', 'create', '--name', 'No key', '--shared-secret'], env)
    expect(result.code).toBe(2)
    expect(expectOneLineError(result)).toBe(
      `gatekeeper: GATEKEEPER_MASTER_KEY is not set and there is no ${keyFile} (the development key \`gatekeeper start\` writes): set GATEKEEPER_MASTER_KEY to the master key authz uses (32 bytes, base64 or hex), or run this from the folder \`gatekeeper start\` runs in`,
    )
    const names = (await cliJson<Array<{ client_name: string }>>(['client', 'list'], env)).map((c) => c.client_name)
    expect(names).not.toContain('No key')
  })
})
