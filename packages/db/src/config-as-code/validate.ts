import { type ConfigDocument, configDocumentSchema } from '@gatekeeper/models'
import { type Document, isMap, isNode, isPair, isScalar, LineCounter, parseDocument } from 'yaml'
import { permissionKey, routeKey } from './canonical'

/** One thing wrong with a file: where (a path such as `permissions[2].client_name`, a 1-based line and column) and why. */
export type ConfigProblem = {
  path: string
  line: number | null
  column: number | null
  message: string
}

export type ParsedConfig = { ok: true; document: ConfigDocument } | { ok: false; problems: ConfigProblem[] }

type PathKey = string | number

export function formatPath(path: readonly PathKey[]): string {
  let out = ''
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? key : `.${key}`
  return out === '' ? '(document)' : out
}

/** The deepest node of the path that exists in the file (a missing key points at its parent object). */
function offsetOf(doc: Document, path: readonly PathKey[]): number | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true)
    if (isNode(node) && node.range) return node.range[0]
    if (isPair(node) && isNode(node.key) && node.key.range) return node.key.range[0]
  }
  return null
}

/** For an unknown key the value's node is the best place to point at (its key sits on the same line). */
function keyOffset(doc: Document, path: readonly PathKey[], key: string): number | null {
  const parent = path.length === 0 ? doc.contents : doc.getIn(path, true)
  if (isMap(parent)) {
    for (const pair of parent.items) {
      if (isScalar(pair.key) && pair.key.value === key && pair.key.range) return pair.key.range[0]
    }
  }
  return offsetOf(doc, path)
}

function position(lines: LineCounter, offset: number | null): { line: number | null; column: number | null } {
  if (offset === null) return { line: null, column: null }
  const pos = lines.linePos(offset)
  return { line: pos.line, column: pos.col }
}

function located(lines: LineCounter, offset: number | null, path: string, message: string): ConfigProblem {
  return { path, ...position(lines, offset), message }
}

/** Where a problem at a path (or at one key of the object there) sits in the file, when that is known. */
type Locate = (path: readonly PathKey[], key?: string) => { line: number | null; column: number | null }

/**
 * Parses a configuration file (YAML, or JSON, which YAML reads too) and checks it: syntax and
 * duplicate keys, the schema, then the references between entities. Every problem carries its place
 * in the file; nothing is thrown for bad input.
 */
export function parseConfigText(text: string): ParsedConfig {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false })
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((err) => located(lines, err.pos[0], '(syntax)', err.message.split('\n')[0] ?? '')),
    }
  }
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: 100 })
  } catch (err) {
    return { ok: false, problems: [located(lines, 0, '(document)', (err as Error).message)] }
  }
  return checkValue(value, (path, key) =>
    position(lines, key === undefined ? offsetOf(doc, path) : keyOffset(doc, path, key)),
  )
}

/**
 * The YAML reader keeps every node's place and reads about 0.6 MB/s: a server parses at most this much of a
 * file with it, so that a request cannot hold its event loop for long (about a third of a second).
 */
export const POSITIONAL_PARSE_LIMIT_BYTES = 256 * 1024

/**
 * A JSON file, checked as parseConfigText checks it but read with JSON.parse (a hundred times faster). A file
 * with problems is read again by the YAML reader for their line and column when it is at most
 * POSITIONAL_PARSE_LIMIT_BYTES; a larger one has its problems named by path only.
 */
export function parseConfigJson(text: string): ParsedConfig {
  const positional = Buffer.byteLength(text) <= POSITIONAL_PARSE_LIMIT_BYTES
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    // JSON.parse does not say where; the YAML reader (JSON is YAML) does for nearly every JSON mistake.
    if (positional) {
      const syntax = parseConfigText(text)
      if (!syntax.ok && syntax.problems.every((p) => p.path === '(syntax)')) return syntax
    }
    const message = `not valid JSON: ${(err as Error).message}`
    return { ok: false, problems: [{ path: '(syntax)', line: null, column: null, message }] }
  }
  // JSON.parse keeps the last of duplicate keys where the YAML reader refuses them.
  const duplicates = duplicateJsonKeys(text)
  const result: ParsedConfig =
    duplicates.length > 0
      ? {
          ok: false,
          problems: duplicates.map((p) => ({ path: formatPath(p.path), line: null, column: null, message: p.message })),
        }
      : checkValue(value, () => ({ line: null, column: null }))
  return !result.ok && positional ? parseConfigText(text) : result
}

/** The checks after syntax, on the value a file holds: JSON values only, the schema, the references. */
function checkValue(value: unknown, locate: Locate): ParsedConfig {
  const at = (path: readonly PathKey[], message: string, key?: string): ConfigProblem => ({
    path: formatPath(key === undefined ? path : [...path, key]),
    ...locate(path, key),
    message,
  })
  if (value === null || value === undefined) {
    return { ok: false, problems: [{ path: '(document)', line: 1, column: 1, message: 'the file is empty' }] }
  }
  const notJson = nonJsonValues(value)
  if (notJson.length > 0) return { ok: false, problems: sortProblems(notJson.map((p) => at(p.path, p.message))) }
  const parsed = configDocumentSchema.safeParse(value)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol')
      return issue.code === 'unrecognized_keys' ? at(path, issue.message, issue.keys[0] ?? '') : at(path, issue.message)
    })
    return { ok: false, problems: sortProblems(problems) }
  }
  const problems = referenceProblems(parsed.data).map((p) => at(p.path, p.message))
  if (problems.length > 0) return { ok: false, problems: sortProblems(problems) }
  return { ok: true, document: parsed.data }
}

type JsonFrame = { keys: Set<string> | null; key: string; index: number }

