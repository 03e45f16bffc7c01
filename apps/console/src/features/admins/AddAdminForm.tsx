import { type ConsoleAdminCreateInput, consoleAdminCreateSchema } from '@gatekeeper/models'
import { Button, Group, TextInput } from '@mantine/core'
import { type FormEvent, useState } from 'react'
import { FormErrors } from '../../components/FormErrors'
import { useFormSubmit } from '../../forms/use-form-submit'
import { otherErrors, validate } from '../../forms/validate'

type Props = { add(body: ConsoleAdminCreateInput): Promise<unknown>; onAdded(): void }

export function AddAdminForm({ add, onAdded }: Props) {
  const [email, setEmail] = useState('')
  const form = useFormSubmit(add, () => {
    setEmail('')
    onAdded()
  })

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    void form.submit(validate(consoleAdminCreateSchema, { email }))
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Add admin">
      <FormErrors formError={form.formError} messages={otherErrors(form.errors, ['email'])} />
      <Group align="flex-start" mt="xs">
        <TextInput
          placeholder="new.admin@example.com"
          aria-label="Admin email"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={form.errors.email}
          style={{ flex: 1 }}
        />
        <Button type="submit" loading={form.submitting}>
          Add admin
        </Button>
      </Group>
    </form>
  )
}
