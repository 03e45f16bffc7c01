import { PasswordInput, TextInput } from '@mantine/core'
import { useState } from 'react'
import { useAuthApi } from '../../app/services-context'
import { useSchemaForm } from '../../forms/use-schema-form'
import { useHashQuery } from '../../router/hash-location'
import { AuthFormPage } from './AuthLayout'
import { resetPasswordSchema } from './schemas'
import { tokenFromLinks } from './token-param'

export function ResetPasswordPage() {
  const auth = useAuthApi()
  const query = useHashQuery()
  const [done, setDone] = useState(false)
  const form = useSchemaForm({
    initialValues: { token: tokenFromLinks(query), new_password: '', confirm: '' },
    schema: resetPasswordSchema,
    toInput: (values) => values,
    send: (data) => auth.resetPassword({ token: data.token, new_password: data.new_password }),
    onDone: () => setDone(true),
  })

  return (
    <AuthFormPage
      title="Choose a new password"
      form={form}
      fields={['token', 'new_password', 'confirm']}
      submitLabel="Set new password"
      done={
        done && {
          title: 'Password changed',
          text: (
            <>
              You can now <a href="#/sign-in">sign in</a> with the new password.
            </>
          ),
        }
      }
    >
      <TextInput label="Reset token" {...form.field('token')} />
      <PasswordInput label="New password" autoComplete="new-password" {...form.field('new_password')} />
      <PasswordInput label="Repeat new password" autoComplete="new-password" {...form.field('confirm')} />
    </AuthFormPage>
  )
}
