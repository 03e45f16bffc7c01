import { Badge, Button, Code, Table, Text } from '@mantine/core'
import { useState } from 'react'
import type { LooseAuditEntry } from '../../api/lifecycle'
import { ClientLink } from '../../components/ClientLink'
import { DataTable } from '../../components/DataTable'
import { formatTime, shortId } from '../../components/format'
import { auditClientRef } from './audit-links'

const json = (value: unknown) => (value === null || value === undefined ? '—' : JSON.stringify(value, null, 2))

export function AuditTable({ entries }: { entries: ReadonlyArray<LooseAuditEntry> }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set())
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current)
      if (!next.delete(id)) next.add(id)
      return next
    })

  return (
    <DataTable
      minWidth={720}
      rows={entries}
      rowKey={(entry) => entry.audit_id}
      after={(entry) => open.has(entry.audit_id) && <ChangesRow entry={entry} />}
      columns={[
        { header: 'When', cell: (entry) => <Text size="xs">{formatTime(entry.at)}</Text> },
        {
          header: 'Who',
          cell: (entry) => (
            <>
              <Text size="sm">{entry.actor}</Text>
              {entry.actor_type !== 'console_admin' && (
                <Badge size="xs" variant="light">
                  {entry.actor_type}
                </Badge>
              )}
            </>
          ),
        },
        { header: 'Action', cell: (entry) => <Code>{entry.action}</Code> },
        {
          header: 'Entity',
          cell: (entry) => (
            <>
              <Text size="sm">
                {entry.entity_type.replace('_', ' ')} <Code>{shortId(entry.entity_id)}</Code>
              </Text>
              <AuditClientLink entry={entry} />
            </>
          ),
        },
        {
          key: 'changes',
          cell: (entry) => (
            <Button size="compact-xs" variant="subtle" onClick={() => toggle(entry.audit_id)}>
              {open.has(entry.audit_id) ? 'Hide' : 'Changes'}
            </Button>
          ),
        },
      ]}
    />
  )
}

/** The entity before and after the change, under the entry's row. */
function ChangesRow({ entry }: { entry: LooseAuditEntry }) {
  return (
    <Table.Tr>
      <Table.Td colSpan={5}>
        <Text size="xs" fw={600}>
          Before
        </Text>
        <Code block>{json(entry.before)}</Code>
        <Text size="xs" fw={600} mt="xs">
          After
        </Text>
        <Code block>{json(entry.after)}</Code>
      </Table.Td>
    </Table.Tr>
  )
}

/** The client an entry concerns, linked to its page. */
function AuditClientLink({ entry }: { entry: LooseAuditEntry }) {
  const ref = auditClientRef(entry)
  if (ref === null) return null
  return <ClientLink clientId={ref.clientId} name={ref.clientName ?? `client ${shortId(ref.clientId)}`} size="xs" />
}
