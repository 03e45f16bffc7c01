import { randomUUID } from 'node:crypto'
import { generateSharedSecret, type Sealer } from '@gatekeeper/crypto'
import type { Pool } from 'pg'

// Bulk configuration for the scale runs, written straight into a fresh database in one transaction with the
// change triggers off (they would fire a NOTIFY per row; nothing is listening yet): R routes over a few
// domains, C clients each with an API key, a daily rate limit and two grants, every other one with a real
// sealed shared secret (so the snapshot load pays for unsealing, as it would in production).

export interface BulkSize {
  routes: number
  clients: number
}

const TABLES = ['routes', 'clients', 'client_credentials', 'client_permissions', 'rate_limits']

export async function seedBulk(pool: Pool, sealer: Sealer, size: BulkSize): Promise<void> {
  if (size.routes < 2) throw new Error('seedBulk: at least 2 routes (each client gets two different grants)')
  const ids: string[] = []
  const names: string[] = []
  for (let i = 0; i < size.clients; i++) {
    ids.push(randomUUID())
    names.push(`bulk-${i}`)
  }
  const secretClients: string[] = []
  const sealed: string[] = []
  for (let i = 0; i < ids.length; i += 2) {
    const id = ids[i] ?? ''
    secretClients.push(id)
    sealed.push(sealer.seal(generateSharedSecret(), id))
  }
  const db = await pool.connect()
  try {
    await db.query('BEGIN')
    for (const table of TABLES) await db.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`)
    // Half the routes on the benchmark's own host, a quarter on '*', a quarter on other hosts; prefix and
    // exact patterns alternate.
    await db.query(
      `INSERT INTO routes (route_pattern, domain, service_name, methods)
       SELECT CASE WHEN g % 2 = 0 THEN '/svc-' || g || '/*' ELSE '/svc-' || g || '/status' END,
              CASE g % 4 WHEN 0 THEN 'api.example.com' WHEN 1 THEN 'api.example.com' WHEN 2 THEN '*'
                         ELSE 'tenant-' || (g % 50) || '.example.com' END,
              'svc-' || g,
              '{"GET": {"auth_required": true, "auth_type": "api_key"}, "POST": {"auth_required": true, "auth_type": "hmac"}}'
       FROM generate_series(1, $1::int) g`,
      [size.routes],
    )
    await db.query('INSERT INTO clients (id, client_name) SELECT * FROM unnest($1::uuid[], $2::text[])', [ids, names])
    await db.query(
      `INSERT INTO client_credentials (client_id, kind, api_key_digest, api_key_prefix, api_key_last4)
       SELECT id, 'api_key', encode(sha256(convert_to('bulk-key-' || id::text, 'UTF8')), 'hex'), 'bulk', right(id::text, 4)
       FROM unnest($1::uuid[]) id`,
      [ids],
    )
    await db.query(
      `INSERT INTO client_credentials (client_id, kind, secret_sealed, secret_key_id)
       SELECT id, 'shared_secret', sealed, $3 FROM unnest($1::uuid[], $2::text[]) AS s(id, sealed)`,
      [secretClients, sealed, sealer.activeKeyId],
    )
    await db.query(
      'INSERT INTO rate_limits (client_id, requests_per_day) SELECT id, 10000 FROM unnest($1::uuid[]) id',
      [ids],
    )
    await db.query(
      `WITH r AS (SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS n FROM routes),
            c AS (SELECT id, (ordinality - 1)::int AS n FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, ordinality))
       INSERT INTO client_permissions (client_id, route_id, allowed_methods)
       SELECT c.id, r.id, ARRAY['GET', 'POST'] FROM c JOIN r ON r.n = c.n % $2::int
       UNION ALL
       SELECT c.id, r.id, ARRAY['GET'] FROM c JOIN r ON r.n = (c.n + $2::int / 2) % $2::int`,
      [ids, size.routes],
    )
    for (const table of TABLES) await db.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`)
    await db.query('UPDATE config_state SET version = version + 1 WHERE id = 1')
    await db.query('COMMIT')
    await db.query('ANALYZE')
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined)
    throw err
  } finally {
    db.release()
  }
}
