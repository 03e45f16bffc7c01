import { readFileSync } from 'node:fs'
import { type SignRequestV1Input, signRequestV1, signRequestV2 } from '@gatekeeper/crypto'
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
  url?: string
  curl?: string | boolean
  v1?: boolean
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
  curl?: string
}

export function registerSign(program: Command, ctx: CliContext): void {
  program
    .command('sign')
    .description(
      'print the headers that sign a request with HMAC (scheme v2: Authorization and Content-Digest), or a whole curl command',
    )
    .option('--client-id <id>', 'the client id the secret belongs to')
    .option('--secret <secret>', 'the shared secret (visible in `ps`; prefer --secret-env or --secret-file)')
    .option('--secret-env <VAR>', 'read the shared secret from this environment variable')
    .option('--secret-file <file>', 'read the shared secret from this file (one trailing newline is ignored)')
    .option('--method <method>', 'HTTP method', 'GET')
    .option('--url <url>', 'the request URL as sent: host, path and query are signed')
    .option('--host <host>', 'the Host the request is for (default: from the URL); v2 signs it')
    .option('--path <path>', 'request path as sent, with its query (default: from the URL)')
    .option('--body <text>', 'request body, exactly as sent')
    .option('--body-file <file>', 'request body read from a file, byte for byte')
    .option('--timestamp <epoch>', 'epoch seconds (default: now)')
    .option('--nonce <nonce>', 'nonce, 8-128 of [A-Za-z0-9_-] (default: a random UUID)')
    .option('--curl [url]', 'print a complete curl command (for --url, or for the URL given here)')
    .option('--only <header>', 'print just this header value: authorization or content-digest')
    .option('--v1', 'sign with the original scheme v1 (no host, query or body digest; a body breaks it behind nginx)')
    .option('--v2', 'sign with scheme v2 (the default; kept for scripts that pass it)')
    .option('--json', 'print {authorization, headers, timestamp, nonce, signature, ...} as JSON')
    .addHelpText(
      'after',
      `
Scheme v2 (the default) signs the method, host, path, query, timestamp, nonce and a Content-Digest of the
body; it prints both headers the request needs, one per line ("Name: value"), which curl reads with -H @-.
v2 is what works behind nginx auth_request, where authz never sees the body.

Examples:
  export GK_SECRET=gks_...
  gatekeeper sign --client-id <id> --secret-env GK_SECRET --url https://api.example.com/api/secure \\
    | curl -H @- https://api.example.com/api/secure
  gatekeeper sign --client-id <id> --secret-env GK_SECRET --method POST --body-file order.json \\
    --curl https://api.example.com/api/orders
  gatekeeper sign --v1 --client-id <id> --secret-env GK_SECRET --path /api/secure   # the Authorization value alone`,
    )
    .action(async (opts: SignOptions) => {
      if (opts.v1 && opts.v2) throw CliError.usage('give --v1 or --v2, not both')
      const prompter = ctx.prompter(opts)
      const clientId = opts.clientId ?? (await prompter.text({ message: 'Client id', flag: '--client-id' }))
      const secret = await readSecret(ctx, opts, () =>
        prompter.secret({ message: 'Shared secret', flag: '--secret-env (or --secret, --secret-file)' }),
      )
      const curlUrl = typeof opts.curl === 'string' ? opts.curl : undefined
      if (curlUrl !== undefined && opts.url !== undefined && curlUrl !== opts.url)
        throw CliError.usage('give the URL once: --url or --curl <url>')
      const url = parseUrl(opts.url ?? curlUrl, opts.url !== undefined ? '--url' : '--curl')
      const path =
        opts.path ??
        (url !== undefined ? url.pathname + url.search : undefined) ??
        (await prompter.text({ message: 'Request path', flag: '--path (or --url)', placeholder: '/api/secure' }))
      if (opts.body !== undefined && opts.bodyFile !== undefined)
        throw CliError.usage('give --body or --body-file, not both')
      const body = opts.bodyFile !== undefined ? readBodyFile(opts.bodyFile) : opts.body
      const method = opts.method.toUpperCase()
      if (!/^[A-Z]+$/.test(method)) throw CliError.usage(`--method: "${opts.method}" is not an HTTP method`)
      if (opts.curl === true && url === undefined && opts.host === undefined)
        throw CliError.usage('--curl needs the URL: --url <url>, or --curl <url>')

      const timestamp = opts.timestamp !== undefined ? parseTimestamp(opts.timestamp) : undefined
      const common = {
        clientId,
        secret,
        method,
        ...(body !== undefined ? { body } : {}),
        ...(timestamp !== undefined ? { timestamp } : {}),
        ...(opts.nonce !== undefined ? { nonce: opts.nonce } : {}),
      }
      const host = opts.host ?? url?.host
      let signed: Signed
      if (opts.v1) {
        signed = signV1(common, path)
        if (body !== undefined && body.length > 0)
          ctx.out.warn(
            'v1 signs the body, but behind nginx auth_request authz never sees it and checks v1 over an empty body: ' +
              'this signature is refused there. Sign with v2 (the default) unless authz receives the body itself.',
          )
      } else {
        if (host === undefined)
          throw CliError.usage('v2 signs the host: give --url (or --host), or --v1 for the original scheme')
        signed = signV2(common, host, path)
      }
      if (opts.curl !== undefined && opts.curl !== false) {
        const target = url?.toString() ?? `https://${host}${path}`
        signed.curl = curlCommand(target, method, signed.headers, host, opts)
      }
      if (opts.json) {
        ctx.out.json({
          authorization: signed.headers[0]?.[1],
          headers: Object.fromEntries(signed.headers),
          ...signed.extra,
          client_id: clientId,
          method,
          ...(host !== undefined && !opts.v1 ? { host } : {}),
          path,
          timestamp: signed.timestamp,
          nonce: signed.nonce,
          signature: signed.signature,
          ...(signed.curl !== undefined ? { curl: signed.curl } : {}),
        })
        return
      }
      if (signed.curl !== undefined) return ctx.out.line(signed.curl)
      if (opts.only !== undefined) {
        const header = signed.headers.find(([name]) => name.toLowerCase() === opts.only?.toLowerCase())
        if (header === undefined)
          throw CliError.usage(
            `--only: "${opts.only}" is not ${signed.headers.map(([name]) => name.toLowerCase()).join(' or ')}`,
          )
        return ctx.out.line(header[1])
      }
      // v1's single header prints as the bare value, ready for -H "Authorization: $(...)" as before.
      if (opts.v1) return ctx.out.line(signed.headers[0]?.[1] ?? '')
      for (const [name, value] of signed.headers) ctx.out.line(`${name}: ${value}`)
    })
}

