// A strict parser for Structured Field Dictionaries (RFC 8941 / RFC 9651 section 4.2.2), enough to read
// `Content-Digest` (RFC 9530), which is one. Members may hold any item type (so a digest from an algorithm we do
// not know is skipped, not an error) or an inner list; parameters are parsed and dropped. One deliberate
// departure: a repeated key is an error instead of "last one wins", because two field lines that each carry
// `sha-256` would otherwise mean one digest to us and possibly the other to the upstream.

export type SfItem =
  | { type: 'integer' | 'decimal'; value: number }
  | { type: 'string' | 'token'; value: string }
  | { type: 'bytes'; value: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'inner_list' }

export type SfDictionaryResult =
  | { ok: true; members: Map<string, SfItem> }
  | { ok: false; reason: 'malformed' | 'duplicate_key' }

class Malformed extends Error {}

const KEY_START = /[a-z*]/
const KEY_CHAR = /[a-z0-9_\-.*]/
const TOKEN_START = /[A-Za-z*]/
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/
const BASE64_CHAR = /[A-Za-z0-9+/=]/
const DIGIT = /[0-9]/

class Reader {
  at = 0
  constructor(readonly text: string) {}

  peek(): string {
    return this.text[this.at] ?? ''
  }

  take(): string {
    const c = this.peek()
    if (c === '') throw new Malformed()
    this.at++
    return c
  }

  expect(c: string): void {
    if (this.take() !== c) throw new Malformed()
  }

  skip(chars: string): void {
    while (this.peek() !== '' && chars.includes(this.peek())) this.at++
  }

  done(): boolean {
    return this.at >= this.text.length
  }
}

function parseKey(r: Reader): string {
  if (!KEY_START.test(r.peek())) throw new Malformed()
  let key = r.take()
  while (r.peek() !== '' && KEY_CHAR.test(r.peek())) key += r.take()
  return key
}

function parseNumber(r: Reader): SfItem {
  let text = r.peek() === '-' ? r.take() : ''
  if (!DIGIT.test(r.peek())) throw new Malformed()
  let intDigits = 0
  let fracDigits = -1
  while (DIGIT.test(r.peek()) || (r.peek() === '.' && fracDigits < 0)) {
    const c = r.take()
    if (c === '.') {
      if (intDigits > 12) throw new Malformed()
      fracDigits = 0
    } else if (fracDigits >= 0) {
      fracDigits++
    } else {
      intDigits++
    }
    text += c
    if (fracDigits < 0 ? intDigits > 15 : fracDigits > 3) throw new Malformed()
  }
  if (fracDigits === 0) throw new Malformed()
  return { type: fracDigits < 0 ? 'integer' : 'decimal', value: Number(text) }
}

function parseString(r: Reader): SfItem {
  r.expect('"')
  let value = ''
  for (;;) {
    const c = r.take()
    if (c === '"') return { type: 'string', value }
    if (c === '\\') {
      const next = r.take()
      if (next !== '"' && next !== '\\') throw new Malformed()
      value += next
    } else {
      const code = c.charCodeAt(0)
      if (code < 0x20 || code > 0x7e) throw new Malformed()
      value += c
    }
  }
}

function parseBareItem(r: Reader): SfItem {
  const c = r.peek()
  if (c === '-' || DIGIT.test(c)) return parseNumber(r)
  if (c === '"') return parseString(r)
  if (c === ':') {
    r.take()
    let value = ''
    while (r.peek() !== ':') {
      const b = r.take()
      if (!BASE64_CHAR.test(b)) throw new Malformed()
      value += b
    }
    r.take()
    return { type: 'bytes', value }
  }
  if (c === '?') {
    r.take()
    const v = r.take()
    if (v !== '0' && v !== '1') throw new Malformed()
    return { type: 'boolean', value: v === '1' }
  }
  if (TOKEN_START.test(c)) {
    let value = r.take()
    while (r.peek() !== '' && TOKEN_CHAR.test(r.peek())) value += r.take()
    return { type: 'token', value }
  }
  throw new Malformed()
}

function skipParameters(r: Reader): void {
  while (r.peek() === ';') {
    r.take()
    r.skip(' ')
    parseKey(r)
    if (r.peek() === '=') {
      r.take()
      parseBareItem(r)
    }
  }
}

function parseInnerList(r: Reader): SfItem {
  r.expect('(')
  for (;;) {
    r.skip(' ')
    if (r.peek() === ')') {
      r.take()
      skipParameters(r)
      return { type: 'inner_list' }
    }
    parseBareItem(r)
    skipParameters(r)
    if (r.peek() !== ' ' && r.peek() !== ')') throw new Malformed()
  }
}

function parseMembers(r: Reader): SfDictionaryResult {
  const members = new Map<string, SfItem>()
  r.skip(' ')
  for (;;) {
    const key = parseKey(r)
    let item: SfItem = { type: 'boolean', value: true }
    if (r.peek() === '=') {
      r.take()
      item = r.peek() === '(' ? parseInnerList(r) : parseBareItem(r)
    }
    if (item.type !== 'inner_list') skipParameters(r)
    if (members.has(key)) return { ok: false, reason: 'duplicate_key' }
    members.set(key, item)
    r.skip(' \t')
    if (r.done()) return { ok: true, members }
    r.expect(',')
    r.skip(' \t')
    if (r.done()) throw new Malformed()
  }
}

/** Parses a whole field value (several field lines joined with `, ` are one dictionary). */
export function parseSfDictionary(text: string): SfDictionaryResult {
  try {
    return parseMembers(new Reader(text))
  } catch (err) {
    if (err instanceof Malformed) return { ok: false, reason: 'malformed' }
    throw err
  }
}
