import { describe, expect, it } from 'vitest'
import { CLASSES, loadCorpus } from './schema'

// The corpus itself: well-formed, names unique, every bug class the suite targets represented, and the advisories the
// issue names each reproduced by at least one entry.

const corpus = loadCorpus()

describe('corpus/bypass.json', () => {
  it('parses, with unique names', () => {
    const names = corpus.entries.map((entry) => entry.name)
    expect(new Set(names).size).toBe(names.length)
    expect(corpus.entries.length).toBeGreaterThanOrEqual(60)
  })

  it.each(CLASSES)('has entries of class %s', (cls) => {
    expect(corpus.entries.filter((entry) => entry.class === cls).length).toBeGreaterThan(0)
  })

  it.each([
    'CVE-2019-9901', // Envoy: no path normalisation
    'CVE-2021-29492', // Envoy: escaped slashes
    'CVE-2026-48020', // Traefik: /api../ with StripPrefix
    'GHSA-p224-6x5r-fjpm', // Oathkeeper: path traversal (CVSS 10)
    'CVE-2023-30845', // ESPv2: X-HTTP-Method-Override
    'CVE-2021-32777', // Envoy ext_authz: only one value of a repeated header
  ])('reproduces %s', (cve) => {
    expect(corpus.entries.some((entry) => entry.cve === cve)).toBe(true)
  })

  it("covers Traefik's /..;x/ shape", () => {
    expect(corpus.entries.some((entry) => entry.request.target.startsWith('/..;x/'))).toBe(true)
  })

  it('covers every method-override spelling the issue names', () => {
    const overrides = corpus.entries.filter((entry) => entry.class === 'method_override')
    const spelled = (name: string) =>
      overrides.some((entry) => Object.keys(entry.request.headers).some((h) => h.toLowerCase() === name))
    expect(spelled('x-http-method-override')).toBe(true)
    expect(spelled('x-method-override')).toBe(true)
    expect(overrides.some((entry) => entry.request.target.includes('_method='))).toBe(true)
  })
})
