import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { httpGet } from '@gatekeeper/testkit/http'
import { freePort, waitFor } from '@gatekeeper/testkit/ports'
import { startProcess } from '@gatekeeper/testkit/process'
import type { RunningUpstream } from './reply'

// The Flask app (flask_app.py) on Werkzeug's own server, as a child process. Debian's python3 with python3-flask
// (.ci/apt-packages) when present, else whatever python3 is on PATH.

const APP = join(dirname(fileURLToPath(import.meta.url)), 'flask_app.py')

export async function startFlaskUpstream(): Promise<RunningUpstream> {
  const port = await freePort()
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'
  const child = startProcess({ name: 'flask', command: python, args: [APP, String(port)] })
  await waitFor(
    `flask on port ${port}`,
    async () => {
      if (!child.running) throw new Error(`flask exited (is python3-flask installed?):\n${child.tail()}`)
      return (await httpGet(port, '/').catch(() => undefined))?.status === 200 ? true : undefined
    },
    15_000,
  ).catch(async (err: unknown) => {
    await child.stop(1000)
    throw err
  })
  return { name: 'flask', port, close: () => child.stop(3000) }
}