/** What both schemes sign besides the target (v1 a path; v2 a host and a path). */
type SignInput = Omit<SignRequestV1Input, 'path'>

function signV1(input: SignInput, path: string): Signed {
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

function signV2(input: SignInput, host: string, path: string): Signed {
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
    const reason = (err as Error).message.replace(/^signRequestV2: /, '')
    throw CliError.usage(V2_REASONS[reason] ?? reason)
  }
}

// The signer's failure codes, said the way the flags are named.
const V2_REASONS: Readonly<Record<string, string>> = {
  invalid_host: 'the host is not a valid host name (--host or the URL)',
  invalid_method: '--method is not an HTTP method',
  invalid_client_id: '--client-id must be 1-128 characters without control characters, ", , or \\',
  invalid_timestamp: '--timestamp must be whole epoch seconds',
  invalid_nonce: '--nonce must be 8..128 chars of [A-Za-z0-9_-]',
  invalid_path: 'the path must start with / (--path or the URL)',
  invalid_percent_encoding: 'the path or query has a % not followed by two hex digits',
  path_above_root: 'the path goes above the root (..)',
  fragment: 'the path or query contains #',
}

function parseUrl(url: string | undefined, flag: string): URL | undefined {
  if (url === undefined) return undefined
  try {
    const u = new URL(url)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http')
    return u
  } catch {
    throw CliError.usage(`${flag}: "${url}" is not an http(s) URL`)
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

function curlCommand(
  url: string,
  method: string,
  headers: Array<[string, string]>,
  host: string | undefined,
  opts: SignOptions,
): string {
  const parts = ['curl', '-i', '-X', method, shellQuote(url)]
  // Signed for another host than the URL names (a load balancer's address, a tunnel): send that Host.
  if (host !== undefined && host !== new URL(url).host) parts.push('-H', shellQuote(`Host: ${host}`))
  for (const [name, value] of headers) parts.push('-H', shellQuote(`${name}: ${value}`))
  if (opts.bodyFile !== undefined) parts.push('--data-binary', shellQuote(`@${opts.bodyFile}`))
  else if (opts.body !== undefined) parts.push('--data-binary', shellQuote(opts.body))
  return parts.join(' ')
}
