import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The signer is published on its own later: its source may import only its own files and node:crypto.
describe('signer is standalone', () => {
  const dir = fileURLToPath(new URL('.', import.meta.url))
  const sources = readdirSync(dir).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))

  it('has sources to check', () => {
    expect(sources).toContain('index.ts')
  })

  it.each(sources)('%s imports only ./ files and node:crypto', (name) => {
    const text = readFileSync(`${dir}/${name}`, 'utf8')
    const specifiers = [
      ...text.matchAll(/\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'|\brequire\s*\(\s*'([^']+)'/g),
    ].map((m) => m[1] ?? m[2] ?? m[3] ?? '')
    for (const specifier of specifiers) {
      expect(specifier === 'node:crypto' || /^\.\/[^/]+$/.test(specifier), `${name} imports ${specifier}`).toBe(true)
    }
  })
})
