import { isIP } from 'node:net'
import { z } from 'zod'
import { parseIntInRange, splitCsv } from './env-vars'

/** Why an entry is not an IPv4/IPv6 address or CIDR range, or null when it is one. */
export function forwarderProblem(entry: string): string | null {
  const slash = entry.indexOf('/')
  const address = slash === -1 ? entry : entry.slice(0, slash)
  const version = isIP(address)
  if (version === 0) return `'${entry}' is not an IP address or CIDR range`
  if (slash === -1) return null
  const maxPrefix = version === 4 ? 32 : 128
  if (parseIntInRange(entry.slice(slash + 1), 0, maxPrefix) === undefined) {
    return `'${entry}' has an invalid prefix length (expected 0-${maxPrefix})`
  }
  return null
}

/**
 * TRUSTED_FORWARDER_IPS: comma-separated addresses or CIDR ranges whose X-Original-Client-IP is believed.
 * Throws naming the bad entry: a typo here would otherwise silently trust nobody (or the wrong host).
 */
export function parseTrustedForwarders(value: string | undefined): Array<string> {
  const entries = splitCsv(value)
  const problems = entries.map(forwarderProblem).filter((problem) => problem !== null)
  if (problems.length > 0) throw new Error(`TRUSTED_FORWARDER_IPS: ${problems.join('; ')}`)
  return entries
}

/** The same check as an env-schema field, so parseEnv reports it with the other variables. */
export function trustedForwardersVar() {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const entries = splitCsv(raw)
      for (const entry of entries) {
        const problem = forwarderProblem(entry)
        if (problem !== null) ctx.issues.push({ code: 'custom', message: problem, input: raw })
      }
      return entries
    })
}
