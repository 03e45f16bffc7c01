// The baseline: the smallest Hono app on @hono/node-server, answering every request 200 with an explicit
// content-length 0 (as authz answers an allow), i.e. the practical ceiling of this runtime for an auth reply.
// Run as its own process: `BASELINE_PORT=<port> node --import tsx bench/src/baseline-server.ts`.

import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const port = Number(process.env.BASELINE_PORT ?? '0')
const app = new Hono()
app.all('*', () => new Response(null, { status: 200, headers: { 'content-length': '0' } }))

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`baseline listening on 127.0.0.1:${info.port}\n`)
})
// Same keep-alive as authz, so nginx's upstream keepalive treats both auth servers alike.
;(server as Server).keepAliveTimeout = 65_000
process.on('SIGTERM', () => server.close(() => process.exit(0)))
