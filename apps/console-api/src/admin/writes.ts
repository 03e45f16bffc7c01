import type { Actor } from '@gatekeeper/db/admin'
import type { Context } from 'hono'
import type { AppEnv } from '../context'
import type { Metrics } from '../metrics'
import { cascadeHeader, expectedVersion, optionalDeleteBody, withVersion } from './concurrency'
import { actorOf, rawJson, setEtag } from './kit'

type Versioned = { version?: number }

/** The operations of an entity that carries a version and takes others with it when deleted (routes, clients). */
type VersionedOps<T extends Versioned> = {
  update(actor: Actor, id: string, body: unknown): Promise<T>
  remove(actor: Actor, id: string, opts: { expectedVersion?: number }): Promise<{ cascaded: Record<string, number> }>
}

/**
 * The update and delete answers routes and clients share: a write applies only to the version the caller
 * read (If-Match, or `version` in the body), an update answers the new version as its ETag, and a delete
 * says in `Gatekeeper-Cascaded` what went with the entity. Each success is counted under its action.
 */
export function versionedWrites<T extends Versioned>(
  ops: VersionedOps<T>,
  metrics: Metrics,
  actions: { update: string; remove: string },
) {
  return {
    async update(c: Context<AppEnv>, id: string) {
      const entity = await ops.update(actorOf(c), id, await versionedBody(c))
      metrics.adminActions.inc({ action: actions.update })
      setEtag(c, entity.version)
      return c.json(entity, 200)
    },
    async remove(c: Context<AppEnv>, id: string) {
      const removed = await ops.remove(actorOf(c), id, await deletePrecondition(c))
      metrics.adminActions.inc({ action: actions.remove })
      c.header('Gatekeeper-Cascaded', cascadeHeader(removed.cascaded))
      return c.body(null, 204)
    },
  }
}

/** A write's body, with the version it applies to (If-Match, or `version` in the body) folded in. */
export async function versionedBody(c: Context<AppEnv>): Promise<unknown> {
  const body = await rawJson(c)
  return withVersion(body, expectedVersion(c, body))
}

/** The version a DELETE applies to: If-Match, or `version` in an optional JSON body. */
export async function deletePrecondition(c: Context<AppEnv>): Promise<{ expectedVersion: number | undefined }> {
  return { expectedVersion: expectedVersion(c, await optionalDeleteBody(c)) }
}

/** A read or a create of a versioned entity: its version is the ETag a later If-Match names. */
export function withEtag<T extends Versioned, S extends 200 | 201>(c: Context<AppEnv>, entity: T, status: S) {
  setEtag(c, entity.version)
  return c.json(entity, status)
}

/**
 * The answers of the plain writes (no version to check): once `write` is done it is counted under its action,
 * then answered as JSON with `status`, or with 204 and no body.
 */
export function countedWrites(c: Context<AppEnv>, metrics: Metrics, action: string) {
  return {
    async json<T, S extends 200 | 201>(write: Promise<T>, status: S) {
      const result = await write
      metrics.adminActions.inc({ action })
      return c.json(result, status)
    },
    async noContent(write: Promise<unknown>) {
      await write
      metrics.adminActions.inc({ action })
      return c.body(null, 204)
    },
  }
}
