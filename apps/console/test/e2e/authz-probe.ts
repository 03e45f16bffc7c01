import { request } from 'node:http'

export type Decision = { status: number; body: string }

/** Asks authz about one request the way nginx's auth_request does (GET /authz + X-Original-* headers). */
export function askAuthz(
  authzUrl: string,
  opts: { uri: string; method: string; host: string; apiKey: string },
): Promise<Decision> {
  const url = new URL('/authz', authzUrl)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'GET',
        agent: false,
        timeout: 2000,
        headers: {
          'x-original-uri': opts.uri,
          'x-original-method': opts.method,
          'x-original-host': opts.host,
          authorization: `Bearer ${opts.apiKey}`,
        },
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          body += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on('timeout', () => req.destroy(new Error('authz did not answer in 2 s')))
    req.on('error', reject)
    req.end()
  })
}
