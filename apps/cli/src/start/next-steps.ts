import { shellQuote } from '../shell'
import { signInLinkNote } from '../sign-in-link'

// The block `gatekeeper start` ends with once everything answers: where the console is, how to sign
// in, how to get test data, and one request to authz to see a decision. Kept as data → lines so the
// sign-in link (when local sign-in is on) and any other line can be added without touching the rest.

export type StartSummary = {
  authzUrl: string
  consoleApiUrl: string
  /** Why the console is not served (no build); undefined when it is. */
  consoleUnavailable?: string | undefined
  /** A one-time link that signs the browser in to the console, when local sign-in is on. */
  signInUrl?: string | undefined
  /** How to run the CLI from where the user is (`gatekeeper`, `pnpm gatekeeper`, `GATEKEEPER_DATA_DIR=… gatekeeper`). */
  cli: string
}

/** A curl the user can paste: the test data's public route, as nginx would ask authz about it. */
function authzTryCurl(authzUrl: string): string {
  return [
    'curl -i',
    shellQuote(`${authzUrl}/authz`),
    `-H ${shellQuote('X-Original-URI: /api/public')}`,
    `-H ${shellQuote('X-Original-Method: GET')}`,
    `-H ${shellQuote('X-Original-Host: gatekeeper.test')}`,
  ].join(' ')
}

export function consoleUrl(consoleApiUrl: string): string {
  return `${consoleApiUrl}/console/`
}

export function nextStepsLines(s: StartSummary): string[] {
  const lines = ['', 'Next steps:']
  if (s.consoleUnavailable === undefined) lines.push(`  console     ${consoleUrl(s.consoleApiUrl)}`)
  else lines.push(`  console     not served: ${s.consoleUnavailable}`)
  if (s.signInUrl !== undefined) {
    lines.push(`  sign in     ${s.signInUrl}`)
    lines.push(`              (${signInLinkNote})`)
  }
  lines.push(`  test data   ${s.cli} setup-test-data`)
  lines.push(`  ask authz   ${authzTryCurl(s.authzUrl)}`)
  lines.push('              (403 no_route_match until setup-test-data creates /api/public; then 200)')
  lines.push('')
  return lines
}
