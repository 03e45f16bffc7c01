import fc from 'fast-check'

// Request cases for the differential test. Targets, headers and hosts are templates: `{A}` and `{B}` stand for the
// API keys of clients A and B, `{X}` for a well-formed key nobody owns; they are filled in when the case is sent,
// so a counterexample reads the same in every run.

export interface ParityCase {
  method: string
  /** The raw request target, sent byte for byte (latin1). */
  target: string
  /** The Host header; null sends none. */
  host: string | null
  /** The Authorization header; null sends none. */
  authorization: string | null
}

const WORDS = ['pub', 'secret', 'key', 'exact', 'docs', 'internal', 'payroll', 'x', 'items'] as const

/** Each character upper- or lower-cased at random: routers differ on case sensitivity. */
const caseVariant = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((flags) => [...word].map((ch, i) => (flags[i] ? ch.toUpperCase() : ch)).join(''))

/** One character percent-encoded, in upper- or lower-case hex: `secr%65t`, `%53ecret`. */
const encodedVariant = (word: string) =>
  fc.tuple(fc.nat({ max: word.length - 1 }), fc.boolean()).map(([at, upper]) => {
    const hex = (word.charCodeAt(at) ?? 0).toString(16).padStart(2, '0')
    return `${word.slice(0, at)}%${upper ? hex.toUpperCase() : hex}${word.slice(at + 1)}`
  })

const word = fc
  .constantFrom(...WORDS)
  .chain((w) =>
    fc.oneof(
      { weight: 16, arbitrary: fc.constant(w) },
      { weight: 1, arbitrary: caseVariant(w) },
      { weight: 1, arbitrary: encodedVariant(w) },
    ),
  )

/** `.` and `..` in every spelling a parser might resolve: encoded, mixed case, double-encoded, overlong UTF-8. */
const DOTS = [
  '.',
  '..',
  '%2e',
  '%2E',
  '.%2e',
  '%2e.',
  '%2E%2E',
  '%2e%2E',
  '.%2E',
  '%252e%252e',
  '%c0%ae%c0%ae',
  '%C0%AE',
  '%e0%80%ae%e0%80%ae',
  '%ef%bc%8e%ef%bc%8e',
  '..;',
  '.;',
  '..%3b',
  '..%3B',
  '..%00',
  '..%5c',
  '..\\',
  '..%2f',
  '...',
  '%u002e%u002e',
] as const

/** Whole segments (or segment suffixes) that separate, terminate or escape differently from parser to parser. */
const ODD = [
  '',
  ';',
  ';x=1',
  ';jsessionid=1',
  '%2f',
  '%2F',
  '%5c',
  '%5C',
  '\\',
  '%00',
  '%c0%af',
  '%C3%A9',
  '\xe9',
  '%20',
  '%09',
  '%ff',
  '~',
  '%7e',
  '%7E',
  '%3f',
  '%23',
  '#',
  '%25',
  '*',
  '%2a',
] as const

const segment = fc.oneof(
  { weight: 10, arbitrary: word },
  { weight: 4, arbitrary: fc.constantFrom(...DOTS) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD) },
  { weight: 2, arbitrary: fc.tuple(word, fc.constantFrom(...ODD)).map(([w, odd]) => `${w}${odd}`) },
)

const joined = (segments: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.array(segments, { minLength: 1, maxLength: 6 }), fc.nat({ max: 4 }))
    .map(([parts, tail]) => `/${parts.join('/')}${tail === 0 ? '/' : ''}`)

/**
 * A third of the paths are made of words only (case and encoding variants included), so that plenty of requests
 * are allowed and served and the property has something to compare; the rest mix in every trick.
 */
const path = fc.oneof({ weight: 1, arbitrary: joined(word) }, { weight: 2, arbitrary: joined(segment) })

const KEYS = ['{A}', '{B}', '{X}'] as const

