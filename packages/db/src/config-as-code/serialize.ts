import type { ConfigDocument } from '@gatekeeper/models'
import { stringify } from 'yaml'
import { canonicalDocument } from './canonical'

const HEADER = `# Gatekeeper configuration (docs/config-as-code.md; JSON Schema: docs/gatekeeper-config.schema.json).
# Routes are keyed by domain + route_pattern, clients by client_name. No secret is ever written here:
# credentials are listed by kind, id and prefix.
`

/**
 * The document as YAML (or JSON), canonical order, no timestamps: the same state gives the same bytes,
 * so an export committed to git changes only when the configuration does.
 */
export function serializeConfig(doc: ConfigDocument, format: 'yaml' | 'json' = 'yaml'): string {
  const canonical = canonicalDocument(doc)
  if (format === 'json') return `${JSON.stringify(canonical, null, 2)}\n`
  return HEADER + stringify(canonical, { lineWidth: 0, aliasDuplicateObjects: false, sortMapEntries: false })
}
