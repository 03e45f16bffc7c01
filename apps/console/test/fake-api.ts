import type { FetchLike } from '../src/api/http'

export type FakeRequest = {
  method: string
  path: string
  query: URLSearchParams
  body: unknown
  authorization: string | null
}
export type FakeReply = { status: number; body?: unknown }
type Handler = (request: FakeRequest) => FakeReply | Promise<FakeReply>

/**
 * A stand-in console-api for component tests: handlers keyed by `METHOD /path`, every call
 * recorded. Unknown calls answer 404 in the API's error envelope, as a console-api without that
 * endpoint would.
 */
export function createFakeApi() {
  const handlers: Array<{ route: string; pattern: RegExp; handler: Handler }> = []
  const calls: Array<FakeRequest> = []

  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input, 'http://console.test')
    const headers = new Headers(init?.headers)
    const text = typeof init?.body === 'string' ? init.body : undefined
    const request: FakeRequest = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: text === undefined ? undefined : JSON.parse(text),
      authorization: headers.get('authorization'),
    }
    calls.push(request)
    const key = `${request.method} ${request.path}`
    const handler = handlers.find((entry) => entry.pattern.test(key))?.handler
    const reply = handler === undefined ? notFound() : await handler(request)
    const body = reply.body === undefined ? null : JSON.stringify(reply.body)
    return new Response(reply.status === 204 ? null : body, {
      status: reply.status,
      headers: { 'content-type': 'application/json' },
    })
  }

  return {
    fetch,
    calls,
    /** `METHOD /path`, where a `:name` segment matches any one segment. A later handler for a route wins. */
    on(route: string, handler: Handler | FakeReply) {
      const pattern = new RegExp(`^${route.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[a-z_]+/g, '[^/]+')}$`)
      handlers.unshift({ route, pattern, handler: typeof handler === 'function' ? handler : () => handler })
      return this
    },
    /** Calls of `METHOD /path`, in order. */
    callsTo(route: string): Array<FakeRequest> {
      return calls.filter((call) => `${call.method} ${call.path}` === route)
    },
  }
}

export type FakeApi = ReturnType<typeof createFakeApi>

function notFound(): FakeReply {
  return { status: 404, body: { code: 404, status: 'not_found', message: 'not found', error: 'not_found' } }
}

export function errorReply(
  status: number,
  error: string,
  message: string,
  details?: Array<{ path: string; message: string }>,
): FakeReply {
  return {
    status,
    body: { code: status, status: 'error', message, error, ...(details === undefined ? {} : { details }) },
  }
}

export const CONFIG_REPLY = {
  status: 200,
  body: { aegisApiUrl: 'http://aegis.test', siteName: 'Acme APIs', siteDomain: 'acme.test', localSignIn: false },
} satisfies FakeReply
