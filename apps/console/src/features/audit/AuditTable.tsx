import { Badge, Button, Code, Table, Text } from '@mantine/core'
import { Fragment, useState } from 'react'
import type { LooseAuditEntry } from '../../api/lifecycle'
import { ClientLink } from '../../components/ClientLink'
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
    <Table.ScrollContainer minWidth={720} type="native">
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Who</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Entity</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Fragment key={entry.audit_id}>
              <Table.Tr>
                <Table.Td>
                  <Text size="xs">{formatTime(entry.at)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{entry.actor}</Text>
                  {entry.actor_type !== 'console_admin' && (
                    <Badge size="xs" variant="light">
                      {entry.actor_type}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Code>{entry.action}</Code>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {entry.entity_type.replace('_', ' ')} <Code>{shortId(entry.entity_id)}</Code>
                  </Text>
                  <AuditClientLink entry={entry} />
                </Table.Td>
                <Table.Td>
                  <Button size="compact-xs" variant="subtle" onClick={() => toggle(entry.audit_id)}>
                    {open.has(entry.audit_id) ? 'Hide' : 'Changes'}
                  </Button>
                </Table.Td>
              </Table.Tr>
              {open.has(entry.audit_id) && (
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
              )}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

/** The client an entry concerns, linked to its page. */
function AuditClientLink({ entry }: { entry: LooseAuditEntry }) {
  const ref = auditClientRef(entry)
  if (ref === null) return null
  return <ClientLink clientId={ref.clientId} name={ref.clientName ?? `client ${shortId(ref.clientId)}`} size="xs" />
}
