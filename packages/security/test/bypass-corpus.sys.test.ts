import { useStack } from '@gatekeeper/e2e/use-stack'
import { describe, expect, it } from 'vitest'
import { renderClientRequest, toAuthzRequest } from '../src/corpus/render'
import { loadCorpus, OUTCOME_STATUSES } from '../src/corpus/schema'
import { sendRendered } from '../src/corpus/send'
import { scenarioIdentities } from '../src/stack/identities'

// Every corpus entry against the real processes: authz over HTTP (node's raw header list, so a repeated header
// is seen as such) and nginx running nginx/protected-api.conf in front of it. Denied or rejected as the entry
// says, never a 5xx, and through nginx nothing reaches the upstream.

const corpus = loadCorpus()
const { stack, scenario, nginx } = useStack()

const now = () => Math.floor(Date.now() / 1000)
const cases = corpus.entries.map((entry) => [entry.name, entry] as const)

describe('bypass corpus, straight to authz', () => {
  it.each(cases)('%s', async (_name, entry) => {
    const req = toAuthzRequest(renderClientRequest(entry, scenarioIdentities(scenario), now()))
    const reply = await sendRendered(stack.authz.port, req)
    expect(OUTCOME_STATUSES[entry.expectation], `${reply.status} ${reply.body}`).toContain(reply.status)
    if (entry.reason !== undefined) expect(reply.headers['x-auth-reason'], reply.body).toBe(entry.reason)
  })
})

describe('bypass corpus, through nginx with the shipped protected-api.conf', () => {
  it.each(cases)('%s', async (_name, entry) => {
    const before = stack.upstream.hits
    const request = renderClientRequest(entry, scenarioIdentities(scenario), now())
    const expected = entry.nginx ?? entry.expectation
    if (expected === 'closed') {
      await expect(sendRendered(nginx.port, request)).rejects.toThrow()
      expect(stack.upstream.hits - before, 'requests that reached the upstream').toBe(0)
      return
    }
    const reply = await sendRendered(nginx.port, request)
    expect(OUTCOME_STATUSES[expected], `${reply.status} ${reply.headers['x-auth-reason']} ${reply.body}`).toContain(
      reply.status,
    )
    expect(stack.upstream.hits - before, 'requests that reached the upstream').toBe(0)
    const reason = reply.headers['x-auth-reason']
    if (entry.nginx === undefined && entry.reason !== undefined && reason !== undefined && reason !== '') {
      expect(reason).toBe(entry.reason)
    }
  })
})

describe('after the corpus', () => {
  it('authz is still running and logged no internal error', () => {
    expect(stack.authz.process.running).toBe(true)
    expect(stack.authz.audit().filter((line) => line.status >= 500)).toEqual([])
    expect(stack.authz.process.lines.filter((line) => /internal_error|unhandled/i.test(line))).toEqual([])
  })
})