/** Query parameters, most of them something an upstream framework could read as `api_key`. */
const param = fc.tuple(fc.constantFrom(...KEYS), fc.nat({ max: 24 })).map(([k, pick]) => {
  const forms = [
    'a=1',
    `api_key=${k}`,
    `api_key=${k}`,
    `API_KEY=${k}`,
    `Api_Key=${k}`,
    `api_key[]=${k}`,
    `api_key%5B%5D=${k}`,
    `api%5Fkey=${k}`,
    `api%5fkey=${k}`,
    `api_key%00=${k}`,
    `api_key%20=${k}`,
    `%61pi_key=${k}`,
    `api+key=${k}`,
    'api_key',
    'api_key=',
    `x=1;api_key=${k}`,
    `;api_key=${k}`,
    `api_key=${k}%00`,
    `api_key=${k}&api_key=${k}`,
    `api_key.=${k}`,
    `api-key=${k}`,
    `apikey=${k}`,
    `api_key=${k};`,
    `api_key=${k}%26`,
    'q=%2e%2e',
  ]
  return forms[pick] ?? 'a=1'
})

const query = fc.oneof(
  { weight: 5, arbitrary: fc.constant('') },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.array(param, { minLength: 1, maxLength: 3 }), fc.constantFrom('&', ';', '&&'))
      .map(([params, sep]) => `?${params.join(sep)}`),
  },
  { weight: 1, arbitrary: fc.constant('?') },
)

const HOSTS = [
  'api.example.com',
  'API.Example.COM',
  'api.example.com.',
  'api.example.com:80',
  'anything.invalid',
  '127.0.0.1',
  'api.example.com.evil',
  'evil.api.example.com',
  'localhost',
  '',
] as const

const host = fc.oneof(
  { weight: 12, arbitrary: fc.constant<string | null>('api.example.com') },
  { weight: 3, arbitrary: fc.constantFrom<string | null>(...HOSTS) },
  { weight: 1, arbitrary: fc.constant<string | null>(null) },
)

const authorization = fc.oneof(
  { weight: 4, arbitrary: fc.constant<string | null>(null) },
  {
    weight: 4,
    arbitrary: fc.constantFrom<string | null>(
      'Bearer {A}',
      'Bearer {B}',
      'ApiKey {A}',
      '{A}',
      'bearer {B}',
      'Bearer {X}',
      'Basic Zm9vOmJhcg==',
    ),
  },
)

const method = fc.oneof(
  { weight: 8, arbitrary: fc.constant('GET') },
  { weight: 2, arbitrary: fc.constantFrom('POST', 'DELETE', 'PUT') },
  { weight: 1, arbitrary: fc.constant('HEAD') },
)

/** Mostly origin-form targets; now and then the absolute form, whose host nginx prefers to the Host header. */
const target = fc.oneof(
  { weight: 20, arbitrary: fc.tuple(path, query).map(([p, q]) => `${p}${q}`) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('api.example.com', 'anything.invalid', 'API.EXAMPLE.COM'), path, query)
      .map(([h, p, q]) => `http://${h}${p}${q}`),
  },
)

export const parityCase: fc.Arbitrary<ParityCase> = fc.record({ method, target, host, authorization })

/** Cases written by hand: the reproductions the differential test was built for, and what it has found since. */
export interface Regression extends ParityCase {
  why: string
  /** What must happen through every config and upstream: refused by nginx or authz, or served (and judged). */
  outcome: 'refused' | 'served'
}

