import { spawnSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeNginxDir, nginxBinary } from '@gatekeeper/testkit/nginx'
import { placeholders, readShippedConfig, renderTemplate } from '@gatekeeper/testkit/template'
import { beforeAll, describe, expect, it } from 'vitest'
import { PROTECTED_API_CHECKS } from '../src/checks'
import { checkContext, exhaustLimit } from '../src/scenario'
import type { StackNginx } from '../src/stack'
import { useScenario } from '../src/use-stack'

// Every shipped protected-API variant must keep the behaviours protected-api.conf is tested for in detail; the
// copies must not drift. And every shipped file must be valid nginx, templated for addresses and paths only.

const VARIANTS = ['protected-api.conf', 'cdn-forwarder.conf', 'public-cache.conf'] as const

const PLACEHOLDERS: Record<string, string[]> = {
  'protected-api.conf': ['AUTHZ_UPSTREAM', 'LISTEN', 'UPSTREAM'],
  'cdn-forwarder.conf': ['AUTHZ_UPSTREAM', 'CDN_RANGES', 'LISTEN', 'UPSTREAM'],
  'public-cache.conf': ['AUTHZ_UPSTREAM', 'CACHE_DIR', 'LISTEN', 'UPSTREAM'],
  'console-host.conf': ['CONSOLE_API_UPSTREAM', 'CONSOLE_DIST', 'LISTEN'],
}

const { stack, scenario: s } = useScenario()
const running = new Map<string, StackNginx>()

beforeAll(async () => {
  for (const file of VARIANTS) running.set(file, await stack.nginx(file, { countAuthzConnections: true }))
  const first = running.get(VARIANTS[0])
  if (first === undefined) throw new Error('nginx did not start')
  await exhaustLimit(first, s)
})

describe('the shipped files', () => {
  it.each(Object.entries(PLACEHOLDERS))('%s uses only address and path placeholders', (file, expected) => {
    expect(placeholders(readShippedConfig(file))).toEqual(expected)
  })

  it.each(Object.keys(PLACEHOLDERS))('%s passes nginx -t', (file) => {
    const dir = makeNginxDir('syntax')
    const values: Record<string, string> = {
      LISTEN: '127.0.0.1:8080',
      AUTHZ_UPSTREAM: '127.0.0.1:7843',
      UPSTREAM: '127.0.0.1:9000',
      CONSOLE_API_UPSTREAM: '127.0.0.1:7844',
      CONSOLE_DIST: dir,
      CDN_RANGES: join(dir, 'ranges.conf'),
      CACHE_DIR: join(dir, 'cache'),
    }
    const wanted = Object.fromEntries((PLACEHOLDERS[file] ?? []).map((name) => [name, values[name] ?? '']))
    writeFileSync(join(dir, 'ranges.conf'), 'set_real_ip_from 127.0.0.5;\n')
    writeFileSync(join(dir, 'site.conf'), renderTemplate(readShippedConfig(file), wanted))
    writeFileSync(join(dir, 'nginx.conf'), `events {}\nhttp { include ${join(dir, 'site.conf')}; }\n`)
    const args = ['-t', '-e', 'stderr', '-p', dir, '-c', join(dir, 'nginx.conf'), '-g', `pid ${dir}/pid;`]
    const result = spawnSync(nginxBinary(), args, { encoding: 'utf8' })
    rmSync(dir, { recursive: true, force: true })
    expect(result.stderr).toContain('test is successful')
    expect(result.status).toBe(0)
  })
})

describe.each(VARIANTS)('%s', (file) => {
  const ctx = () => {
    const nginx = running.get(file)
    if (nginx === undefined) throw new Error(`${file} is not running`)
    return checkContext(stack, nginx, s)
  }
  it.each(Object.entries(PROTECTED_API_CHECKS))('%s', async (_name, check) => {
    await check(ctx())
  })
})
