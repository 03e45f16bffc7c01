// A snapshot compiled as it streams in (streamSnapshot in @gatekeeper/db): each batch of rows is converted (routes'
// methods, sealed secrets opened) and upserted into a fresh EngineState, then dropped. The rows of the whole
// configuration are never held at once, so a full load peaks near the size of the state it builds (the target:
// 10k routes, 100k clients, 200k grants in under 400 MB), which also matters for a reload next to the old state.

import type { SnapshotSink } from '@gatekeeper/db'
import { EngineState, type SnapshotIssue } from '@gatekeeper/engine'
import { type SkippedCredential, toCredentialInput, toRouteInput, type Unsealer } from './convert'

export interface SnapshotBuilder {
  sink: SnapshotSink
  /** The state once every table has streamed in, with what had to be left out. */
  finish(): { state: EngineState; skipped: SkippedCredential[]; issues: SnapshotIssue[] }
}

export function createSnapshotBuilder(sealer: Unsealer): SnapshotBuilder {
  const state = new EngineState()
  const skipped: SkippedCredential[] = []
  const issues: SnapshotIssue[] = []

  const sink: SnapshotSink = {
    version: () => undefined,
    routes(rows) {
      for (const row of rows) {
        const r = state.upsertRoute(toRouteInput(row))
        if (!r.ok) issues.push({ table: 'routes', id: row.id, reason: r.reason })
      }
    },
    clients(rows) {
      for (const row of rows) state.upsertClient(row)
    },
    client_credentials(rows) {
      for (const row of rows) {
        const converted = toCredentialInput(row, sealer)
        if (!converted.ok) {
          skipped.push({ id: row.id, clientId: row.clientId, reason: converted.reason })
          continue
        }
        const r = state.upsertCredential(converted.credential)
        if (!r.ok) issues.push({ table: 'credentials', id: row.id, reason: r.reason })
      }
    },
    client_permissions(rows) {
      for (const row of rows) state.upsertPermission(row)
    },
    rate_limits(rows) {
      for (const row of rows) state.upsertRateLimit(row)
    },
  }
  return { sink, finish: () => ({ state, skipped, issues }) }
}
