import { fileURLToPath } from 'node:url'
import { configDocumentJsonSchema } from './config-document'

/** Where the published JSON Schema lives in the repository. */
export const configSchemaPath = fileURLToPath(new URL('../../../docs/gatekeeper-config.schema.json', import.meta.url))

/** The committed file's exact text: stable key order (the generator's), two-space indent, final newline. */
export function configSchemaText(): string {
  return `${JSON.stringify(configDocumentJsonSchema(), null, 2)}\n`
}
