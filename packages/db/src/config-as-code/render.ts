import { type ConfigEntityKind, type ConfigPlan, type PlanChange, planCounts } from './plan'

const KIND_LABEL: Record<ConfigEntityKind, string> = {
  route: 'route',
  client: 'client',
  permission: 'permission',
  rate_limit: 'rate limit',
  console_admin: 'console admin',
}

const SIGN = { create: '+', update: '~', delete: '-' } as const

function shown(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value)
}

function changeLines(change: PlanChange): string[] {
  const head = `${SIGN[change.action]} ${change.action} ${KIND_LABEL[change.kind]} ${change.key}`
  const fields = change.fields.map((f) => {
    if (change.action === 'create') return `    ${f.field}: ${shown(f.to)}`
    if (change.action === 'delete') return `    ${f.field}: ${shown(f.from)}`
    return `    ${f.field}: ${shown(f.from)} → ${shown(f.to)}`
  })
  return [head, ...fields]
}

/**
 * The plan as a person reads it in a terminal or a CI log: one block per change (`+` create, `~` update
 * field by field, `-` delete), a summary line, then what is left alone without --prune.
 */
export function renderPlan(plan: ConfigPlan): string[] {
  const lines = plan.changes.flatMap(changeLines)
  const counts = planCounts(plan)
  if (plan.changes.length === 0) lines.push('No changes: the live configuration matches the file.')
  else {
    if (lines.length > 0) lines.push('')
    lines.push(`Plan: ${counts.create} to create, ${counts.update} to update, ${counts.delete} to delete.`)
  }
  if (plan.unmanaged.length > 0) {
    lines.push(
      '',
      `${plan.unmanaged.length} live ${plan.unmanaged.length === 1 ? 'entity is' : 'entities are'} not in the file and kept (with --prune they would be deleted):`,
      ...plan.unmanaged.map((u) => `    ${KIND_LABEL[u.kind]} ${u.key}`),
    )
  }
  if (plan.notes.length > 0) lines.push('', ...plan.notes.map((n) => `note: ${n}`))
  return lines
}
