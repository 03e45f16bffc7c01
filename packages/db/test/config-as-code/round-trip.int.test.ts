// Property, on real Postgres: for random valid documents, apply on an empty database and export gives the same
// document back (normalised: canonical order, and the credentials apply generated instead of listed ids), the
// export is byte-stable, and the exported file plans no change (diff exits 0) and applies as a no-op.

import type { ConfigDocument } from '@gatekeeper/models'
import { sql } from 'drizzle-orm'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyConfig, readPlannedState } from '../../src/config-as-code/apply'
import { credentialLifecycleArb, documentArb } from '../../src/config-as-code/arbitraries'
import { canonicalDocument } from '../../src/config-as-code/canonical'
import { readLiveConfig } from '../../src/config-as-code/live'
import { planConfig } from '../../src/config-as-code/plan'
import { serializeConfig } from '../../src/config-as-code/serialize'
import { parseConfigText } from '../../src/config-as-code/validate'
import { useAdminTestContext } from '../admin-support'

const actor = { actor: 'property@example.com', actorType: 'cli' as const }
const t = useAdminTestContext()

/** Back to an empty configuration (TRUNCATE fires no row trigger, so it sends nothing either). */
async function empty(): Promise<void> {
  await t.handle.db.execute(
    sql`TRUNCATE routes, clients, client_credentials, client_permissions, rate_limits, console_admins, admin_audit_log, config_change_sets`,
  )
}

/**
 * What apply cannot keep: a new client gets fresh credentials, one per kind, whatever ids the file listed
 * (and no prefix to review); each keeps the lifecycle the file gave it.
 */
function normalised(doc: ConfigDocument): ConfigDocument {
  const canonical = canonicalDocument(doc)
  return {
    ...canonical,
    clients: canonical.clients.map((c) => ({
      ...c,
      credentials: c.credentials.map(({ id: _id, prefix: _prefix, ...rest }) => rest),
    })),
  }
}

function parsed(text: string): ConfigDocument {
  const result = parseConfigText(text)
  if (!result.ok) throw new Error(`export does not read back: ${JSON.stringify(result.problems)}`)
  return result.document
}

describe('apply then export (property)', () => {
  it('gives the document back, and the export diffs and applies as no change', async () => {
    let runs = 0
    const started = performance.now()
    await fc.assert(
      fc.asyncProperty(
        documentArb,
        fc.constantFrom('yaml' as const, 'json' as const),
        fc.array(fc.record(credentialLifecycleArb), { minLength: 1, maxLength: 6 }),
        async (desired, format, lifecycles) => {
          runs++
          await empty()
          const applied = await applyConfig(t.handle.db, desired, { actor, sealer: t.sealer, prune: true })
          const hasChanges = applied.plan.changes.length > 0
          expect(applied.applied).toBe(hasChanges)

          const text = serializeConfig((await readLiveConfig(t.handle.db)).document, format)
          const exported = parsed(text)
          expect(normalised(exported)).toEqual(normalised(desired))
          // Same state, same bytes.
          expect(serializeConfig((await readLiveConfig(t.handle.db)).document, format)).toBe(text)

          // diff of the exported file: no change (exit 0), with or without prune.
          const state = await readPlannedState(t.handle.db)
          expect(planConfig(state.document, exported, { prune: true }).changes).toEqual([])
          expect(planConfig(state.document, exported, { prune: false }).unmanaged).toEqual([])
          // apply of it: nothing written, the version stays.
          const again = await applyConfig(t.handle.db, exported, {
            actor,
            sealer: t.sealer,
            prune: true,
            expectedVersion: state.version,
            expectedFingerprint: state.fingerprint,
          })
          expect(again.applied).toBe(false)
          expect(again.versionAfter).toBe(state.version)

          // The exported file with other lifecycles for its (live, listed by id) credentials: applied as client
          // updates only, and exported back as given.
          let n = 0
          const relifed: ConfigDocument = {
            ...exported,
            clients: exported.clients.map((c) => ({
              ...c,
              credentials: c.credentials.map((cred) => ({
                kind: cred.kind,
                ...(cred.id !== undefined ? { id: cred.id } : {}),
                ...lifecycles[n++ % lifecycles.length],
              })),
            })),
          }
          const updated = await applyConfig(t.handle.db, relifed, { actor, sealer: t.sealer, prune: true })
          expect(updated.plan.changes.every((c) => c.kind === 'client' && c.action === 'update')).toBe(true)
          const after = parsed(serializeConfig((await readLiveConfig(t.handle.db)).document, format))
          expect(normalised(after)).toEqual(normalised(relifed))
          expect(planConfig((await readLiveConfig(t.handle.db)).document, after, { prune: true }).changes).toEqual([])
        },
      ),
      { numRuns: 40 },
    )
    console.info(`apply/export round trip: ${runs} runs in ${Math.round(performance.now() - started)} ms`)
  }, 90_000)
})
