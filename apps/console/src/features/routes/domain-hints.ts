import { domainProblem } from '@gatekeeper/models'

/** Plain-words reading of a domain, shown under the input as the admin types. */
export function describeDomain(raw: string): string {
  const domain = raw.trim().toLowerCase()
  if (domain === '' || domain === '*') return 'Matches requests for any host.'
  const problem = domainProblem(domain)
  if (problem !== null) return `Not valid yet: ${problem}.`
  if (domain.startsWith('*.')) return `Matches any subdomain of ${domain.slice(2)} (not ${domain.slice(2)} itself).`
  return `Matches requests for ${domain} only.`
}

/** Suggestions: any host, the tenant's domain and its subdomains, and domains other routes already use. */
export function domainSuggestions(siteDomain: string | null, used: ReadonlyArray<string>): Array<string> {
  const suggestions = ['*']
  if (siteDomain !== null) suggestions.push(siteDomain, `*.${siteDomain}`, `api.${siteDomain}`)
  suggestions.push(...used)
  return [...new Set(suggestions.map((value) => value.toLowerCase()))]
}
