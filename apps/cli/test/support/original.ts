import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type TestDatabase, useTestDatabase } from '@gatekeeper/testkit/postgres'
import { beforeAll } from 'vitest'
import { query } from './sql'

const DDL = readFileSync(fileURLToPath(new URL('../fixtures/original-schema.sql', import.meta.url)), 'utf8')

/** Fixed sample data of an original deployment, ids as its users know them. */
export const ORIGINAL = {
  routes: {
    public: '11111111-1111-4111-8111-111111111111',
    items: '22222222-2222-4222-8222-222222222222',
    broken: '33333333-3333-4333-8333-333333333333',
  },
  clients: {
    both: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
    keyOnly: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
    secretOnly: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc',
    gkLookalike: 'dddddddd-dddd-4ddd-8ddd-dddddddddddd',
  },
  permissions: {
    bothItems: '44444444-4444-4444-8444-444444444444',
    keyOnlyPublic: '55555555-5555-4555-8555-555555555555',
    bothBroken: '66666666-6666-4666-8666-666666666666',
    secretOnlyItems: '77777777-7777-4777-8777-777777777777',
  },
  keys: {
    both: 'Lk9xT2mQ7rV4wZ8pB3nC6yD1',
    keyOnly: 'legacy-key-for-key-only-client-0042',
    gkLookalike: 'gk_notreallyagatekeeperkey_0000000000000000000000000',
  },
  secrets: {
    both: 'original-shared-secret-for-both-9f8e7d',
    secretOnly: 'another plain secret with spaces 123',
    gkLookalike: 'lookalike-secret-000000000000',
  },
  createdAt: 1_600_000_000,
} as const

export const ALL_PLAINTEXT = [...Object.values(ORIGINAL.keys), ...Object.values(ORIGINAL.secrets)]

const rule = (authType: 'api_key' | 'hmac' | null) => ({ auth_required: authType !== null, auth_type: authType })

/** A database in the original's schema with the sample rows, for the whole file (filled in once beforeAll has run). */
export function useOriginalDatabase(): TestDatabase {
  const db = useTestDatabase({ migrate: false })
  beforeAll(() => fillOriginal(db.url))
  return db
}

async function fillOriginal(url: string): Promise<void> {
  const { routes, clients, permissions, keys, secrets, createdAt: t } = ORIGINAL
  await query(url, DDL)
  const insert = (text: string, params: unknown[]) => query(url, text, params)
  const route = 'INSERT INTO routes VALUES ($1, $2, $3, $4, $5, $6, $6)'
  await insert(route, [routes.public, '/api/public', '*', 'public-svc', JSON.stringify({ GET: rule(null) }), t])
  await insert(route, [
    routes.items,
    '/api/items/*',
    'api.example.com',
    'items-svc',
    JSON.stringify({ GET: rule('api_key'), POST: rule('hmac') }),
    t + 1,
  ])
  // A pattern our validation refuses: reported and skipped, with the permission that needs it.
  await insert(route, [routes.broken, '/api/bro ken', '*', 'broken-svc', JSON.stringify({ GET: rule(null) }), t + 2])
  const client = 'INSERT INTO clients VALUES ($1, $2, $3, $4, $5, $6, $6)'
  await insert(client, [clients.both, 'Both credentials', secrets.both, keys.both, 'active', t])
  await insert(client, [clients.keyOnly, 'Key only', null, keys.keyOnly, 'suspended', t + 1])
  await insert(client, [clients.secretOnly, 'Secret only', secrets.secretOnly, null, 'active', t + 2])
  await insert(client, [clients.gkLookalike, 'Lookalike key', secrets.gkLookalike, keys.gkLookalike, 'active', t + 3])
  const permission = 'INSERT INTO client_permissions VALUES ($1, $2, $3, $4, $5)'
  await insert(permission, [permissions.bothItems, clients.both, routes.items, ['GET', 'POST'], t])
  await insert(permission, [permissions.keyOnlyPublic, clients.keyOnly, routes.public, ['GET'], t])
  await insert(permission, [permissions.bothBroken, clients.both, routes.broken, ['GET'], t])
  await insert(permission, [permissions.secretOnlyItems, clients.secretOnly, routes.items, ['POST'], t])
  await insert('INSERT INTO rate_limits VALUES ($1, $2, $3, $3)', [clients.both, 5000, t])
  await insert('INSERT INTO console_admins (aegis_user_id, email, created_at) VALUES ($1, $2, $3), ($4, $5, $3)', [
    'aegis-user-1',
    'Ops@Example.com',
    t,
    null,
    'second@example.com',
  ])
}
