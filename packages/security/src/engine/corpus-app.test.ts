import { describe, expect, it } from 'vitest'
import { renderClientRequest, toAuthzRequest } from '../corpus/render'
import { loadCorpus, OUTCOME_STATUSES } from '../corpus/schema'
import { scenarioApp } from './scenario'

// Every corpus entry through authz's own app in-process (app.request(), Fetch Headers: repeated headers arrive
// joined with ", "). The same entries go through a real authz and a real nginx in test/bypass-corpus.sys.test.ts.

const corpus = loadCorpus()
const s = scenarioApp()

// Fetch Headers cannot carry two Host lines: they arrive joined, and X-Original-Host (present) wins over Host,
// so in-process this is decided (denied) instead of refused. The real server reads node's raw header list and
// refuses it (400), as the HTTP suite checks.
const JOINED_HOST = new Set(['two Host headers'])
// Likewise two X-Original-URI lines arrive joined ("/secret/x, /pub/x"): a raw space, so 400 ambiguous_path here
// and 400 bad_request (a repeated header) on the real server.
const JOINED_URI = new Set(['client-supplied X-Original-URI'])

describe('bypass corpus through authz (in-process)', () => {
  it.each(corpus.entries.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
    const client = renderClientRequest(entry, s.identities, Math.floor(s.world.engine.clock.nowMs / 1000))
    const direct = toAuthzRequest(client)
    const res = await s.request([['Host', direct.host], ...direct.headers])
    const body = await res.text()
    if (JOINED_HOST.has(entry.name)) {
      expect(OUTCOME_STATUSES.denied, body).toContain(res.status)
      return
    }
    if (JOINED_URI.has(entry.name)) {
      expect(res.status, body).toBe(400)
      expect(res.headers.get('x-auth-reason'), body).toBe('ambiguous_path')
      return
    }
    expect(OUTCOME_STATUSES[entry.expectation], `${res.status} ${body}`).toContain(res.status)
    if (entry.reason !== undefined) expect(res.headers.get('x-auth-reason'), body).toBe(entry.reason)
  })

  it('logged no internal error', () => {
    expect(s.world.errors).toEqual([])
  })
})
