import { randomUUID } from 'node:crypto'
import type { ConsoleApp } from '../targets'

// The admin surface of console-api from two sources that must agree: the OpenAPI document it serves
// (/api/openapi.json) and the routes its Hono app has registered (`app.routes`). A route added without a
// document entry, or documented but not served, shows up as a difference.

export interface Operation {
  method: string
  /** OpenAPI path syntax: `/api/admin/routes/{route_id}`. */
  path: string
}

export const ADMIN_PREFIX = '/api/admin'
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'])

export const operationKey = (op: Operation) => `${op.method} ${op.path}`

export async function documentedOperations(app: ConsoleApp): Promise<Operation[]> {
  const res = await app.request('/api/openapi.json')
  if (res.status !== 200) throw new Error(`/api/openapi.json answered ${res.status}`)
  const doc: unknown = await res.json()
  const paths: unknown = typeof doc === 'object' && doc !== null ? Reflect.get(doc, 'paths') : undefined
  if (typeof paths !== 'object' || paths === null) throw new Error('the OpenAPI document has no paths')
  const ops: Operation[] = []
  for (const [path, item] of Object.entries(paths)) {
    if (typeof item !== 'object' || item === null) continue
    for (const method of Object.keys(item)) {
      if (METHODS.has(method)) ops.push({ method: method.toUpperCase(), path })
    }
  }
  return ops
}

/**
 * Every handler the app registered at or under /api/admin, in OpenAPI syntax. Middleware is registered by Hono
 * as method ALL on a wildcard path (`/api/admin/*`); an ALL route on a concrete path is a handler (app.all) and
 * is reported under method ALL, which no document operation can match, so it fails the comparison.
 */
export function servedOperations(app: ConsoleApp): Operation[] {
  const seen = new Map<string, Operation>()
  for (const route of app.routes) {
    if (route.path !== ADMIN_PREFIX && !route.path.startsWith(`${ADMIN_PREFIX}/`)) continue
    if (route.method === 'ALL' && route.path.endsWith('*')) continue
    const path = route.path.replace(/:([^/{}]+)(\{[^}]*\})?/g, '{$1}')
    const op = { method: route.method, path }
    seen.set(operationKey(op), op)
  }
  return [...seen.values()]
}

/** A callable path: every `{param}` filled with a fresh UUID. */
export function concretePath(path: string): string {
  return path.replace(/\{[^}]+\}/g, () => randomUUID())
}
