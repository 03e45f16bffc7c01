import { readFileSync } from 'node:fs'
import { signRequestV1, signRequestV2 } from '@gatekeeper/crypto'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { CliError } from '../errors'
import { shellQuote } from '../shell'

type SignOptions = {
  clientId?: string
  secret?: string
  secretEnv?: string
  secretFile?: string
  method: string
  path?: string
  body?: string
  bodyFile?: string
  timestamp?: string
  nonce?: string
  curl?: string
  v2?: boolean
  host?: string
  only?: string
  json?: boolean
}

/** What both schemes produce: the headers to send, in order, and the fields --json reports. */
type Signed = {
  headers: Array<[string, string]>
  timestamp: number
  nonce: string
  signature: string
  extra: Record<string, string>
}

export function registerSign(program: Command, ctx: CliContext): void {
  program
    .command('sign')
    .description('print the HMAC (v1) Authorization header for a request, to call an HMAC route by hand')
    .option('--client-id <id>', 'the client id the secret belongs to')
    .option('--secret <secret>', 'the shared secret (visible in `ps`; prefer --secret-env or --secret-file)')
    .option('--secret-env <VAR>', 'read the shared secret from this environment variable')
    .option('--secret-file <file>', 'read the shared secret from this file (one trailing newline is ignored)')
    .option('--method <method>', 'HTTP method', 'GET')
    .option('--path <path>', 'request path as sent (a query string is not signed); defaults to the --curl URL path')
    .option('--body <text>', 'request body, exactly as sent')
    .option('--body-file <file>', 'request body read from a file, byte for byte')
    .option('--timestamp <epoch>', 'epoch seconds (default: now)')
    .option('--nonce <nonce>', 'nonce, 8-128 of [A-Za-z0-9_-] (default: a random UUID)')
    .option('--curl <url>', 'print a complete curl command for this URL instead of the header alone')
    .option('--v2', 'sign with scheme v2 (also covers host, query and a Content-Digest of the body)')
    .option('--host <host>', 'v2: the Host the request is sent to (default: from the --curl URL)')
    .option('--only <header>', 'v2: print just this header value: authorization or content-digest')
    .option('--json', 'print {authorization, timestamp, nonce, signature, ...} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  export GK_SECRET=gks_...
  curl -H "Authorization: $(gatekeeper sign --client-id <id> --secret-env GK_SECRET --path /api/secure)" https://api.example.com/api/secure
  gatekeeper sign --client-id <id> --secret-env GK_SECRET --method POST --body '{"a":1}' --curl https://api.example.com/api/orders
  gatekeeper sign --v2 --client-id <id> --secret-env GK_SECRET --curl 'https://api.example.com/api/search?q=1'`,
    )
    .action(async (opts: SignOptions) => {
      const prompter = ctx.prompter(opts)
      const clientId = opts.clientId ?? (await prompter.text({ message: 'Client id', flag: '--client-id' }))
      const secret = await readSecret(ctx, opts, () =>
        prompter.secret({ message: 'Shared secret', flag: '--secret-env (or --secret, --secret-file)' }),
      )
      const path =
        opts.path ??
        pathOfUrl(opts.curl) ??
        (await prompter.text({ message: 'Request path', flag: '--path', placeholder: '/api/secure' }))
      if (opts.body !== undefined && opts.bodyFile !== undefined)
        throw CliError.usage('give --body or --body-file, not both')
      const body = opts.bodyFile !== undefined ? readBodyFile(opts.bodyFile) : opts.body
      const method = opts.method.toUpperCase()
      if (!/^[A-Z]+$/.test(method)) throw CliError.usage(`--method: "${opts.method}" is not an HTTP method`)

      const timestamp = opts.timestamp !== undefined ? parseTimestamp(opts.timestamp) : undefined
      const common = {
        clientId,
        secret,
        method,
        ...(body !== undefined ? { body } : {}),
        ...(timestamp !== undefined ? { timestamp } : {}),
        ...(opts.nonce !== undefined ? { nonce: opts.nonce } : {}),
      }
      const signed = opts.v2 ? signV2(common, path, opts) : signV1(common, path, opts)
      const curl = opts.curl === undefined ? undefined : curlCommand(opts.curl, method, signed.headers, opts)
      if (opts.json) {
        ctx.out.json({
          authorization: signed.headers[0]?.[1],
          ...signed.extra,
          client_id: clientId,
          method,
          path,
          timestamp: signed.timestamp,
          nonce: signed.nonce,
          signature: signed.signature,
          ...(curl !== undefined ? { curl } : {}),
        })
        return
      }
      if (curl !== undefined) return ctx.out.line(curl)
      if (!opts.v2) return ctx.out.line(signed.headers[0]?.[1] ?? '')
      if (opts.only !== undefined) {
        const header = signed.headers.find(([name]) => name.toLowerCase() === opts.only?.toLowerCase())
        if (header === undefined) throw CliError.usage(`--only: "${opts.only}" is not authorization or content-digest`)
        return ctx.out.line(header[1])
      }
      for (const [name, value] of signed.headers) ctx.out.line(`${name}: ${value}`)
    })
}

type SignInput = {
  clientId: string
  secret: string
  method: string
  body?: string | Uint8Array
  timestamp?: number
  nonce?: string
}

function signV1(input: SignInput, path: string, opts: SignOptions): Signed {
  if (opts.host !== undefined || opts.only !== undefined) throw CliError.usage('--host and --only go with --v2')
  try {
    const s = signRequestV1({ ...input, path })
    return {
      headers: [['Authorization', s.authorization]],
      timestamp: s.timestamp,
      nonce: s.nonce,
      signature: s.signature,
      extra: {},
    }
  } catch (err) {
    throw CliError.usage((err as Error).message.replace(/^signRequestV1: /, ''))
  }
}

function signV2(input: SignInput, path: string, opts: SignOptions): Signed {
  const host = opts.host ?? hostOfUrl(opts.curl)
  if (host === undefined) throw CliError.usage('--v2 needs --host (or a --curl URL): v2 signs the host')
  try {
    const s = signRequestV2({ ...input, host, path })
    return {
      headers: [
        ['Authorization', s.authorization],
        ['Content-Digest', s.contentDigest],
      ],
      timestamp: s.timestamp,
      nonce: s.nonce,
      signature: s.signature,
      extra: { content_digest: s.contentDigest, canonical: s.canonical },
    }
  } catch (err) {
    throw CliError.usage((err as Error).message.replace(/^signRequestV2: /, ''))
  }
}

function hostOfUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined
  try {
    return new URL(url).host
  } catch {
    throw CliError.usage(`--curl: "${url}" is not a URL`)
  }
}

async function readSecret(ctx: CliContext, opts: SignOptions, ask: () => Promise<string>): Promise<string> {
  const given = [opts.secret, opts.secretEnv, opts.secretFile].filter((v) => v !== undefined)
  if (given.length > 1) throw CliError.usage('give one of --secret, --secret-env, --secret-file')
  if (opts.secret !== undefined) return opts.secret
  if (opts.secretEnv !== undefined) {
    const value = ctx.env[opts.secretEnv]
    if (value === undefined || value === '') throw CliError.usage(`--secret-env: ${opts.secretEnv} is not set`)
    return value
  }
  if (opts.secretFile !== undefined) {
    try {
      return readFileSync(opts.secretFile, 'utf8').replace(/\r?\n$/, '')
    } catch (err) {
      throw CliError.usage(
        `--secret-file: cannot read ${opts.secretFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      )
    }
  }
  return ask()
}

function readBodyFile(file: string): Uint8Array {
  try {
    return readFileSync(file)
  } catch (err) {
    throw CliError.usage(
      `--body-file: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    )
  }
}

function parseTimestamp(text: string): number {
  if (!/^(0|[1-9][0-9]{0,11})$/.test(text)) throw CliError.usage(`--timestamp: "${text}" is not epoch seconds`)
  return Number(text)
}

function pathOfUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined
  try {
    const u = new URL(url)
    return u.pathname + u.search
  } catch {
    throw CliError.usage(`--curl: "${url}" is not a URL`)
  }
}

function curlCommand(url: string, method: string, headers: Array<[string, string]>, opts: SignOptions): string {
  const parts = ['curl', '-i', '-X', method, shellQuote(url)]
  for (const [name, value] of headers) parts.push('-H', shellQuote(`${name}: ${value}`))
  if (opts.bodyFile !== undefined) parts.push('--data-binary', shellQuote(`@${opts.bodyFile}`))
  else if (opts.body !== undefined) parts.push('--data-binary', shellQuote(opts.body))
  return parts.join(' ')
}
