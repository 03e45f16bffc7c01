import { execFileSync } from 'node:child_process'
import { closeSync, constants, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import fc from 'fast-check'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { type AuditEntry, createAuditLog, createLogger, REDACT_PATHS } from './audit'
import { auditLine } from './audit-line'

const ENTRY: AuditEntry = {
  request_id: '5f0c6b2ad1e84e0c9c1f0a7b3d2e4f61',
  client_ip: '203.0.113.7',
  client_id: '7d7a2b6e-7a0b-4b0a-9b9f-0c6f2f1d2e3a',
  client_name: 'Ünïcode "quoted" \\ name\n\u0001',
  domain: 'api.example.com',
  path: '/bench/key/items/42',
  target: '/bench/key/items/%34%32?q="x"\u00e9',
  route_id: '7d7a2b6e-7a0b-4b0a-9b9f-0c6f2f1d2e3b',
  route_service: 'orders',
  method: 'GET',
  allowed: false,
  status: 401,
  reason: 'invalid_credentials',
  detail: 'unknown_key',
  duration_ms: 0.123,
}

function capture(): { stream: Writable; text: () => string } {
  let text = ''
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8')
      done()
    },
  })
  return { stream, text: () => text }
}

/** What pino itself writes for the entry with createLogger's options, at a fixed time. */
function pinoLine(entry: AuditEntry, time: number): string {
  const out = capture()
  const logger = pino(
    {
      level: 'info',
      base: { service: 'gatekeeper-authz' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: () => `,"time":${time}`,
      formatters: { level: (label) => ({ level: label }) },
    },
    out.stream,
  )
  logger.info(entry, 'authz decision')
  return out.text()
}

describe('auditLine', () => {
  it('is byte for byte what pino writes for the same entry', () => {
    const time = 1795902052301
    expect(auditLine(ENTRY, time)).toBe(pinoLine(ENTRY, time))
    const allowed: AuditEntry = { ...ENTRY, allowed: true, status: 200, reason: 'authenticated', detail: undefined }
    expect(auditLine(allowed, time)).toBe(pinoLine(allowed, time))
    const unmatched: AuditEntry = {
      ...ENTRY,
      client_id: undefined,
      client_name: undefined,
      route_id: undefined,
      route_service: undefined,
      method: undefined,
      reason: 'no_route_match',
      status: 403,
    }
    expect(auditLine(unmatched, time)).toBe(pinoLine(unmatched, time))
  })

  it('writes a renamed client or route, or another status for the same reason, as it is now', () => {
    const time = 1795902052302
    const entries: AuditEntry[] = [
      ENTRY,
      { ...ENTRY, client_name: 'renamed' },
      { ...ENTRY, client_name: undefined },
      { ...ENTRY, route_service: 'billing' },
      { ...ENTRY, status: 403, reason: 'invalid_credentials' },
      { ...ENTRY, allowed: true, status: 401 },
      ENTRY,
    ]
    for (const entry of entries) expect(auditLine(entry, time)).toBe(pinoLine(entry, time))
  })

  it('names every field once (the route service is not a second `service`, which log parsers would resolve either way)', () => {
    const keys = [...auditLine(ENTRY, 1).matchAll(/[{,]"([a-z_]+)":/g)].map((m) => m[1])
    expect(new Set(keys).size).toBe(keys.length)
    expect(JSON.parse(auditLine(ENTRY, 1))).toMatchObject({ service: 'gatekeeper-authz', route_service: 'orders' })
  })
})

describe('auditLine on any text', () => {
  // Lone surrogates aside: pino writes them raw (invalid UTF-8 on the way out), the audit line escapes them.
  const wellFormed = (t: string) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(t)

  it('keeps a lone surrogate as an escape, so the line is valid JSON holding the same value', () => {
    const entry: AuditEntry = { ...ENTRY, client_name: 'a\ud800b', path: '/\udc00' }
    expect(JSON.parse(auditLine(entry, 1))).toMatchObject({ client_name: 'a\ud800b', path: '/\udc00' })
  })

  it('is what pino writes, whether or not a value needs escaping', () => {
    const value = fc.oneof(
      fc.constantFrom('', 'plain', '/a/b', 'x"y', 'back\\slash', 'tab\there', '\u2028', '\ud83d\ude00', 'é'),
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 6 }).filter(wellFormed),
    )
    const optional = fc.option(value, { nil: undefined })
    fc.assert(
      fc.property(
        fc.record({
          request_id: value,
          client_ip: value,
          client_id: optional,
          client_name: optional,
          domain: optional,
          path: optional,
          target: optional,
          route_id: optional,
          route_service: optional,
          method: optional,
          reason: value,
          detail: optional,
        }),
        (texts) => {
          const entry: AuditEntry = { ...ENTRY, ...texts }
          expect(auditLine(entry, 1795902052301)).toBe(pinoLine(entry, 1795902052301))
        },
      ),
      { numRuns: 2000 },
    )
  })
})

