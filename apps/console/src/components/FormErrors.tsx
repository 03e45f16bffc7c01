import { Alert, List } from '@mantine/core'

type Props = { formError: string | null; messages: ReadonlyArray<[string, string]> }

/** The form-level message and any field messages no input shows itself. */
export function FormErrors({ formError, messages }: Props) {
  if (formError === null && messages.length === 0) return null
  return (
    <Alert color="red" title={formError ?? 'Please fix the following'} role="alert">
      {messages.length > 0 && (
        <List size="sm">
          {messages.map(([path, message]) => (
            <List.Item key={path}>{path === '' ? message : `${path}: ${message}`}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  )
}
