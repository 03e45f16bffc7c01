import { rawRequest } from './raw'

// A small client for console-api's admin API over HTTP, one connection per request, JSON in and out.

export interface AdminReply {
  status: number
  headers: Record<string, string>
  text: string
  json: unknown
}

export interface AdminClient {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<AdminReply>
}

export function adminClient(port: number, token: string): AdminClient {
  return {
    async call(method, path, body, headers = {}) {
      const reply = await rawRequest({
        port,
        method,
        target: `/api/admin${path}`,
        headers: Object.entries({
          Host: 'localhost',
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        }),
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: 20_000,
      })
      let json: unknown
      try {
        json = JSON.parse(reply.body)
      } catch {
        json = undefined
      }
      return { status: reply.status, headers: reply.headers, text: reply.body, json }
    },
  }
}

/** A string field of a JSON object reply. */
export function field(reply: AdminReply, name: string): string {
  const value = typeof reply.json === 'object' && reply.json !== null ? Reflect.get(reply.json, name) : undefined
  if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`reply has no ${name}: ${reply.text}`)
  return String(value)
}
