import type { AdminTokenOps } from '@gatekeeper/db/admin'
import { localSignInEnabled, optionalBoolVar } from '@gatekeeper/models/env'
import { CliError } from './errors'

type Env = Readonly<Record<string, string | undefined>>

/** How long a printed sign-in link can be used (once). `gatekeeper admin sign-in-link` prints a fresh one. */
const SIGN_IN_LINK_TTL_SECONDS = 3600

/** Local sign-in as console-api decides it: CONSOLE_LOCAL_SIGNIN, else on exactly when AEGIS_API_URL is unset. */
export function localSignInOn(env: Env): boolean {
  const flag = optionalBoolVar().safeParse(env.CONSOLE_LOCAL_SIGNIN)
  if (!flag.success) {
    throw CliError.usage('CONSOLE_LOCAL_SIGNIN: expected true or false (or 1/0, yes/no, on/off)')
  }
  return localSignInEnabled(flag.data, env.AEGIS_API_URL)
}

/** The console as this machine's browser reaches the console-api that `gatekeeper start` runs. */
function consoleUrl(env: Env): string {
  const port = env.CONSOLE_API_PORT?.trim() || '7844'
  return `http://127.0.0.1:${port}/console/`
}

export type SignInLink = { url: string; expiresAt: Date }

/**
 * A new one-time sign-in link. The code travels in the URL's fragment, which browsers never send to a
 * server (so it stays out of access logs); the console posts it to /api/auth/local-sign-in once.
 */
export async function mintSignInLink(
  tokens: Pick<AdminTokenOps, 'createSignInCode'>,
  env: Env,
  console = consoleUrl(env),
): Promise<SignInLink> {
  const { code, expiresAt } = await tokens.createSignInCode(SIGN_IN_LINK_TTL_SECONDS, new Date())
  return { url: `${console}#/sign-in?code=${code}`, expiresAt }
}

export type StartSignIn = {
  /** The one-time link, when local sign-in is on and one could be made. */
  url?: string
  /** The same as one line for the log: the link with how long it lasts, Aegis mode, or why there is none. */
  line: string
}

/**
 * What `gatekeeper start` says about signing in to the console: a fresh one-time link when local
 * sign-in is on (on `console`, the console URL the start prints next to it: a session belongs to one
 * origin, so the link must open the same host name), else that the console signs in with Aegis. Never throws: a link that cannot be made
 * is a warning, not a reason to stop the services.
 */
export async function startSignIn(databaseUrl: string, env: Env, console?: string): Promise<StartSignIn> {
  try {
    if (!localSignInOn(env)) {
      return {
        line: 'console sign-in: with Aegis (AEGIS_API_URL is set; local sign-in links are off unless CONSOLE_LOCAL_SIGNIN=true)',
      }
    }
    // Loaded here so the commands that never mint a link do not load the database layer for it.
    const [{ createDb }, { adminTokenOps }] = await Promise.all([
      import('@gatekeeper/db/client'),
      import('@gatekeeper/db/admin'),
    ])
    const handle = createDb(databaseUrl, { max: 1, applicationName: 'gatekeeper-start', onError: () => undefined })
    try {
      const link = await mintSignInLink(adminTokenOps(handle.db), env, console)
      return { url: link.url, line: `console sign-in (${signInLinkNote}): ${link.url}` }
    } finally {
      await handle.close()
    }
  } catch (err) {
    return {
      line: `console sign-in: could not make a sign-in link (${briefly(err)}); run \`gatekeeper admin sign-in-link\``,
    }
  }
}

/** How long the printed link lasts and how to get another, said next to it. */
export const signInLinkNote = `one-time link, valid ${Math.round(SIGN_IN_LINK_TTL_SECONDS / 60)} min; \`gatekeeper admin sign-in-link\` prints another`

/** {@link startSignIn} as the single line the log shows. */
export async function startSignInMessage(databaseUrl: string, env: Env): Promise<string> {
  return (await startSignIn(databaseUrl, env)).line
}

/** One line about a failure, from the driver's own error rather than the query wrapper (no SQL, no parameters). */
function briefly(err: unknown): string {
  const inner = err instanceof Error && err.cause instanceof Error ? err.cause : err
  if (!(inner instanceof Error)) return String(inner)
  const code = 'code' in inner && typeof inner.code === 'string' ? inner.code : undefined
  const line = inner.message.split('\n')[0]?.trim() || code || inner.name
  return line
}
