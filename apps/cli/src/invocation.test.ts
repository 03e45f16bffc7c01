import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageManagerInvocation, selfInvocation } from './invocation'

// A checkout's layout: node_modules/.bin/gatekeeper (the pnpm shim) and apps/cli/bin/gatekeeper.js.
const checkout = mkdtempSync(path.join(tmpdir(), 'gk-invocation-'))
const binDir = path.join(checkout, 'node_modules', '.bin')
const launcher = path.join(checkout, 'apps', 'cli', 'bin', 'gatekeeper.js')
mkdirSync(binDir, { recursive: true })
mkdirSync(path.dirname(launcher), { recursive: true })
writeFileSync(path.join(binDir, 'gatekeeper'), '#!/bin/sh\n', { mode: 0o755 })
writeFileSync(launcher, '')

describe('selfInvocation', () => {
  it('names `gatekeeper` when the shell has it on PATH', () => {
    expect(selfInvocation(launcher, { PATH: `${binDir}:/usr/bin` })).toBe('gatekeeper')
  })

  it('names the absolute launcher under pnpm, whose PATH (with node_modules/.bin in front) is not the shell’s', () => {
    const pnpmEnv = { PATH: `${binDir}:/usr/bin`, npm_config_user_agent: 'pnpm/12.4.2 npm/? node/? linux x64' }
    expect(selfInvocation(launcher, pnpmEnv)).toBe(`node ${launcher}`)
    expect(selfInvocation(launcher, { PATH: `${binDir}:/usr/bin`, npm_lifecycle_event: 'start' })).toBe(
      `node ${launcher}`,
    )
  })

  it('names the absolute launcher when `gatekeeper` is not on PATH', () => {
    expect(selfInvocation(launcher, { PATH: '/usr/bin:/bin' })).toBe(`node ${launcher}`)
  })
})

describe('packageManagerInvocation', () => {
  it('is the npx form after `npx -y pnpm@X start` (no pnpm installed), pnpm after `pnpm start`, none otherwise', () => {
    const agent = 'pnpm/12.4.2 npm/? node/? linux x64'
    expect(
      packageManagerInvocation({ npm_lifecycle_event: 'start', npm_command: 'exec', npm_config_user_agent: agent }),
    ).toBe('npx -y pnpm@12.4.2 gatekeeper')
    expect(packageManagerInvocation({ npm_lifecycle_event: 'start', npm_config_user_agent: agent })).toBe(
      'pnpm gatekeeper',
    )
    expect(packageManagerInvocation({ PATH: '/usr/bin' })).toBeUndefined()
  })
})
