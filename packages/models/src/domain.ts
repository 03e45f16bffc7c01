import { z } from 'zod'

export const DOMAIN_MAX_LENGTH = 253

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
const ALL_DIGITS = /^\d+$/
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)'
// Dotted-quad without leading zeros (as node:net isIPv4), kept here so this module stays runtime-neutral.
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`)

function isIPv4(value: string): boolean {
  return IPV4.test(value)
}

function hostnameProblem(host: string): string | null {
  if (host.length === 0) return 'must not be empty'
  if (host.length > DOMAIN_MAX_LENGTH) return `must be at most ${DOMAIN_MAX_LENGTH} characters`
  if (host.includes(':') || host.startsWith('[')) {
    return 'must be a host name without a port (IPv6 literals are not supported)'
  }
  if (host.endsWith('.')) return "must not end with a dot (write 'example.com', not 'example.com.')"
  if (host.includes('*')) {
    return "'*' is only allowed alone ('*' = any domain) or as the whole leftmost label ('*.example.com')"
  }
  if (isIPv4(host)) return null
  const labels = host.split('.')
  for (const label of labels) {
    if (!LABEL.test(label)) {
      return `invalid label '${label}': labels are 1-63 characters of a-z, 0-9 and '-', not starting or ending with '-'`
    }
  }
  const last = labels[labels.length - 1] ?? ''
  if (ALL_DIGITS.test(last)) return 'is neither a valid IPv4 address nor a host name'
  return null
}

/** Why a (lowercased) domain is unusable, or null when it is fine. */
export function domainProblem(domain: string): string | null {
  if (domain === '*') return null
  if (domain.startsWith('*.')) {
    const suffix = domain.slice(2)
    if (suffix === '') return "a wildcard needs a host name after '*.' (e.g. '*.example.com')"
    const problem = hostnameProblem(suffix)
    if (problem !== null) return problem
    if (isIPv4(suffix)) return "a wildcard needs a host name after '*.', not an IP address"
    return null
  }
  return hostnameProblem(domain)
}

/**
 * The Host a route applies to: `*` (any), `*.example.com` (any subdomain), or an exact host name or
 * IPv4 address. Lowercased, because host names are case-insensitive and matching compares exactly.
 */
export const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .superRefine((domain, ctx) => {
    const problem = domainProblem(domain)
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
  })
