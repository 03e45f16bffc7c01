import { type AdminTokenCreatedWire, type AdminTokenCreateInput, adminTokenCreateSchema } from '@gatekeeper/models'
import { Button, Group, Select, TextInput } from '@mantine/core'
import { type FormEvent, useState } from 'react'
import { FormErrors } from '../../components/FormErrors'
import { useFormSubmit } from '../../forms/use-form-submit'
import { otherErrors, validate } from '../../forms/validate'

const DAY = 86_400
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
  const [name, setName] = useState('')
  const [scope, setScope] = useState<string>('read')
  const [lifetime, setLifetime] = useState<string>('90')
  const form = useFormSubmit(create, (created) => {
    setName('')
    onCreated(created)
  })

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const expires = lifetime === 'never' ? null : Number(lifetime) * DAY
    void form.submit(validate(adminTokenCreateSchema, { name, scope, expires_in_seconds: expires }))
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Create token">
      <FormErrors formError={form.formError} messages={otherErrors(form.errors, ['name', 'scope'])} />
      <Group align="flex-start" mt="xs" wrap="wrap">
        <TextInput
          label="Name"
          placeholder="ci"
          description="Shown as the actor in the audit log"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={form.errors.name}
          style={{ flex: 1, minWidth: 160 }}
        />
        <Select
          label="Scope"
          data={[
            { value: 'read', label: 'read (GET only)' },
            { value: 'write', label: 'write (all changes)' },
          ]}
          value={scope}
          onChange={(value) => setScope(value ?? 'read')}
          allowDeselect={false}
          error={form.errors.scope}
          w={180}
        />
        <Select
          label="Expires"
          data={LIFETIMES}
          value={lifetime}
          onChange={(value) => setLifetime(value ?? '90')}
          allowDeselect={false}
          w={160}
        />
        <Button type="submit" loading={form.submitting} mt={25}>
          Create token
        </Button>
      </Group>
    </form>
  )
}
