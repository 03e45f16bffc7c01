import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { type Context, Hono } from 'hono'
import type { RouteName } from '../table'
import { REPLY_HEADER, type RunningUpstream, replyHeaderValue, type UpstreamReply } from './reply'

// The route table as a Hono app on @hono/node-server, written the way Hono's docs write routes. node-server builds
// the request URL with WHATWG `new URL()`, which resolves dot segments (also %2e spellings) after the empty
// segments nginx would have dropped, so `/secret//../pub/x` is `/secret/pub/x` here.

function reply(c: Context, served: RouteName | null): Response {
  const incoming = c.env.incoming as { url?: string; method?: string }
  const body: UpstreamReply = {
    upstream: 'hono',
    served,
    method: c.req.method,
    target: incoming.url ?? '',
    routeId: c.req.header('x-auth-route-id') ?? null,
    clientId: c.req.header('x-auth-client-id') ?? null,
    authorization: c.req.header('authorization') ?? null,
  }
  c.header(REPLY_HEADER, replyHeaderValue(body))
  return c.json(body, served === null ? 404 : 200)
}

function honoApp(): Hono {
  const app = new Hono()
  const on = (name: RouteName) => (c: Context) => reply(c, name)
  // A prefix and everything below it.
  const under = (methods: string[], prefix: string, name: RouteName) =>
    app.on(methods, [prefix, `${prefix}/*`], on(name))
  under(['GET', 'POST'], '/pub', 'pub')
  under(['GET'], '/secret', 'secret')
  under(['GET', 'POST', 'DELETE'], '/key', 'key')
  app.get('/exact', on('exact'))
  // Hono ignores Host: the internal docs are served whatever name the client used.
  under(['GET'], '/docs/internal', 'docsInternal')
  under(['GET'], '/docs', 'docs')
  app.get('*', on('any'))
  app.notFound((c) => reply(c, null))
  return app
}

export function startHonoUpstream(): Promise<RunningUpstream> {
  const app = honoApp()
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      resolve({
        name: 'hono',
        port: info.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      })
    })
  })
}
