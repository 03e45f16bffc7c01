import { Alert, Anchor, Button, Center, Paper, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { consoleTitle } from '../../api/config'
import { useRuntimeConfig } from '../../app/services-context'
import { CenterRow } from '../../components/CenterRow'
import { SchemaFormFrame } from '../../forms/SchemaFormFrame'
import type { SchemaForm } from '../../forms/use-schema-form'

type Props = { title: string; children: ReactNode; footer?: ReactNode }

export function AuthLayout({ title, children, footer }: Props) {
  const config = useRuntimeConfig()
  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Stack w={400} maw="100%">
        <Stack gap={0} align="center">
          <Text c="dimmed" size="sm" data-testid="console-title">
            {consoleTitle(config)}
          </Text>
          <Title order={2}>{title}</Title>
        </Stack>
        <Paper withBorder shadow="sm" p="lg" radius="md">
          {children}
        </Paper>
        <CenterRow gap="lg">{footer}</CenterRow>
      </Stack>
    </Center>
  )
}

export function AuthLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Anchor href={`#${to}`} size="sm">
      {children}
    </Anchor>
  )
}

type FormPageProps = {
  title: string
  form: Pick<SchemaForm<never>, 'onSubmit' | 'formError' | 'errors' | 'submitting'>
  fields: ReadonlyArray<string>
  submitLabel: string
  /** What the page says, in place of the form, once the form went through. */
  done: false | { title: string; text: ReactNode }
  children: ReactNode
}

/** An account page of Aegis's (register, verify, reset): one form, then what happens next. */
export function AuthFormPage({ title, form, fields, submitLabel, done, children }: FormPageProps) {
  return (
    <AuthLayout title={title} footer={<AuthLink to="/sign-in">Back to sign in</AuthLink>}>
      {done ? (
        <Alert color="teal" title={done.title}>
          {done.text}
        </Alert>
      ) : (
        <SchemaFormFrame form={form} fields={fields}>
          {children}
          <Button type="submit" loading={form.submitting}>
            {submitLabel}
          </Button>
        </SchemaFormFrame>
      )}
    </AuthLayout>
  )
}
