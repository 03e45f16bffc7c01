import type { AddressInfo } from 'node:net'
import express, { type Request, type Response } from 'express'
import type { RouteName } from '../table'
import { REPLY_HEADER, type RunningUpstream, replyHeaderValue, type UpstreamReply } from './reply'

// The route table as an Express 5 app with Express's default options, which are what most deployments run:
// case-insensitive routing (`/SECRET/x` is `/secret/x`) and non-strict routing (`/exact/` is `/exact`). The router
// matches the raw, undecoded path and never resolves dot segments.

function reply(req: Request, res: Response, served: RouteName | null): void {
  const body: UpstreamReply = {
    upstream: 'express',
    served,
    method: req.method,
    target: req.originalUrl,
    routeId: req.get('x-auth-route-id') ?? null,
    clientId: req.get('x-auth-client-id') ?? null,
    authorization: req.get('authorization') ?? null,
  }
  res.set(REPLY_HEADER, replyHeaderValue(body))
  res.status(served === null ? 404 : 200).json(body)
}

function expressApp(): express.Express {
  const app = express()
  const on = (name: RouteName) => (req: Request, res: Response) => reply(req, res, name)
  app.get(['/pub', '/pub/{*rest}'], on('pub'))
  app.post(['/pub', '/pub/{*rest}'], on('pub'))
  app.get(['/secret', '/secret/{*rest}'], on('secret'))
  app.get(['/key', '/key/{*rest}'], on('key'))
  app.post(['/key', '/key/{*rest}'], on('key'))
  app.delete(['/key', '/key/{*rest}'], on('key'))
  app.get('/exact', on('exact'))
  // Registered before /docs: Express runs the first matching route, and ignores Host.
  app.get(['/docs/internal', '/docs/internal/{*rest}'], on('docsInternal'))
  app.get(['/docs', '/docs/{*rest}'], on('docs'))
  app.get('/{*rest}', on('any'))
  app.use((req: Request, res: Response) => reply(req, res, null))
  return app
}

export function startExpressUpstream(): Promise<RunningUpstream> {
  const app = expressApp()
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', (err?: Error) => {
      if (err) {
        reject(err)
        return
      }
      const { port } = server.address() as AddressInfo
      resolve({ name: 'express', port, close: () => new Promise<void>((done) => server.close(() => done())) })
    })
  })
}
