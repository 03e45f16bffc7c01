import { readFileSync } from 'node:fs'
import { signRequestV1 } from '@gatekeeper/crypto'
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
  json?: boolean
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
    .option('--json', 'print {authorization, timestamp, nonce, signature, ...} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  export GK_SECRET=gks_...
  curl -H "Authorization: $(gatekeeper sign --client-id <id> --secret-env GK_SECRET --path /api/secure)" https://api.example.com/api/secure
  gatekeeper sign --client-id <id> --secret-env GK_SECRET --method POST --body '{"a":1}' --curl https://api.example.com/api/orders`,
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

      let signed: ReturnType<typeof signRequestV1>
      try {
        signed = signRequestV1({
          clientId,
          secret,
          method,
          path,
          ...(body !== undefined ? { body } : {}),
          ...(opts.timestamp !== undefined ? { timestamp: parseTimestamp(opts.timestamp) } : {}),
          ...(opts.nonce !== undefined ? { nonce: opts.nonce } : {}),
        })
      } catch (err) {
        throw CliError.usage((err as Error).message.replace(/^signRequestV1: /, ''))
      }

      const curl = opts.curl === undefined ? undefined : curlCommand(opts.curl, method, signed.authorization, opts)
      if (opts.json) {
        ctx.out.json({
          authorization: signed.authorization,
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
      ctx.out.line(curl ?? signed.authorization)
    })
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

function curlCommand(url: string, method: string, authorization: string, opts: SignOptions): string {
  const parts = ['curl', '-i', '-X', method, shellQuote(url), '-H', shellQuote(`Authorization: ${authorization}`)]
  if (opts.bodyFile !== undefined) parts.push('--data-binary', shellQuote(`@${opts.bodyFile}`))
  else if (opts.body !== undefined) parts.push('--data-binary', shellQuote(opts.body))
  return parts.join(' ')
}
