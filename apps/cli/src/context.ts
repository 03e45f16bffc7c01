import type { Sealer } from '@gatekeeper/crypto'
import { type Actor, type AdminOps, createAdminOps } from '@gatekeeper/db/admin'
import type { DbHandle } from '@gatekeeper/db/client'
import type { CliConfig } from './config'
import { connectDb, type DbTarget, resolveDbTarget } from './database'
import type { Output } from './output'
import { clackPrompter, nonInteractivePrompter, type Prompter } from './prompt'
import { resolveSealer } from './sealer'

/** An open database with the admin operations bound to it. */
export type Session = { target: DbTarget; handle: DbHandle; ops: AdminOps; sealer: Sealer }

/** What every command gets: configuration, output, prompts, and (lazily) the database. */
export type CliContext = {
  readonly config: CliConfig
  /** The environment, for commands that read a named variable (`sign --secret-env`). */
  readonly env: Readonly<Record<string, string | undefined>>
  readonly out: Output
  /** The operator's OS user: the audit log's actor for every change made here. */
  readonly actor: Actor
  /** How to run this CLI again, for the commands it prints (`gatekeeper`, or `node …/dist/main.js`). */
  readonly self: string
  /** Questions are asked only with a terminal on stdin and stdout, and never under --json. */
  prompter(opts: { json?: boolean | undefined }): Prompter
  session(): Promise<Session>
  close(): Promise<void>
}

export type ContextDeps = {
  config: CliConfig
  env: Readonly<Record<string, string | undefined>>
  out: Output
  user: string
  terminal: boolean
  self: string
}

export function createContext(deps: ContextDeps): CliContext {
  let opening: Promise<Session> | undefined
  return {
    config: deps.config,
    env: deps.env,
    out: deps.out,
    actor: { actor: deps.user, actorType: 'cli' },
    self: deps.self,
    prompter: (opts) => (deps.terminal && !opts.json ? clackPrompter : nonInteractivePrompter),
    session() {
      opening ??= (async () => {
        const target = await resolveDbTarget(deps.config)
        const sealer = resolveSealer(deps.config)
        const handle = await connectDb(target)
        return { target, handle, sealer, ops: createAdminOps({ db: handle.db, sealer }) }
      })()
      return opening
    },
    async close() {
      if (opening === undefined) return
      const session = await opening.catch(() => undefined)
      await session?.handle.close()
    },
  }
}
