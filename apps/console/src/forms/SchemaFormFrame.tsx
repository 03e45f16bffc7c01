import { Button, Group, Modal, Stack } from '@mantine/core'
import type { ReactNode } from 'react'
import { FormErrors } from '../components/FormErrors'
import type { SchemaForm } from './use-schema-form'
import { otherErrors } from './validate'

type FormState = Pick<SchemaForm<never>, 'onSubmit' | 'formError' | 'errors' | 'submitting'>

type FrameProps = {
  form: FormState
  /** The form's accessible name. */
  label?: string
  /** The schema paths whose inputs show their own message; any other message goes in the summary above them. */
  fields: ReadonlyArray<string>
  /** Inputs one under the other (by default); false for a form laid out by its children. */
  stacked?: boolean
  children: ReactNode
}

/** A schema form: sent only once the shared schema accepts it, with the messages no input shows on top. */
export function SchemaFormFrame({ form, label, fields, stacked = true, children }: FrameProps) {
  const errors = <FormErrors formError={form.formError} messages={otherErrors(form.errors, fields)} />
  return (
    <form onSubmit={form.onSubmit} noValidate aria-label={label}>
      {stacked ? (
        <Stack>
          {errors}
          {children}
        </Stack>
      ) : (
        <>
          {errors}
          {children}
        </>
      )}
    </form>
  )
}

type ActionsProps = { form: FormState; submitLabel: string; color?: string; onCancel(): void }

/** Cancel and the submit button, at the end of a form. */
export function FormActions({ form, submitLabel, color, onCancel }: ActionsProps) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" color={color} loading={form.submitting}>
        {submitLabel}
      </Button>
    </Group>
  )
}

type ModalProps = Omit<FrameProps, 'stacked'> & {
  title: string
  submitLabel: string
  submitColor?: string
  onClose(): void
}

/** A schema form in a dialog; Cancel, Escape and a click outside close it unsent. */
export function FormModal({ title, submitLabel, submitColor, onClose, children, ...frame }: ModalProps) {
  return (
    <Modal opened onClose={onClose} title={title} centered>
      <SchemaFormFrame {...frame}>
        {children}
        <FormActions form={frame.form} submitLabel={submitLabel} color={submitColor} onCancel={onClose} />
      </SchemaFormFrame>
    </Modal>
  )
}
