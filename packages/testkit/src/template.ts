import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { NGINX_DIR } from './paths'

// The shipped configs are templates for addresses and paths only: `${NAME}` placeholders, as `envsubst` with an
// explicit variable list would replace them (nginx's own `$variables` are lower case and left alone).

const PLACEHOLDER = /\$\{([A-Z][A-Z0-9_]*)\}/g

export function readShippedConfig(file: string): string {
  return readFileSync(resolve(NGINX_DIR, file), 'utf8')
}

/** Every placeholder must get a value and every value must be used: the configs and the tests move together. */
export function renderTemplate(text: string, values: Readonly<Record<string, string>>): string {
  const used = new Set<string>()
  const missing = new Set<string>()
  const rendered = text.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values[name]
    if (value === undefined) {
      missing.add(name)
      return ''
    }
    used.add(name)
    return value
  })
  if (missing.size > 0) throw new Error(`no value for placeholder(s): ${[...missing].join(', ')}`)
  const unused = Object.keys(values).filter((name) => !used.has(name))
  if (unused.length > 0) throw new Error(`placeholder(s) not in the template: ${unused.join(', ')}`)
  return rendered
}

/** The placeholders a template uses. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))].sort()
}
