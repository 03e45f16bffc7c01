import { useCallback, useState } from 'react'
import { asApiError } from '../api/errors'
import { detailsToFieldErrors, type FieldErrors, type Validation } from './validate'

export type SubmitState = {
  errors: FieldErrors
  /** A message for the whole form (the server's message, or a network failure). */
  formError: string | null
  submitting: boolean
}

/**
 * Validate-then-send for a form: local schema errors stop the request; a refusal from the server shows
 * its `details` on the fields and its message above them. Values stay as typed in every case.
 */
export function useFormSubmit<T, R>(send: (data: T) => Promise<R>, onDone?: (result: R) => void) {
  const [state, setState] = useState<SubmitState>({ errors: {}, formError: null, submitting: false })

  const submit = useCallback(
    async (validation: Validation<T>): Promise<R | undefined> => {
      if (!validation.ok) {
        setState({ errors: validation.errors, formError: null, submitting: false })
        return undefined
      }
      setState({ errors: {}, formError: null, submitting: true })
      try {
        const result = await send(validation.data)
        setState({ errors: {}, formError: null, submitting: false })
        onDone?.(result)
        return result
      } catch (error) {
        const failure = asApiError(error)
        const formError = failure.sessionEnded
          ? 'Your session expired. Sign in again, then submit once more: your entries are kept.'
          : failure.message
        setState({ errors: detailsToFieldErrors(failure.details), formError, submitting: false })
        return undefined
      }
    },
    [send, onDone],
  )

  const reset = useCallback(() => setState({ errors: {}, formError: null, submitting: false }), [])
  return { ...state, submit, reset }
}
