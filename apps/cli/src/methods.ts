import { HTTP_METHODS, type HttpMethod, isHttpMethod, type MethodAuth, type RouteMethods } from '@gatekeeper/models'
import { CliError } from './errors'
import type { Prompter } from './prompt'

/** `hmac` leaves the signature scheme to the service default; `hmac_v2` requires v2, `hmac_any` accepts v1 or v2. */
export type AuthChoice = 'public' | 'api_key' | 'hmac' | 'hmac_v2' | 'hmac_any'

const AUTH_WORDS: Readonly<Record<string, AuthChoice>> = {
  public: 'public',
  none: 'public',
  api_key: 'api_key',
  'api-key': 'api_key',
  apikey: 'api_key',
  key: 'api_key',
  hmac: 'hmac',
  hmac_v2: 'hmac_v2',
  'hmac-v2': 'hmac_v2',
  hmac_any: 'hmac_any',
  'hmac-any': 'hmac_any',
}

export function ruleFor(auth: AuthChoice): MethodAuth {
  switch (auth) {
    case 'public':
      return { auth_required: false, auth_type: null }
    case 'hmac_v2':
      return { auth_required: true, auth_type: 'hmac', signature_version: 'v2' }
    case 'hmac_any':
      return { auth_required: true, auth_type: 'hmac', signature_version: 'any' }
    default:
      return { auth_required: true, auth_type: auth }
  }
}

export function authOf(rule: MethodAuth): AuthChoice {
  if (!rule.auth_required || rule.auth_type === null) return 'public'
  if (rule.auth_type === 'hmac' && rule.signature_version !== undefined) return `hmac_${rule.signature_version}`
  return rule.auth_type
}

/** Commander collector for repeatable options (`--method GET=public --method POST=hmac`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

function parseMethod(text: string, flag: string): HttpMethod {
  const method = text.trim().toUpperCase()
  if (!isHttpMethod(method)) {
    throw CliError.usage(`${flag}: "${text.trim()}" is not a method (use ${HTTP_METHODS.join(', ')})`)
  }
  return method
}

/** `GET=public`, `POST=api_key`, `DELETE:hmac`; several per flag with commas. */
export function parseMethodSpecs(specs: ReadonlyArray<string>, flag = '--method'): RouteMethods {
  const methods: RouteMethods = {}
  for (const spec of specs.flatMap((s) => s.split(',')).filter((s) => s.trim() !== '')) {
    const match = /^\s*([A-Za-z]+)\s*[=:]\s*([A-Za-z0-9_-]+)\s*$/.exec(spec)
    if (match === null)
      throw CliError.usage(`${flag}: "${spec}" should be METHOD=AUTH, e.g. GET=public, POST=api_key, DELETE=hmac`)
    const method = parseMethod(match[1] ?? '', flag)
    const auth = AUTH_WORDS[(match[2] ?? '').toLowerCase()]
    if (auth === undefined)
      throw CliError.usage(
        `${flag}: "${match[2]}" is not an auth type (use public, api_key, hmac, hmac_v2 or hmac_any)`,
      )
    methods[method] = ruleFor(auth)
  }
  return methods
}

/** `GET,POST` (or repeated flags) into methods, each checked. */
export function parseMethodList(values: ReadonlyArray<string>, flag = '--methods'): HttpMethod[] {
  const methods = values
    .flatMap((v) => v.split(','))
    .filter((v) => v.trim() !== '')
    .map((v) => parseMethod(v, flag))
  return HTTP_METHODS.filter((m) => methods.includes(m))
}

const AUTH_LABELS: Readonly<Record<AuthChoice, string>> = {
  public: 'Public (no auth required)',
  api_key: 'Requires API key',
  hmac: 'Requires HMAC signature',
  hmac_v2: 'Requires HMAC signature, scheme v2 only',
  hmac_any: 'Requires HMAC signature, v1 or v2',
}

/** The original's create_route flow: which methods, then the authentication each one requires. */
export async function askMethods(prompter: Prompter, current?: RouteMethods): Promise<RouteMethods> {
  const chosen = await prompter.multiselect<HttpMethod>({
    message: 'HTTP methods to support (space toggles, enter confirms)',
    flag: '--method',
    options: HTTP_METHODS.map((m) => ({ value: m, label: m })),
    initial: current ? HTTP_METHODS.filter((m) => current[m] !== undefined) : ['GET'],
  })
  const methods: RouteMethods = {}
  for (const method of chosen) {
    const rule = current?.[method]
    const auth = await prompter.select<AuthChoice>({
      message: `${method}: authentication`,
      flag: '--method',
      options: (['public', 'api_key', 'hmac', 'hmac_v2', 'hmac_any'] as const).map((a) => ({
        value: a,
        label: AUTH_LABELS[a],
      })),
      initial: rule ? authOf(rule) : 'public',
    })
    methods[method] = ruleFor(auth)
  }
  return methods
}
