// infra/docker-compose.yml, parsed (anchors and merge keys resolved) into the parts the checks read.

import { readFileSync } from 'node:fs'
import { repoPath } from '@gatekeeper/testkit/paths'
import { parse } from 'yaml'

export interface ComposeService {
  image?: string
  build?: { context: string; dockerfile: string }
  command?: string[]
  environment?: Record<string, string | number | boolean | null>
  ports?: string[]
  volumes?: string[]
  healthcheck?: { test: string[] }
  depends_on?: Record<string, { condition: string }> | string[]
  deploy?: { replicas?: number }
  networks?: Record<string, { ipv4_address?: string }> | string[]
}

export interface ComposeFile {
  services: Record<string, ComposeService>
  volumes?: Record<string, unknown>
  networks?: Record<string, { ipam?: { config?: Array<{ subnet: string }> } }>
}

export const COMPOSE_PATH = 'infra/docker-compose.yml'

export function readCompose(): ComposeFile {
  return parse(readFileSync(repoPath(COMPOSE_PATH), 'utf8'), { merge: true }) as ComposeFile
}

export function service(compose: ComposeFile, name: string): ComposeService {
  const s = compose.services[name]
  if (s === undefined) throw new Error(`compose has no service ${name}`)
  return s
}

/** `${NAME:-default}` / `${NAME:?message}` / `${NAME}` → the names substituted from the .env file. */
export function substitutedVariables(value: string): string[] {
  return [...value.matchAll(/\$\{([A-Z_][A-Z0-9_]*)(?::?[-?][^}]*)?\}/g)].map((m) => m[1] ?? '')
}

/** The URL a healthcheck asks (node -e "fetch('http://127.0.0.1:7843/health')..."). */
export function healthcheckUrl(s: ComposeService): URL | undefined {
  const text = (s.healthcheck?.test ?? []).join(' ')
  const m = /fetch\('(http:\/\/[^']+)'\)/.exec(text)
  return m?.[1] === undefined ? undefined : new URL(m[1])
}
