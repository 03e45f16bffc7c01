import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { type Sealer, sealerFromConfig } from '@gatekeeper/crypto'
import type { CliConfig } from './config'
import { CliError } from './errors'

/**
 * Stands in when no master key is configured: everything that does not touch secrets still works, and what
 * does says where the key was looked for and what to set.
 */
function missingKeySealer(keyFile: string): Sealer {
  const missing = () =>
    CliError.usage(
      `GATEKEEPER_MASTER_KEY is not set and there is no ${keyFile} (the development key \`gatekeeper start\` writes): set GATEKEEPER_MASTER_KEY to the master key authz uses (32 bytes, base64 or hex), or run this from the folder \`gatekeeper start\` runs in`,
    )
  return {
    seal() {
      throw missing()
    },
    unseal() {
      throw missing()
    },
    keyIdOf: () => null,
    get activeKeyId(): string {
      throw missing()
    },
  }
}

/**
 * GATEKEEPER_MASTER_KEY, else the development key `gatekeeper start` keeps in `<dataDir>/master.key`
 * (the one it hands authz when the variable is unset).
 */
export function resolveSealer(config: CliConfig): Sealer {
  let key = config.masterKey
  const file = path.join(config.dataDir, 'master.key')
  if (key === undefined && existsSync(file)) key = readFileSync(file, 'utf8').trim()
  if (key === undefined) return missingKeySealer(file)
  const result = sealerFromConfig({ key, keyId: config.masterKeyId, previous: config.previousMasterKeys })
  if (!result.ok) throw CliError.usage(result.error)
  return result.sealer
}
