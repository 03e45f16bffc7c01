import { type ConfigSource, rowQuery } from './read-session'

// What authz writes about use, off the request path and in batches: when each credential was last accepted and
// how many decisions each client got per hour. Both writes are one statement per flush, whatever the batch
// size (arrays through unnest), and both are safe from many replicas at once: last_used_at only moves forward,
// and usage rows are additive (each replica adds what it counted since its last flush).

export type UsageOutcome = 'allowed' | 'refused' | 'rate_limited'

export type UsageCount = {
  clientId: string
  /** Epoch seconds of the hour's start. */
  hour: number
  outcome: UsageOutcome
  /** The refusal reason; '' for allowed and rate_limited. */
  reason: string
  n: number
}

export type LastUsed = { credentialId: string; atMs: number }

/** Adds the counts to client_usage (`n = n + excluded.n` on conflict), in one statement. */
export async function writeUsage(source: ConfigSource, counts: readonly UsageCount[]): Promise<void> {
  if (counts.length === 0) return
  await rowQuery(source)(
    `INSERT INTO client_usage (client_id, hour, outcome, reason, n)
     SELECT c, to_timestamp(h), o, r, n FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::bigint[])
       AS v(c, h, o, r, n)
     ON CONFLICT (client_id, hour, outcome, reason) DO UPDATE SET n = client_usage.n + excluded.n`,
    [
      counts.map((c) => c.clientId),
      counts.map((c) => c.hour),
      counts.map((c) => c.outcome),
      counts.map((c) => c.reason),
      counts.map((c) => c.n),
    ],
  )
}

/**
 * Moves client_credentials.last_used_at forward to the given times, in one UPDATE (rows of credentials deleted
 * meanwhile are skipped). Such an update announces no config change (the trigger ignores this column).
 */
export async function writeLastUsed(source: ConfigSource, entries: readonly LastUsed[]): Promise<void> {
  if (entries.length === 0) return
  await rowQuery(source)(
    `UPDATE client_credentials c SET last_used_at = v.t
     FROM unnest($1::uuid[], $2::double precision[]) AS u(id, ms), LATERAL (SELECT to_timestamp(u.ms / 1000.0) AS t) v
     WHERE c.id = u.id AND (c.last_used_at IS NULL OR c.last_used_at < v.t)`,
    [entries.map((e) => e.credentialId), entries.map((e) => e.atMs)],
  )
}

/** Deletes usage hours older than `retentionDays`, and rows of clients that no longer exist. Returns how many. */
export async function pruneUsage(source: ConfigSource, retentionDays: number): Promise<number> {
  const rows = await rowQuery(source)(
    `WITH gone AS (
       DELETE FROM client_usage
       WHERE hour < now() - make_interval(days => $1::int) OR client_id NOT IN (SELECT id FROM clients)
       RETURNING 1)
     SELECT count(*) FROM gone`,
    [retentionDays],
  )
  return Number(rows[0]?.[0] ?? 0)
}