export const REGRESSIONS: readonly Regression[] = [
  ...['/secret/../pub/x', '/secret/%2e%2e/pub/x', '/secret/.%2E/pub/x', '/secret/x/../../pub/y'].map((target) => ({
    why: 'dot segments out of /secret: Werkzeug runs the /secret handler on the raw path',
    outcome: 'refused' as const,
    method: 'GET',
    target,
    host: 'api.example.com',
    authorization: null,
  })),
  {
    why: 'empty segment before ..: nginx drops it first, WHATWG URL (Hono) does not',
    outcome: 'refused',
    method: 'GET',
    target: '/secret//../pub/x',
    host: 'api.example.com',
    authorization: null,
  },
  ...['/secret/../key/x', '/secret//../key/x'].map((target) => ({
    why: "client A (granted /key only) reaching /secret's handler",
    outcome: 'refused' as const,
    method: 'GET',
    target,
    host: 'api.example.com',
    authorization: 'Bearer {A}',
  })),
  ...['anything.invalid', '127.0.0.1', 'api.example.com.evil'].map((host) => ({
    why: 'an unknown Host falling back to the * routes while the upstream ignores Host',
    outcome: 'refused' as const,
    method: 'GET',
    target: '/docs/internal/payroll',
    host,
    authorization: null,
  })),
  ...['?API_KEY={B}', '?api_key[]={B}', '?x=1;api_key={B}', '?api_key%00={B}'].map((q) => ({
    why: "a second credential in an api_key lookalike: authz used A's, B's travelled upstream",
    outcome: 'refused' as const,
    method: 'GET',
    target: `/key/x${q}`,
    host: 'api.example.com',
    authorization: 'Bearer {A}',
  })),
  // Found by the generator against the authz that resolved dot segments and empty segments and accepted
  // case, trailing-slash and percent-encoded variants of a route (docs/security.md).
  ...(
    [
      ['/pub/.%2e', null, 'authz: the catch-all; Express and Flask: /pub'],
      ['/dOCS', null, 'Express routes case-insensitively: /docs, authz: the catch-all'],
      ['/KeY', 'Bearer {A}', 'Express: /key, authz: the catch-all'],
      ['/Secret/%2E%2E', null, 'Express: /secret, authz: the catch-all'],
      ['/exact/', null, 'Express ignores the trailing slash: /exact, authz: the catch-all'],
      ['/./exact', '{A}', 'authz: /exact; Werkzeug and Express: the catch-all'],
      ['/pu%62/', null, 'authz decoded /pub; Express matches raw bytes: the catch-all'],
      ['http://API.EXAMPLE.COM//pub/internal/docs', 'ApiKey {A}', 'Hono: //pub is a host, the catch-all'],
      ['/key/%2e./pub/pub', 'Bearer {B}', 'authz: /pub; Express and Werkzeug: /key'],
      ['/docs/%2e.', null, 'authz: the catch-all; Express and Werkzeug: /docs'],
      ['/%2E/docs/', null, 'authz: /docs; Express and Werkzeug: the catch-all'],
      ['/key/payr%6fll/pub/?api%5fkey={A}&api_key.={B}', null, "A's key, consumed, reached the upstream"],
    ] as const
  ).map(([target, authorization, why]) => ({
    why,
    outcome: 'refused' as const,
    method: 'GET',
    target,
    host: 'api.example.com',
    authorization,
  })),
  // Found by the first 100,000-case run against the fixed authz: the consumed key again under a name authz does
  // not read, and PHP's reading of a space in a name as `_`.
  ...(
    [
      ['GET', '/exact?api_key.={A}', 'ApiKey {A}'],
      ['GET', '/secret/payroll?api-key={B}&api_key={B}', null],
      ['GET', '/key?api+key={A}', 'ApiKey {A}'],
      ['POST', '/pub?apikey={A}', 'Bearer {A}'],
      ['GET', '/key/x/internal?a=1&&api-key={A}&&api%5Fkey={A}', null],
      ['GET', '/key/x?api+key={B}', 'Bearer {A}'],
      ['GET', '/key/{A}', 'Bearer {A}'],
    ] as const
  ).map(([method, target, authorization]) => ({
    why: 'the key authz consumed, or another one as PHP reads names, would reach the upstream',
    outcome: 'refused' as const,
    method,
    target,
    host: 'api.example.com',
    authorization,
  })),
  {
    why: "a query-string method override: with Express's method-override, A's allowed POST would run as a DELETE",
    outcome: 'refused',
    method: 'POST',
    target: '/key/x?_method=DELETE',
    host: 'api.example.com',
    authorization: 'Bearer {A}',
  },
  // HEAD runs the GET handler in every upstream, so authz decides it as that GET (docs/security.md).
  ...(
    [
      ['/key/x', null, 'HEAD configured public on /key: anyone ran the GET handler, which needs A'],
      ['/secret/x', 'Bearer {A}', 'A, granted HEAD on /secret but not GET, ran the GET handler'],
    ] as const
  ).map(([target, authorization, why]) => ({
    why,
    outcome: 'refused' as const,
    method: 'HEAD',
    target,
    host: 'api.example.com',
    authorization,
  })),
  ...(
    [
      ['/pub/x', null],
      ['/secret/x', 'Bearer {B}'],
      ['/key/x', 'Bearer {A}'],
    ] as const
  ).map(([target, authorization]) => ({
    why: 'a HEAD is allowed where the GET it runs is',
    outcome: 'served' as const,
    method: 'HEAD',
    target,
    host: 'api.example.com',
    authorization,
  })),
  {
    why: 'an api_key query parameter authz consumed must not reach the upstream',
    outcome: 'served',
    method: 'GET',
    target: '/key/x?a=1&api_key={A}&b=2',
    host: 'api.example.com',
    authorization: null,
  },
  {
    why: 'an Authorization header authz consumed must not reach the upstream',
    outcome: 'served',
    method: 'GET',
    target: '/key/x',
    host: 'api.example.com',
    authorization: 'Bearer {A}',
  },
]

