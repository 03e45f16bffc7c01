import { PasswordInput, TextInput } from '@mantine/core'
import { useAuthApi } from '../../app/services-context'
import { useHashQuery } from '../../router/hash-location'
import { AuthFormPage } from './AuthLayout'
import { resetPasswordSchema } from './schemas'
import { tokenFromLinks } from './token-param'
import { useAuthForm } from './use-auth-form'

export function ResetPasswordPage() {
  const auth = useAuthApi()
  const query = useHashQuery()
  const { form, done } = useAuthForm({
    initialValues: { token: tokenFromLinks(query), new_password: '', confirm: '' },
    schema: resetPasswordSchema,
    send: (data) => auth.resetPassword({ token: data.token, new_password: data.new_password }),
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
