import { AUDIT_ENTITY_TYPES } from '@gatekeeper/models'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { parseSince } from '../duration'
import { CliError } from '../errors'
import { resolveClient, resolveRoute } from '../lookups'
import { formatTime } from '../output'
import { parseCount } from './options'

type AuditOptions = {
  actor?: string
  entity?: string
  action?: string
  since?: string
  until?: string
  limit: string
  json?: boolean
}

export function registerAudit(program: Command, ctx: CliContext): void {
  program
    .command('audit')
    .description('the audit log of configuration changes, newest first')
    .option('--actor <actor>', 'only changes by this actor (an OS user, an admin email, aegis)')
    .option(
      '--entity <type[:id]>',
      `only this kind of entity (${AUDIT_ENTITY_TYPES.join(', ')}), optionally one of them (a client or route also by name)`,
    )
    .option('--action <action>', 'only this action, e.g. client.create, route.delete, import.client')
    .option('--since <time>', 'from this time: epoch seconds, ISO date/time, or an age like 2h, 7d')
    .option('--until <time>', 'up to this time (same forms)')
    .option('--limit <n>', 'at most this many entries (max 500)', '50')
    .option('--json', 'print the entries as a JSON array')
    .addHelpText(
      'after',
      '\nExamples:\n  gatekeeper audit --since 24h\n  gatekeeper audit --entity client:orders-web --json',
    )
    .action(async (opts: AuditOptions) => {
      const now = Math.floor(Date.now() / 1000)
      const [entityType, given] = opts.entity === undefined ? [] : splitEntity(opts.entity)
      const { ops } = await ctx.session()
      // A client or route still present may be named (a deleted one only by its id, which the log keeps).
      const entityId =
        given === undefined
          ? undefined
          : entityType === 'client'
            ? await resolveClient(ops, given)
            : entityType === 'route'
              ? await resolveRoute(ops, given)
              : given
      const query = {
        actor: opts.actor,
        entity_type: entityType,
        entity_id: entityId,
        action: opts.action,
        since: opts.since === undefined ? undefined : parseSince(opts.since, '--since', now),
        until: opts.until === undefined ? undefined : parseSince(opts.until, '--until', now),
        limit: parseCount(opts.limit, '--limit', 500),
      }
      ctx.out.list(await ops.audit.list(query), opts, {
        empty: 'no audit entries match',
        headers: ['AT', 'ACTOR', 'ACTION', 'ENTITY'],
        row: (e) => [formatTime(e.at), `${e.actor} (${e.actor_type})`, e.action, `${e.entity_type} ${e.entity_id}`],
      })
    })
}

function splitEntity(text: string): [string, string | undefined] {
  const colon = text.indexOf(':')
  const type = (colon === -1 ? text : text.slice(0, colon)).trim()
  const id = colon === -1 ? undefined : text.slice(colon + 1).trim()
  if (!AUDIT_ENTITY_TYPES.some((t) => t === type)) {
    throw CliError.usage(`--entity: "${type}" is not one of ${AUDIT_ENTITY_TYPES.join(', ')}`)
  }
  return [type, id === '' ? undefined : id]
}
