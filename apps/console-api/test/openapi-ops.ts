import { randomUUID } from 'node:crypto'
import type { ConsoleApp } from '../src/app'

export type Operation = { method: string; path: string }

type Document = { paths: Record<string, Record<string, unknown>> }

const METHODS = new Set(['get', 'post', 'put', 'delete', 'patch'])

/** Every admin operation the OpenAPI document describes (the auth suite runs against each). */
export async function adminOperations(app: ConsoleApp): Promise<Operation[]> {
  const res = await app.request('/api/openapi.json')
  const doc = (await res.json()) as Document
  const ops: Operation[] = []
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/admin/')) continue
    for (const method of Object.keys(item)) {
      if (METHODS.has(method)) ops.push({ method: method.toUpperCase(), path })
    }
  }
  return ops
}

/** What the app really serves under /api/admin, in the document's path syntax. */
export function servedAdminOperations(app: ConsoleApp): Operation[] {
  const seen = new Map<string, Operation>()
  for (const route of app.routes) {
    if (route.method === 'ALL' || !route.path.startsWith('/api/admin/')) continue
    const path = route.path.replace(/:([^/]+)/g, '{$1}')
    seen.set(`${route.method} ${path}`, { method: route.method, path })
  }
  return [...seen.values()]
}

/** A callable path: every `{param}` filled with a fresh UUID. */
export function concretePath(path: string): string {
  return path.replace(/\{[^}]+\}/g, () => randomUUID())
}

/**
 * The admin operations, read at collection time (so each gets its own named tests) from an app whose
 * database pool is never used: generating the document touches no I/O.
 */
export async function documentedAdminOperations(): Promise<Operation[]> {
  const { offlineConsoleApp } = await import('./support/offline-app')
  const { app, close } = offlineConsoleApp()
  try {
    return await adminOperations(app)
  } finally {
    await close()
  }
}
