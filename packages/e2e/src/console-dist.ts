import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

// A stand-in for apps/console/dist with the same shape (index.html + hashed assets/), so console-host.conf's static
// side is tested without building the console in every test run.

export const CONSOLE_INDEX = '<!doctype html><title>gatekeeper console</title><div id="root"></div>\n'
export const CONSOLE_ASSET = 'assets/index-3f2a9c1b.js'
export const CONSOLE_ASSET_TEXT = 'console.log("gatekeeper console")\n'

export function writeConsoleDist(dir: string): void {
  mkdirSync(join(dir, 'assets'), { recursive: true, mode: 0o755 })
  writeFileSync(join(dir, 'index.html'), CONSOLE_INDEX)
  writeFileSync(join(dir, CONSOLE_ASSET), CONSOLE_ASSET_TEXT)
}
