// Writes docs/gatekeeper-config.schema.json from the zod schemas (config-document.test.ts checks it is current).
import { writeFileSync } from 'node:fs'
import { configSchemaPath, configSchemaText } from '../src/config-schema-file'

writeFileSync(configSchemaPath, configSchemaText())
console.log(`wrote ${configSchemaPath}`)
