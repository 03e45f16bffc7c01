import { beforeAll, describe, expect, it } from 'vitest'
import { type CheckContext, CheckFailed, PROTECTED_API_CHECKS } from '../src/checks'
import { replaceDirective, withoutDirective } from '../src/mutate'
import { checkContext, exhaustLimit } from '../src/scenario'
import type { StackNginx } from '../src/stack'
import { useStack } from '../src/use-stack'

// The shipped config is load-bearing: take out any one of these directives and a check notices. Each mutation
// removes one line from nginx/protected-api.conf as read from disk (and fails loudly if the line has moved), runs
// the broken copy against the same authz, and expects exactly its check to fail.

type CheckName = keyof typeof PROTECTED_API_CHECKS

const AUTH = 'location = /_gatekeeper/authz {'
const PROTECTED = 'location / {'
const AUTHZ_UPSTREAM = 'upstream gatekeeper_authz {'

interface Mutation {
  /** What is taken out, for the test's name. */
  name: string
  mutate(text: string): string
  breaks: CheckName
  /** What the failing check must report. */
  saw: RegExp
}

const remove = (from: string, directive: string) => (text: string) => withoutDirective(text, from, directive)

const MUTATIONS: readonly Mutation[] = [
  {
    name: 'keepalive 32',
    mutate: remove(AUTHZ_UPSTREAM, 'keepalive 32;'),
    breaks: 'keepalive',
    saw: /opened \d+ connections/,
  },
  {
    name: 'proxy_http_version 1.1 (auth location)',
    mutate: remove(AUTH, 'proxy_http_version 1.1;'),
    breaks: 'keepalive',
    saw: /opened \d+ connections/,
  },
  {
    name: 'Connection "" (auth location)',
    mutate: remove(AUTH, 'proxy_set_header Connection "";'),
    breaks: 'keepalive',
    saw: /opened \d+ connections/,
  },
  {
    name: 'error_page 500 = @gatekeeper_error (the 429 mapping)',
    mutate: remove(PROTECTED, 'error_page 500 = @gatekeeper_error;'),
    breaks: 'rateLimited',
    saw: /status 500/,
  },
  {
    name: 'proxy_set_header X-Auth-Client-ID',
    mutate: remove(PROTECTED, 'proxy_set_header X-Auth-Client-ID      $gk_client_id;'),
    breaks: 'identityNotSpoofable',
    saw: /x-auth-client-id: spoofed-client/,
  },
  {
    name: "proxy_set_header X-Client-ID (the original system's name)",
    mutate: remove(PROTECTED, 'proxy_set_header X-Client-ID           $gk_client_id;'),
    breaks: 'identityNotSpoofable',
    saw: /x-client-id: spoofed-client/,
  },
  {
    name: 'proxy_set_header X-Original-Client-IP (auth location)',
    mutate: remove(AUTH, 'proxy_set_header X-Original-Client-IP $remote_addr;'),
    breaks: 'clientIpNotSpoofable',
    saw: /client_ip 203\.0\.113\.66/,
  },
  {
    // The original system's example: "forward request body for HMAC validation".
    name: 'proxy_pass_request_body off (replaced by the original body forwarding)',
    mutate: (text) =>
      replaceDirective(
        replaceDirective(text, AUTH, 'proxy_pass_request_body off;', 'proxy_pass_request_body on;'),
        AUTH,
        'proxy_set_header Content-Length "";',
        'proxy_set_header Content-Length $content_length;',
      ),
    breaks: 'postBody',
    saw: /hmac: status 503/,
  },
]

const {
  stack,
  scenario: s,
  nginx: shipped,
} = useStack('protected-api.conf', {}, { name: 'shipped', countAuthzConnections: true })

beforeAll(async () => {
  await exhaustLimit(shipped, s)
})

function context(nginx: StackNginx): CheckContext {
  return checkContext(stack, nginx, s)
}

describe('nginx/protected-api.conf is load-bearing', () => {
  it.each(MUTATIONS)('without $name, the $breaks check fails', async ({ mutate, breaks, saw }) => {
    const check = PROTECTED_API_CHECKS[breaks]
    // Control: the shipped file passes this very check.
    await check(context(shipped))

    const broken = await stack.nginx('protected-api.conf', {
      name: `without-${breaks}`,
      mutate,
      countAuthzConnections: true,
    })
    try {
      const failure = await check(context(broken)).then(
        () => undefined,
        (err: unknown) => err,
      )
      expect(failure, 'the broken config passed the check').toBeInstanceOf(CheckFailed)
      expect(String(failure)).toMatch(saw)
    } finally {
      await broken.stop()
    }
  })
})
