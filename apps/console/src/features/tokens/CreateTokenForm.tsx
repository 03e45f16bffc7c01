import { type AdminTokenCreatedWire, type AdminTokenCreateInput, adminTokenCreateSchema } from '@gatekeeper/models'
import { Button, Group, Select, TextInput } from '@mantine/core'
import { SchemaFormFrame } from '../../forms/SchemaFormFrame'
import { useSchemaForm } from '../../forms/use-schema-form'

const DAY = 86_400
const SCOPES = [
  { value: 'read', label: 'read (GET only)' },
  { value: 'write', label: 'write (all changes)' },
]
const LIFETIMES = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Never expires' },
]

type Props = {
  create(body: AdminTokenCreateInput): Promise<AdminTokenCreatedWire>
  onCreated(created: AdminTokenCreatedWire): void
}

export function CreateTokenForm({ create, onCreated }: Props) {
  const form = useSchemaForm({
    initialValues: { name: '', scope: 'read', lifetime: '90' },
    schema: adminTokenCreateSchema,
    toInput: ({ name, scope, lifetime }) => ({
      name,
      scope,
      expires_in_seconds: lifetime === 'never' ? null : Number(lifetime) * DAY,
    }),
    send: create,
    onDone: (created) => {
      form.form.setFieldValue('name', '')
      onCreated(created)
    },
  })

  return (
    <SchemaFormFrame form={form} label="Create token" fields={['name', 'scope']} stacked={false}>
      <Group align="flex-start" mt="xs" wrap="wrap">
        <TextInput
          label="Name"
          placeholder="ci"
          description="Shown as the actor in the audit log"
          {...form.field('name')}
          style={{ flex: 1, minWidth: 160 }}
        />
        <Select label="Scope" data={SCOPES} {...form.field('scope')} allowDeselect={false} w={180} />
        <Select
          label="Expires"
          data={LIFETIMES}
          {...form.form.getInputProps('lifetime')}
          allowDeselect={false}
          w={160}
        />
        <Button type="submit" loading={form.submitting} mt={25}>
          Create token
        </Button>
      </Group>
    </SchemaFormFrame>
  )
}
