import { AUDIT_ENTITY_TYPES } from '@gatekeeper/models'
import { Autocomplete, Button, Group, Select, SimpleGrid, TextInput } from '@mantine/core'
import { type ChangeEvent, type FormEvent, useState } from 'react'
import type { FieldErrors } from '../../forms/validate'
import { type AuditFilterValues, EMPTY_FILTER } from './audit-filter'

type Props = {
  /** The filter the page opened with (e.g. a client page's link sets entity_id). */
  initial: AuditFilterValues
  admins: ReadonlyArray<string>
  errors: FieldErrors
  onApply(values: AuditFilterValues): void
}

export function AuditFilters({ initial, admins, errors, onApply }: Props) {
  const [values, setValues] = useState<AuditFilterValues>(initial)
  const set = (field: keyof AuditFilterValues) => (value: string) =>
    setValues((current) => ({ ...current, [field]: value }))

  const text = (field: keyof AuditFilterValues) => ({
    value: values[field],
    onChange: (event: ChangeEvent<HTMLInputElement>) => set(field)(event.currentTarget.value),
    error: errors[field],
  })

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    onApply(values)
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Filter audit log">
      <SimpleGrid cols={{ base: 1, sm: 3 }} mb="sm">
        <Autocomplete
          label="Admin"
          placeholder="any"
          data={[...admins]}
          value={values.actor}
          onChange={set('actor')}
          error={errors.actor}
        />
        <Select
          label="Entity"
          placeholder="any"
          clearable
          data={AUDIT_ENTITY_TYPES.map((type) => ({ value: type, label: type.replace('_', ' ') }))}
          value={values.entity_type === '' ? null : values.entity_type}
          onChange={(value) => set('entity_type')(value ?? '')}
          error={errors.entity_type}
        />
        <TextInput label="Entity id" placeholder="any" {...text('entity_id')} />
        <TextInput label="Action" placeholder="e.g. client.update" {...text('action')} />
        <TextInput label="From" type="datetime-local" {...text('since')} />
        <TextInput label="Until" type="datetime-local" {...text('until')} />
      </SimpleGrid>
      <Group justify="flex-end" mb="md">
        <Button
          variant="default"
          onClick={() => {
            setValues(EMPTY_FILTER)
            onApply(EMPTY_FILTER)
          }}
        >
          Reset
        </Button>
        <Button type="submit">Apply filters</Button>
      </Group>
    </form>
  )
}
