import { accessSync, constants, existsSync } from 'node:fs'
import path from 'node:path'
import { shellQuote } from './shell'

type Env = Readonly<Record<string, string | undefined>>

/**
 * How to run this CLI again in the commands it prints (setup-test-data's curl lines): `gatekeeper` when
 * that name is on PATH (as README.md sets it up), else the absolute path of what is running now, so a
 * printed line works when pasted into any shell. Under a package manager (`pnpm gatekeeper …`, `pnpm start`)
 * PATH is the package manager's, with the checkout's node_modules/.bin put in front, not the PATH of the
 * shell the lines are pasted into: there `gatekeeper` printed as found was "command not found".
 */
export function selfInvocation(script: string, env: Env): string {
  const underPackageManager = env.npm_lifecycle_event !== undefined || env.npm_config_user_agent !== undefined
  if (!underPackageManager && (path.basename(script) === 'gatekeeper' || onPath('gatekeeper', env.PATH ?? ''))) {
    return 'gatekeeper'
  }
  if (script.endsWith('.js')) return `node ${shellQuote(path.resolve(script))}`
  // Run from source (tsx): the checkout's launcher builds and runs the bundle.
  const launcher = path.resolve(path.dirname(script), '..', 'bin', 'gatekeeper.js')
  if (existsSync(launcher)) return `node ${shellQuote(launcher)}`
  return 'gatekeeper'
}

/**
 * How the user runs the CLI from the checkout in their own shell when a package manager ran this one
 * (`pnpm start`: `pnpm gatekeeper`; `npx -y pnpm@12.4.2 start`, on a machine with only Node: the same npx
 * form, since `pnpm` is not installed there); undefined when no package manager ran it.
 */
export function packageManagerInvocation(env: Env): string | undefined {
  if (env.npm_lifecycle_event === undefined && env.npm_config_user_agent === undefined) return undefined
  const pnpm = /^pnpm\/(\d[\w.+-]*)/.exec(env.npm_config_user_agent ?? '')
  if (env.npm_command === 'exec' && pnpm !== null) return `npx -y pnpm@${pnpm[1]} gatekeeper`
  return 'pnpm gatekeeper'
}

function onPath(name: string, searchPath: string): boolean {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue
    try {
      accessSync(path.join(dir, name), constants.X_OK)
      return true
    } catch {
      // not in this directory
    }
  }
  return false
}