/**
 * Framing and header tricks, written byte for byte (`\n` is sent as CRLF; `{A}`, `{B}` are keys): request
 * smuggling between nginx and the upstream, folded and underscored header names, Host conflicts, pipelining.
 * `statuses`: every response the client must get, in order, through every config and upstream (an empty list: the
 * connection closed unanswered, nginx's 444). Each upstream reply in the stream is judged as well.
 */
export interface RawCase {
  why: string
  raw: string
  statuses: readonly number[]
  /** The upstream must see no client at all (a client-sent identity header must not pass for authz's). */
  anonymous?: boolean
}

const HOST_LINE = 'Host: api.example.com\n'
const SMUGGLED = `GET /secret/x HTTP/1.1\n${HOST_LINE}\n`

export const RAW_CASES: readonly RawCase[] = [
  {
    why: 'Content-Length and Transfer-Encoding together (CL.TE / TE.CL smuggling): refused by nginx',
    raw: `POST /pub/x HTTP/1.1\n${HOST_LINE}Authorization: Bearer {A}\nContent-Length: ${5 + SMUGGLED.length}\nTransfer-Encoding: chunked\n\n0\n\n${SMUGGLED}`,
    statuses: [400],
  },
  {
    why: 'a request after the last chunk is read as the next request on the connection, and decided as one',
    raw: `POST /pub/x HTTP/1.1\n${HOST_LINE}Authorization: Bearer {A}\nTransfer-Encoding: chunked\n\n5;ext=1\nhello\n0\n\nGET /secret/x HTTP/1.1\n${HOST_LINE}Connection: close\n\n`,
    statuses: [200, 401],
  },
  ...['xchunked', 'chunked, identity'].map((te) => ({
    why: `an unknown transfer coding (${te}): 501 from nginx, never passed on`,
    raw: `POST /pub/x HTTP/1.1\n${HOST_LINE}Authorization: Bearer {A}\nContent-Length: 5\nTransfer-Encoding: ${te}\nConnection: close\n\nhello`,
    statuses: [501],
  })),
  ...[
    ['Transfer-Encoding : chunked\nContent-Length: 5\n', 'a space before the colon'],
    ['Transfer-Encoding: chunked\nTransfer-Encoding: chunked\n', 'Transfer-Encoding twice'],
    ['Content-Length: 5\nContent-Length: 6\n', 'two Content-Length values'],
    ['X-Foo: a\n Transfer-Encoding: chunked\n', 'a folded (obs-fold) line'],
  ].map(([lines, what]) => ({
    why: `${what}: 400 from nginx`,
    raw: `POST /pub/x HTTP/1.1\n${HOST_LINE}Authorization: Bearer {A}\n${lines}Connection: close\n\nhello!`,
    statuses: [400],
  })),
  {
    why: 'a folded Authorization value is refused, not joined into a credential',
    raw: `GET /secret/x HTTP/1.1\n${HOST_LINE}Authorization: Bearer\n {B}\nConnection: close\n\n`,
    statuses: [400],
  },
  {
    why: 'a GET body holding a request is a body, never a second request',
    raw: `GET /pub/x HTTP/1.1\n${HOST_LINE}Connection: close\nContent-Length: ${SMUGGLED.length}\n\n${SMUGGLED}`,
    statuses: [200],
  },
  {
    why: 'HTTP/1.0 keep-alive: the pipelined request is decided on its own',
    raw: `GET /pub/x HTTP/1.0\n${HOST_LINE}Connection: keep-alive\n\nGET /secret/x HTTP/1.0\n${HOST_LINE}\n`,
    statuses: [200, 401],
  },
  {
    why: 'Expect: 100-continue',
    raw: `POST /pub/x HTTP/1.1\n${HOST_LINE}Authorization: Bearer {A}\nExpect: 100-continue\nContent-Length: 5\nConnection: close\n\nhello`,
    statuses: [100, 200],
  },
  {
    why: 'underscored names (WSGI reads X_Auth_Client_ID as X-Auth-Client-ID): nginx drops them',
    raw: `GET /pub/x HTTP/1.1\n${HOST_LINE}X_Auth_Client_ID: spoofed\nX_Auth_Route_ID: spoofed\nConnection: close\n\n`,
    statuses: [200],
    anonymous: true,
  },
  {
    why: 'an underscored X_Original_URI never reaches authz as the decided path',
    raw: `GET /secret/x HTTP/1.1\n${HOST_LINE}X_Original_URI: /pub/x\nConnection: close\n\n`,
    statuses: [401],
  },
  {
    why: 'Connection naming the identity headers and Authorization (hop-by-hop stripping)',
    raw: `GET /pub/x HTTP/1.1\n${HOST_LINE}Connection: close, X-Auth-Route-ID, X-Auth-Client-ID, Authorization\n\n`,
    statuses: [200],
    anonymous: true,
  },
  {
    why: 'two Host headers: 400 from nginx',
    raw: `GET /docs/internal/x HTTP/1.1\n${HOST_LINE}Host: other.invalid\nConnection: close\n\n`,
    statuses: [400],
  },
  {
    why: "absolute form: its host wins over the Host header, for nginx, authz and the upstream's Host alike",
    raw: `GET http://api.example.com/docs/internal/x HTTP/1.1\nHost: other.invalid\nConnection: close\n\n`,
    statuses: [401],
  },
  {
    why: 'absolute form naming a host no server serves: closed',
    raw: `GET http://other.invalid/docs/internal/x HTTP/1.1\n${HOST_LINE}Connection: close\n\n`,
    statuses: [],
  },
  {
    why: 'absolute form with userinfo: 400 from nginx',
    raw: `GET http://u:p@api.example.com/docs/internal/x HTTP/1.1\n${HOST_LINE}Connection: close\n\n`,
    statuses: [400],
  },
  { why: 'HTTP/0.9 (no Host): closed', raw: 'GET /secret/x\n', statuses: [] },
  {
    why: 'a lower-case method: 400 from nginx',
    raw: `get /secret/x HTTP/1.1\n${HOST_LINE}Connection: close\n\n`,
    statuses: [400],
  },
  {
    why: 'TRACE: 405 from nginx',
    raw: `TRACE /secret/x HTTP/1.1\n${HOST_LINE}Connection: close\n\n`,
    statuses: [405],
  },
  {
    why: 'an unknown method is not configured: 403',
    raw: `FOO /pub/x HTTP/1.1\n${HOST_LINE}Connection: close\n\n`,
    statuses: [403],
  },
]