/** Keys given twice in one object of a text JSON.parse accepted (a single scan, no second parse). */
function duplicateJsonKeys(text: string): RawProblem[] {
  const problems: RawProblem[] = []
  const stack: JsonFrame[] = []
  let expectKey = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '"') {
      let end = i + 1
      let escaped = false
      for (; text[end] !== '"'; end++) {
        if (text[end] === '\\') {
          escaped = true
          end++
        }
      }
      const top = stack.at(-1)
      if (expectKey && top?.keys) {
        const key = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : text.slice(i + 1, end)
        if (top.keys.has(key)) {
          const path = stack.slice(0, -1).map((f): PathKey => (f.keys ? f.key : f.index))
          problems.push({ path: [...path, key], message: `duplicate key ${JSON.stringify(key)}` })
        }
        top.keys.add(key)
        top.key = key
        expectKey = false
      }
      i = end
    } else if (ch === '{') {
      stack.push({ keys: new Set(), key: '', index: 0 })
      expectKey = true
    } else if (ch === '[') {
      stack.push({ keys: null, key: '', index: 0 })
    } else if (ch === '}' || ch === ']') {
      stack.pop()
      expectKey = false
    } else if (ch === ',') {
      const top = stack.at(-1)
      if (top?.keys) expectKey = true
      else if (top) top.index++
    }
  }
  return problems
}

/**
 * Values YAML can write and JSON cannot hold (.inf, .nan, !!binary, !!set, !!omap...). The schema does not see
 * them where it takes any JSON (a client's metadata): stored, .inf would become null and a !!binary an object,
 * so the live state would differ from the file without the plan saying so, or never stop differing.
 */
function nonJsonValues(root: unknown): RawProblem[] {
  const problems: RawProblem[] = []
  // Iterative: a deeply nested file must give a problem, not exhaust the stack.
  const pending: { value: unknown; path: PathKey[] }[] = [{ value: root, path: [] }]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path } = next
    if (value === null || typeof value === 'string' || typeof value === 'boolean') continue
    if (typeof value === 'number') {
      if (!Number.isFinite(value))
        problems.push({ path, message: `${value} is not a number JSON can hold (a finite number is)` })
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) pending.push({ value: item, path: [...path, i] })
    } else if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      for (const [key, item] of Object.entries(value)) pending.push({ value: item, path: [...path, key] })
    } else {
      const what = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value
      problems.push({
        path,
        message: `a YAML-only value (${what}, from a tag such as !!binary or !!set): use strings, finite numbers, booleans, null, lists and mappings`,
      })
    }
  }
  return problems
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
}

type RawProblem = { path: PathKey[]; message: string }

/** Names must be unique and every reference must resolve inside the file (it is the whole desired state). */
export function referenceProblems(doc: ConfigDocument): RawProblem[] {
  const problems: RawProblem[] = []
  const firstIndex = <T>(items: readonly T[], key: (item: T) => string, section: string, what: string) => {
    const seen = new Map<string, number>()
    items.forEach((item, index) => {
      const k = key(item)
      const first = seen.get(k)
      if (first === undefined) seen.set(k, index)
      else problems.push({ path: [section, index], message: `duplicate ${what} (first at ${section}[${first}])` })
    })
    return seen
  }

  const routes = new Map(doc.routes.map((r) => [routeKey(r), r]))
  firstIndex(doc.routes, routeKey, 'routes', 'route: the same domain and route_pattern')
  const clients = firstIndex(doc.clients, (c) => c.client_name, 'clients', 'client_name')
  firstIndex(doc.permissions, permissionKey, 'permissions', 'permission: the same client and route')
  firstIndex(doc.rate_limits, (r) => r.client_name, 'rate_limits', 'rate limit for this client')
  firstIndex(doc.console_admins, (a) => a.email, 'console_admins', 'console admin email')

  const credentialIds = new Map<string, string>()
  doc.clients.forEach((client, ci) => {
    const kinds = new Set<string>()
    client.credentials.forEach((cred, ki) => {
      if (kinds.has(cred.kind)) {
        problems.push({
          path: ['clients', ci, 'credentials', ki],
          message: `a client has at most one current ${cred.kind}`,
        })
      }
      kinds.add(cred.kind)
      if (cred.id !== undefined) {
        const owner = credentialIds.get(cred.id)
        if (owner !== undefined) {
          problems.push({
            path: ['clients', ci, 'credentials', ki, 'id'],
            message: `credential ${cred.id} is also listed under client ${JSON.stringify(owner)}`,
          })
        } else credentialIds.set(cred.id, client.client_name)
      }
    })
  })

  doc.permissions.forEach((permission, index) => {
    if (!clients.has(permission.client_name)) {
      problems.push({
        path: ['permissions', index, 'client_name'],
        message: `no client named ${JSON.stringify(permission.client_name)} in clients`,
      })
    }
    const route = routes.get(routeKey(permission))
    if (route === undefined) {
      problems.push({
        path: ['permissions', index, 'route_pattern'],
        message: `no route ${permission.route_pattern} on domain ${permission.domain} in routes`,
      })
      return
    }
    // The array itself is pointed at: the parsed methods are deduplicated and sorted, so their
    // indexes are not the file's.
    const missing = permission.allowed_methods.filter((method) => route.methods[method] === undefined)
    if (missing.length > 0) {
      problems.push({
        path: ['permissions', index, 'allowed_methods'],
        message: `${missing.join(', ')} not configured on route ${permission.domain} ${permission.route_pattern} (it has ${Object.keys(route.methods).join(', ')})`,
      })
    }
  })

  doc.rate_limits.forEach((limit, index) => {
    if (!clients.has(limit.client_name)) {
      problems.push({
        path: ['rate_limits', index, 'client_name'],
        message: `no client named ${JSON.stringify(limit.client_name)} in clients`,
      })
    }
  })
  return problems
}
