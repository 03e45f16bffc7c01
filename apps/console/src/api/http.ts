import type { z } from 'zod'
import { ApiRequestError, errorFromBody, networkError } from './errors'

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

export type HttpClientOptions = {
  fetch: FetchLike
  /** The current Aegis token, read at each call (it changes on sign-in and expiry). */
  getToken: () => string | null
  /** Called when an admin call answers 401: the token is gone or expired. */
  onUnauthorized: () => void
}

type RequestOptions = {
  body?: unknown
  query?: Record<string, string | number | undefined>
  /** Use this token instead of the session's (checking a fresh token before keeping it); its 401 ends no session. */
  token?: string
}

export type HttpClient = {
  /** A JSON call whose answer is checked against `schema`; a 204 answers undefined. */
  request<S extends z.ZodType>(method: string, path: string, schema: S, opts?: RequestOptions): Promise<z.output<S>>
  /** A call whose answer has no body the console needs (DELETE → 204). */
  send(method: string, path: string, opts?: RequestOptions): Promise<void>
  /** The session's bearer token now (null when signed out). */
  token(): string | null
}

const ADMIN_PREFIX = '/api/admin/'

function withQuery(path: string, query: RequestOptions['query']): string {
  if (query === undefined) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value))
  }
  const text = params.toString()
  return text === '' ? path : `${path}?${text}`
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text()
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * The one place the console talks HTTP. Paths are absolute (`/api/...`): the console may be served
 * under any path, but the API always lives at the origin's /api.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  async function call(method: string, path: string, opts: RequestOptions): Promise<unknown> {
    const isAdmin = path.startsWith(ADMIN_PREFIX)
    const headers: Record<string, string> = { accept: 'application/json' }
    if (opts.body !== undefined) headers['content-type'] = 'application/json'
    const token = isAdmin ? (opts.token ?? options.getToken()) : null
    if (token !== null) headers.authorization = `Bearer ${token}`
    let response: Response
    try {
      response = await options.fetch(withQuery(path, opts.query), {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        credentials: 'same-origin',
      })
    } catch (cause) {
      throw networkError(cause)
    }
    const body = await readJson(response)
    if (response.ok) return body
    const error = errorFromBody(response.status, body)
    if (response.status === 401 && isAdmin && opts.token === undefined) {
      error.sessionEnded = true
      options.onUnauthorized()
    }
    throw error
  }

  return {
    async request(method, path, schema, opts = {}) {
      const body = await call(method, path, opts)
      const parsed = schema.safeParse(body)
      if (!parsed.success) {
        const first = parsed.error.issues[0]
        const where = first === undefined ? '' : ` at ${first.path.join('.') || '(root)'}: ${first.message}`
        throw new ApiRequestError(200, 'unexpected_response', `unexpected answer from ${path}${where}`)
      }
      return parsed.data
    },
    async send(method, path, opts = {}) {
      await call(method, path, opts)
    },
    token: () => options.getToken(),
  }
}
