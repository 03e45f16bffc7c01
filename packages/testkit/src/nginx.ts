import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { accepting, freePort, waitFor } from './ports'
import { type ManagedProcess, startProcess } from './process'
import { renderTemplate } from './template'

// A real nginx running one shipped site config (rendered with loopback addresses) on a random port, in a
// directory of its own: `nginx -p <dir> -c <dir>/nginx.conf -g 'daemon off; ...'`. The wrapping nginx.conf holds
// only what a distribution's nginx.conf would (events, temp paths, logs); the site file is included verbatim.

export interface NginxOptions {
  name: string
  /** The config text (a shipped template, possibly mutated by a test). */
  template: string
  /** Placeholder values other than LISTEN, which the harness fills in. */
  values: Readonly<Record<string, string>>
}

export interface RunningNginx {
  port: number
  dir: string
  process: ManagedProcess
  /** The rendered site config, as nginx read it. */
  site: string
  stop(): Promise<void>
}

/** The nginx binary: on PATH, or where Debian installs it (/usr/sbin is not on every user's PATH). */
export function nginxBinary(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin']
  for (const dir of dirs) {
    if (dir === '') continue
    const candidate = join(dir, 'nginx')
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {}
  }
  throw new Error('nginx not found: install it (`apt-get install nginx`; .ci/run installs what .ci/apt-packages lists)')
}

function mainConfig(dir: string): string {
  const temp = (name: string) => join(dir, 'temp', name)
  return `worker_processes 1;
events { worker_connections 1024; }
http {
    access_log ${join(dir, 'access.log')};
    client_body_temp_path ${temp('body')};
    proxy_temp_path ${temp('proxy')};
    fastcgi_temp_path ${temp('fastcgi')};
    uwsgi_temp_path ${temp('uwsgi')};
    scgi_temp_path ${temp('scgi')};
    include ${join(dir, 'site.conf')};
}
`
}

/** A fresh directory nginx's unprivileged workers can read (they run as `nobody` when the tests run as root). */
export function makeNginxDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `gk-e2e-${name}-`))
  chmodSync(dir, 0o755)
  mkdirSync(join(dir, 'temp'), { mode: 0o755 })
  return dir
}

export async function startNginx(options: NginxOptions): Promise<RunningNginx> {
  const dir = makeNginxDir(options.name)
  const port = await freePort()
  const site = renderTemplate(options.template, { ...options.values, LISTEN: `127.0.0.1:${port}` })
  writeFileSync(join(dir, 'site.conf'), site)
  writeFileSync(join(dir, 'nginx.conf'), mainConfig(dir))
  const process = startProcess({
    name: `nginx-${options.name}`,
    command: nginxBinary(),
    args: [
      '-e',
      'stderr',
      '-p',
      dir,
      '-c',
      join(dir, 'nginx.conf'),
      '-g',
      `daemon off; pid ${join(dir, 'nginx.pid')}; error_log stderr warn;`,
    ],
  })
  try {
    await waitFor(
      `nginx (${options.name}) on port ${port}`,
      async () => {
        if (!process.running) throw new Error(`nginx exited:\n${process.tail()}`)
        return (await accepting(port)) ? true : undefined
      },
      10_000,
    )
  } catch (err) {
    await process.stop(1000)
    throw err
  }
  return { port, dir, process, site, stop: () => process.stop(3000) }
}
