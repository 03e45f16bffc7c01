import { Button, Group, Textarea, TextInput } from '@mantine/core'
import { type CredentialUpdateInput, credentialUpdateSchema } from '../../api/lifecycle'
import { fromLocalInput, parseAllowlist, toLocalInput } from '../../forms/local-time'
import { FormModal } from '../../forms/SchemaFormFrame'
import { useSchemaForm } from '../../forms/use-schema-form'

type Props = {
  title: string
  /** What the expiry does, under its field. */
  expiryHelp: string
  expiresAt: number | null
  /** The current allowlist; undefined hides the field (the thing edited has none of its own). */
  ipAllowlist?: ReadonlyArray<string> | null
  save(body: CredentialUpdateInput): Promise<unknown>
  /** After a save, before the dialog closes itself. */
  onSaved(): void
  onClose(): void
}

/** Sets or clears an expiry (and, for a credential, its IP allowlist), checked with the same rules as the API. */
export function ExpiryEditModal({ title, expiryHelp, expiresAt, ipAllowlist, save, onSaved, onClose }: Props) {
  const withAllowlist = ipAllowlist !== undefined
  const form = useSchemaForm({
    initialValues: { expires: toLocalInput(expiresAt), allowlist: (ipAllowlist ?? []).join('\n') },
    schema: credentialUpdateSchema,
    toInput: ({ expires, allowlist }) => ({
      expires_at: fromLocalInput(expires),
      ...(withAllowlist ? { ip_allowlist: parseAllowlist(allowlist) } : {}),
    }),
    send: save,
    onDone: () => {
      onSaved()
      onClose()
    },
  })
  const expires = form.form.values.expires

  const allowlistError = Object.entries(form.errors)
    .filter(([path]) => path === 'ip_allowlist' || path.startsWith('ip_allowlist.'))
    .map(([, message]) => message)
    .join('; ')

  return (
    <FormModal
      title={title}
      label={title}
      form={form}
      fields={['expires_at', 'ip_allowlist']}
      submitLabel="Save"
      onClose={onClose}
    >
      <Group align="flex-end" wrap="nowrap">
        <TextInput
          type="datetime-local"
          label="Expires (your local time)"
          description={expiryHelp}
          {...form.field('expires', 'expires_at')}
          style={{ flex: 1 }}
          data-autofocus
        />
        <Button variant="default" onClick={() => form.form.setFieldValue('expires', '')} disabled={expires === ''}>
          Never
        </Button>
      </Group>
      {withAllowlist && (
        <Textarea
          label="IP allowlist"
          description="IPv4/IPv6 addresses or CIDRs, one per line; requests from other IPs are refused (403 ip_not_allowed). Empty: no list of its own (the client's list, if any, applies)."
          placeholder={'203.0.113.0/24\n2001:db8::/32'}
          rows={4}
          {...form.form.getInputProps('allowlist')}
          error={allowlistError === '' ? undefined : allowlistError}
        />
      )}
    </FormModal>
  )
}
