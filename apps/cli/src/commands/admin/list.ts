import type { Command } from 'commander'
import type { CliContext } from '../../context'
import { formatTime } from '../../output'
import { registerListCommand } from '../list-command'

export function registerAdminList(admin: Command, ctx: CliContext): void {
  registerListCommand(admin, ctx, {
    description: 'list console admins and their binding (pending until the first verified sign-in, then bound)',
    json: 'print the admins as a JSON array',
    load: (ops) => ops.admins.list(),
    // BINDING: "pending" rows wait for the first sign-in of a verified user of our Aegis site with that email;
    // "bound" rows sign in only as the Aegis user (/me uuid) in AEGIS USER. WEBHOOK ID is what Aegis's
    // webhooks call the user (matched by user.deleted), never used to sign in.
    view: () => ({
      empty: 'no console admins',
      headers: ['EMAIL', 'BINDING', 'AEGIS USER', 'WEBHOOK ID', 'SOURCE', 'ADDED', 'ADMIN ID'],
      row: (a) => [
        a.email,
        a.binding === 'bound' ? 'bound' : 'pending (first sign-in)',
        a.aegis_user_id ?? '-',
        a.aegis_webhook_user_id ?? '-',
        a.source,
        formatTime(a.created_at),
        a.admin_id,
      ],
    }),
  })
}
