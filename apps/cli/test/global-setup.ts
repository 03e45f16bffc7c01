import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

// The tests run the CLI as users do: the built bundle under plain node. Build it once per run.
export function setup(): void {
  const appDir = fileURLToPath(new URL('..', import.meta.url))
  execFileSync('pnpm', ['exec', 'tsup', '--silent'], { cwd: appDir, stdio: 'inherit' })
}
