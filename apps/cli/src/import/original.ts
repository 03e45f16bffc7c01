import { Client } from 'pg'
import { redactUrl } from '../database'
import { CliError } from '../errors'

// The original (Python) deployment's tables, read as they are (its schema: docs/cli.md, "Migrating from the original system").
// Times there are integer epoch seconds; keys and secrets are plaintext.

export type OriginalRoute = {
  id: string
  pattern: string
  domain: string
  service: string
  methods: unknown
  createdAt: number
  updatedAt: number
}

export type OriginalClient = {
  id: string
  name: string
  apiKey: string | null
  sharedSecret: string | null
  status: string
  createdAt: number
  updatedAt: number
}

export type OriginalPermission = { id: string; clientId: string; routeId: string; methods: string[]; createdAt: number }
export type OriginalRateLimit = { clientId: string; perDay: number; createdAt: number; updatedAt: number }
export type OriginalAdmin = { email: string; aegisUserId: string | null; createdAt: number | null }

export type OriginalData = {
  routes: OriginalRoute[]
  clients: OriginalClient[]
  permissions: OriginalPermission[]
  rateLimits: OriginalRateLimit[]
  admins: OriginalAdmin[]
  /** Optional tables the original database does not have (older versions had no rate limits or admins). */
  missing: string[]
}

const REQUIRED = ['routes', 'clients', 'client_permissions'] as const
const OPTIONAL = ['rate_limits', 'console_admins'] as const

function epoch(value: unknown): number {
  if (value instanceof Date) return Math.floor(value.getTime() / 1000)
  const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : Number.NaN
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null
  return String(value)
}

/** The aegis id column has had a few names; take whichever is there. */
function aegisIdOf(row: Record<string, unknown>): string | null {
  for (const column of ['aegis_user_id', 'aegis_id', 'user_id', 'aegis_uuid']) {
    const value = text(row[column])
    if (value !== null && value.trim() !== '') return value.trim()
  }
  return null
}

/** Reads everything in one read-only REPEATABLE READ transaction: a consistent picture of a live system. */
export async function readOriginal(url: string): Promise<OriginalData> {
  const client = new Client({ connectionString: url, application_name: 'gatekeeper-import' })
  client.on('error', () => undefined)
  try {
    await client.connect()
  } catch (err) {
    throw CliError.unavailable(
      `cannot connect to the original database at ${redactUrl(url)}: ${(err as Error).message}`,
    )
  }
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    const present = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_name = ANY($1)`,
      [[...REQUIRED, ...OPTIONAL]],
    )
    const names = new Set(present.rows.map((r) => r.name))
    const absent = REQUIRED.filter((t) => !names.has(t))
    if (absent.length > 0) {
      throw CliError.usage(
        `--from: not an original gatekeeper database (no ${absent.join(', ')} table${absent.length > 1 ? 's' : ''})`,
      )
    }
    const routes = await client.query(
      'SELECT route_id::text, route_pattern, domain, service_name, methods, created_at, updated_at FROM routes ORDER BY created_at, route_id',
    )
    const clients = await client.query(
      'SELECT client_id::text, client_name, shared_secret, api_key, status, created_at, updated_at FROM clients ORDER BY created_at, client_id',
    )
    const permissions = await client.query(
      'SELECT permission_id::text, client_id::text, route_id::text, allowed_methods, created_at FROM client_permissions ORDER BY created_at, permission_id',
    )
    const rateLimits = names.has('rate_limits')
      ? await client.query(
          'SELECT client_id::text, requests_per_day, created_at, updated_at FROM rate_limits ORDER BY client_id',
        )
      : { rows: [] }
    const admins = names.has('console_admins') ? await client.query('SELECT * FROM console_admins') : { rows: [] }
    await client.query('COMMIT')
    return {
      routes: routes.rows.map((r) => ({
        id: String(r.route_id),
        pattern: String(r.route_pattern),
        domain: String(r.domain),
        service: String(r.service_name),
        methods: r.methods,
        createdAt: epoch(r.created_at),
        updatedAt: epoch(r.updated_at),
      })),
      clients: clients.rows.map((r) => ({
        id: String(r.client_id),
        name: String(r.client_name),
        apiKey: text(r.api_key),
        sharedSecret: text(r.shared_secret),
        status: String(r.status),
        createdAt: epoch(r.created_at),
        updatedAt: epoch(r.updated_at),
      })),
      permissions: permissions.rows.map((r) => ({
        id: String(r.permission_id),
        clientId: String(r.client_id),
        routeId: String(r.route_id),
        methods: Array.isArray(r.allowed_methods) ? r.allowed_methods.map(String) : [],
        createdAt: epoch(r.created_at),
      })),
      rateLimits: rateLimits.rows.map((r) => ({
        clientId: String(r.client_id),
        perDay: Number(r.requests_per_day),
        createdAt: epoch(r.created_at),
        updatedAt: epoch(r.updated_at),
      })),
      admins: admins.rows.map((r: Record<string, unknown>) => ({
        email: String(r.email ?? ''),
        aegisUserId: aegisIdOf(r),
        createdAt: r.created_at === undefined || r.created_at === null ? null : epoch(r.created_at),
      })),
      missing: OPTIONAL.filter((t) => !names.has(t)),
    }
  } finally {
    await client.end().catch(() => undefined)
  }
}
