import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { type Sealer, sealerFromConfig } from '@gatekeeper/crypto'
import type { CliConfig } from './config'
import { CliError } from './errors'

const MISSING =
  'GATEKEEPER_MASTER_KEY is not set: sealing or opening shared secrets needs the same master key authz uses'

/** Stands in when no master key is configured: everything that does not touch secrets still works. */
const missingKeySealer: Sealer = {
  seal() {
    throw CliError.usage(MISSING)
  },
  unseal() {
    throw CliError.usage(MISSING)
  },
  keyIdOf: () => null,
  get activeKeyId(): string {
    throw CliError.usage(MISSING)
  },
}

/**
 * GATEKEEPER_MASTER_KEY, else the development key `gatekeeper start` keeps in `<dataDir>/master.key`
 * (the one it hands authz when the variable is unset).
 */
export function resolveSealer(config: CliConfig): Sealer {
  let key = config.masterKey
  if (key === undefined) {
    const file = path.join(config.dataDir, 'master.key')
    if (existsSync(file)) key = readFileSync(file, 'utf8').trim()
  }
  if (key === undefined) return missingKeySealer
  const result = sealerFromConfig({ key, keyId: config.masterKeyId, previous: config.previousMasterKeys })
  if (!result.ok) throw CliError.usage(result.error)
  return result.sealer
}
