import { describe, expect, it } from 'vitest'
import { nextStepsLines } from './next-steps'

describe('nextStepsLines', () => {
  const base = { authzUrl: 'http://127.0.0.1:7843', consoleApiUrl: 'http://127.0.0.1:7844', cli: 'pnpm gatekeeper' }

  it('puts the sign-in link right under the console, with how long it lasts and how to get another', () => {
    const lines = nextStepsLines({ ...base, signInUrl: 'http://127.0.0.1:7844/console/#/sign-in?code=gkl_x' })
    const at = lines.indexOf('  console     http://127.0.0.1:7844/console/')
    expect(at).toBeGreaterThan(0)
    expect(lines[at + 1]).toBe('  sign in     http://127.0.0.1:7844/console/#/sign-in?code=gkl_x')
    expect(lines[at + 2]).toMatch(
      /^ {14}\(one-time link, valid 60 min; `gatekeeper admin sign-in-link` prints another\)$/,
    )
  })

  it('has no sign-in line without a link (Aegis mode, or none could be made)', () => {
    expect(nextStepsLines(base).some((l) => l.includes('sign in'))).toBe(false)
  })
})
