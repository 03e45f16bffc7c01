import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { type RunningNginx, startNginx } from '@gatekeeper/testkit/nginx'
import { REPO_ROOT } from '@gatekeeper/testkit/paths'
import { freePort, waitFor } from '@gatekeeper/testkit/ports'
import { type ManagedProcess, startProcess, stopAll } from '@gatekeeper/testkit/process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { guideBlocks, guideSteps, missingLine } from './support/guide'

// docs/getting-started.md, followed as a reader would: `pnpm start` (its output as the guide shows it), the
// guide's nginx snippet in a real nginx, then every `sh` block marked for the test, in order, in one bash
// session, each block's output compared with the output the guide shows under it. Only the ports differ:
// the guide's defaults are replaced by free ones, so the test never collides with a running gatekeeper.

const GUIDE = path.join(REPO_ROOT, 'docs', 'getting-started.md')
const run = promisify(execFile)
// biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder the e2e harness fills with its nginx port
const LISTEN = '${LISTEN}'

/** PATH without node_modules/.bin folders: `gatekeeper` must come from the guide's own PATH step. */
function plainPath(): string {
  return (process.env.PATH ?? '/usr/bin:/bin')
    .split(path.delimiter)
    .filter((dir) => !dir.includes(`node_modules${path.sep}.bin`))
    .join(path.delimiter)
}

describe('docs/getting-started.md, run as written', () => {
  const markdown = readFileSync(GUIDE, 'utf8')
  const blocks = guideBlocks(markdown)
  const steps = guideSteps(blocks)
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gk-guide-'))
  // curl shows no progress meter on a terminal; piped, it would add lines the guide does not show.
  const home = mkdtempSync(path.join(tmpdir(), 'gk-guide-home-'))
  writeFileSync(path.join(home, '.curlrc'), 'no-progress-meter\n')
  const ports = new Map<string, number>()
  let start: ManagedProcess
  let nginx: RunningNginx | undefined
  let startOutput = ''

  /** The guide's default ports (authz, console-api, embedded PostgreSQL, nginx, the stand-in API) → this run's. */
  const localise = (text: string) =>
    text.replace(/:(7843|7844|7845|8080|9000)\b/g, (match, port: string) => {
      const mapped = ports.get(port)
      return mapped === undefined ? match : `:${mapped}`
    })

  beforeAll(async () => {
    for (const port of ['7843', '7844', '7845', '9000']) ports.set(port, await freePort())
    // What `npx -y pnpm@12.4.2 start` runs (the root package's start script), with what npx and pnpm add to the environment.
    start = startProcess({
      name: 'gatekeeper-start',
      command: process.execPath,
      args: ['--import', 'tsx', 'apps/cli/src/main.ts', 'start'],
      cwd: REPO_ROOT,
      env: {
        PATH: [path.join(REPO_ROOT, 'node_modules', '.bin'), plainPath()].join(path.delimiter),
        HOME: home,
        NO_COLOR: '1',
        LOG_LEVEL: 'warn',
        npm_lifecycle_event: 'start',
        // The guide's step 1 is `npx -y pnpm@12.4.2 start`: npx marks its command, pnpm names itself.
        npm_command: 'exec',
        npm_config_user_agent: 'pnpm/12.4.2 npm/? node/? linux x64',
        GATEKEEPER_DATA_DIR: dataDir,
        AUTHZ_PORT: String(ports.get('7843')),
        CONSOLE_API_PORT: String(ports.get('7844')),
        GATEKEEPER_EMBEDDED_PG_PORT: String(ports.get('7845')),
      },
    })
    // A first start builds the console and initialises PGlite: a minute or two on a busy machine.
    await waitFor(
      'the next steps of gatekeeper start',
      async () => {
        if (!start.running) throw new Error(`gatekeeper start exited:\n${start.tail()}`)
        const text = start.lines.join('\n')
        return /\n {2}ask authz .*/.test(text) ? text : undefined
      },
      240_000,
    ).then((text) => {
      startOutput = text
    })

    const snippet = blocks.find((b) => b.kind === 'nginx')
    if (snippet === undefined) throw new Error('the guide has no nginx block marked for the test')
    const template = localise(snippet.text).replace(/listen 127\.0\.0\.1:8080;/, `listen ${LISTEN};`)
    if (!template.includes(LISTEN)) throw new Error('the nginx snippet no longer listens on 127.0.0.1:8080')
    nginx = await startNginx({ name: 'getting-started', template, values: {} })
    ports.set('8080', nginx.port)
  }, 300_000)

  afterAll(async () => {
    await nginx?.stop()
    await start?.stop(20_000)
    await stopAll()
    for (const dir of [dataDir, home, nginx?.dir]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  }, 60_000)

  it('`pnpm start` prints what the guide shows, and its sign-in link signs in once', async () => {
    const shown = blocks.find((b) => b.kind === 'start output')
    expect(shown).toBeDefined()
    expect(missingLine(localise(shown?.text ?? ''), startOutput)).toBeUndefined()

    const code = /\/console\/#\/sign-in\?code=(gkl_\w+)/.exec(startOutput)?.[1]
    expect(code).toBeDefined()
    const signIn = (body: unknown) =>
      fetch(`http://127.0.0.1:${ports.get('7844')}/api/auth/local-sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const first = await signIn({ code })
    expect(first.status).toBe(200)
    expect(await first.json()).toMatchObject({ token: expect.any(String) })
    expect((await signIn({ code })).status).not.toBe(200)
  })

  it('claims every answer: allowed, 401, 403 and 429', () => {
    const claimed = steps.map((s) => s.expected ?? '').join('\n')
    for (const status of ['200 OK', '401 Unauthorized', '403 Forbidden', '429 Too Many Requests']) {
      expect(claimed).toContain(`HTTP/1.1 ${status}`)
    }
  })

  it('every marked command runs, in order, and prints what the guide shows', async () => {
    expect(steps.length).toBeGreaterThan(3)
    // One bash session, as in the reader's second terminal; a pause between steps like a reader's (a change
    // reaches authz within a second), and a marker before each block to split the output.
    const script = [
      'set -euo pipefail',
      'exec 2>&1',
      ...steps.flatMap((step, i) => [`echo '@@step ${i}'`, localise(step.script), 'sleep 1']),
      "echo '@@done'",
    ].join('\n')
    let output: string
    try {
      const result = await run('bash', ['-c', script], {
        cwd: REPO_ROOT,
        env: { PATH: plainPath(), HOME: home, NO_COLOR: '1', GATEKEEPER_DATA_DIR: dataDir },
        timeout: 150_000,
      })
      output = result.stdout
    } catch (err) {
      const stdout = (err as { stdout?: string }).stdout ?? ''
      const step = Number(/@@step (\d+)\n(?![\s\S]*@@step)/.exec(stdout)?.[1] ?? -1)
      throw new Error(`the guide's block at line ${steps[step]?.line ?? '?'} failed:\n${stdout.slice(-3000)}`)
    }
    expect(output).toContain('@@done')
    const outputs = output.split(/^@@step \d+\n/m).slice(1)
    steps.forEach((step, i) => {
      if (step.expected === undefined) return
      const actual = outputs[i] ?? ''
      const missing = missingLine(localise(step.expected), actual)
      expect(missing, `block at line ${step.line}: "${missing}" not in its output:\n${actual}`).toBeUndefined()
    })
  }, 180_000)
})