describe('createAuditLog', () => {
  it('writes one line per decision, gathered over a few event-loop turns, and flush() writes what is pending', async () => {
    const out = capture()
    const { logger, flush } = createLogger({ level: 'info', destination: out.stream })
    const audit = createAuditLog(logger)
    audit.decision(ENTRY)
    audit.decision({ ...ENTRY, request_id: 'second' })
    expect(out.text()).toBe('') // not yet: gathered into one write
    await new Promise((resolve) => setTimeout(resolve, 20))
    const lines = out.text().trimEnd().split('\n')
    expect(lines.map((l) => JSON.parse(l).request_id)).toEqual([ENTRY.request_id, 'second'])
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'info', msg: 'authz decision' })

    audit.decision({ ...ENTRY, request_id: 'third' })
    await flush(500)
    expect(out.text()).toContain('"request_id":"third"')
  })

  it('writes at once when 16 KiB have gathered', () => {
    const out = capture()
    const { logger } = createLogger({ level: 'info', destination: out.stream })
    const audit = createAuditLog(logger)
    for (let i = 0; i < 100; i++) audit.decision({ ...ENTRY, request_id: `r${i}` })
    const written = out
      .text()
      .split('\n')
      .filter((l) => l !== '')
    expect(written.length).toBeGreaterThan(0)
    expect(written.length).toBeLessThan(100)
    expect(JSON.parse(written[0] ?? '').request_id).toBe('r0')
  })

  it('writes nothing when info is disabled', async () => {
    const out = capture()
    const { logger } = createLogger({ level: 'warn', destination: out.stream })
    createAuditLog(logger).decision(ENTRY)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(out.text()).toBe('')
  })

  it('to a file descriptor: every line whole and in order, across buffers, with long lines and other log lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-audit-'))
    const file = join(dir, 'out.log')
    const fd = openSync(file, 'w')
    try {
      const { logger, flush } = createLogger({ level: 'info', fd })
      const audit = createAuditLog(logger)
      const names = ['plain', 'Ünïcode ✓ name', 'x'.repeat(30_000), '"quoted"\n']
      for (let i = 0; i < 3000; i++) {
        audit.decision({ ...ENTRY, request_id: `r${i}`, client_name: names[i % names.length] })
        if (i % 500 === 0) logger.info({ seq: i }, 'other line')
        if (i % 97 === 0) await new Promise((resolve) => setImmediate(resolve))
      }
      await flush(2000)
      const lines = readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l))
      const audits = lines.filter((l) => l.msg === 'authz decision')
      expect(audits.map((l) => l.request_id)).toEqual(Array.from({ length: 3000 }, (_, i) => `r${i}`))
      expect(audits.map((l) => l.client_name)).toEqual(Array.from({ length: 3000 }, (_, i) => names[i % names.length]))
      // Other lines keep their place: never before an audit line that was recorded earlier than them.
      for (const other of lines.filter((l) => l.msg === 'other line')) {
        const at = lines.indexOf(other)
        expect(lines.slice(0, at).filter((l) => l.msg === 'authz decision').length).toBeLessThanOrEqual(other.seq + 1)
      }
    } finally {
      closeSync(fd)
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('drops and counts what a stalled reader cannot take, within its bound, and says so once output flows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-audit-'))
    const fifo = join(dir, 'out.fifo')
    execFileSync('mkfifo', [fifo])
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK)
    const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK)
    try {
      const max = 256 * 1024
      const { logger, flush, droppedBytes } = createLogger({ level: 'info', fd: writer, maxBufferedBytes: max })
      const audit = createAuditLog(logger)
      // Nobody reads: the pipe (64 KiB) fills, then the queue up to `max`, then lines are dropped.
      let total = 0
      for (let i = 0; i < 5000; i++) {
        audit.decision({ ...ENTRY, request_id: `r${i}` })
        total += Buffer.byteLength(auditLine({ ...ENTRY, request_id: `r${i}` }, Date.now()))
        if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve))
      }
      await flush(50)
      expect(droppedBytes()).toBeGreaterThan(0)
      // Kept: what may wait (max), what the pipe holds (64 KiB), and the chunk still gathering (16 KiB).
      expect(total - droppedBytes()).toBeLessThanOrEqual(max + 64 * 1024 + 16 * 1024)

      // The reader comes back: what was queued is written, then one warning with the count.
      let text = ''
      const chunk = Buffer.alloc(64 * 1024)
      const deadline = Date.now() + 10_000
      while (!text.includes('lines were dropped') && Date.now() < deadline) {
        try {
          const n = readSync(reader, chunk)
          text += chunk.toString('utf8', 0, n)
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 20)) // EAGAIN: nothing yet
        }
      }
      const lines = text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l))
      const warning = lines.find((l) => l.msg === 'log output fell behind: lines were dropped')
      expect(warning).toMatchObject({ level: 'warn', dropped_bytes: droppedBytes() })
      // Whatever was written is whole lines, in order.
      const ids = lines.filter((l) => l.msg === 'authz decision').map((l) => Number(String(l.request_id).slice(1)))
      expect(ids.length).toBeGreaterThan(0)
      expect([...ids].sort((a, b) => a - b)).toEqual(ids)
    } finally {
      closeSync(writer)
      closeSync(reader)
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
