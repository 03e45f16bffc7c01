import { useState } from 'react'
import type { ApiRequestError } from '../api/errors'
import { useApiMutation } from './queries'

export type ConfirmedAction<T> = {
  /** The record the dialog asks about; null while no dialog is open. */
  target: T | null
  /** The record whose change is in flight. */
  running: T | null
  /** The last refusal, shown until the next try. */
  error: ApiRequestError | null
  ask(target: T): void
  cancel(): void
  confirm(): void
  /** Sends the change without asking (a change that needs no confirmation). */
  run(target: T): void
  /** Forgets the last refusal. */
  reset(): void
}

type Options = {
  /** Keep the dialog open, its button busy, until the answer comes (by default it closes as the change is sent). */
  waitInDialog?: boolean
}

/** A change to one record behind a confirm dialog, with its refusal kept for the screen to show. */
export function useConfirmedAction<T>(
  act: (target: T) => Promise<unknown>,
  onDone: (target: T) => void,
  { waitInDialog = false }: Options = {},
): ConfirmedAction<T> {
  const [target, setTarget] = useState<T | null>(null)
  const change = useApiMutation(act, {
    onMutate: () => {
      if (!waitInDialog) setTarget(null)
    },
    onSuccess: (_, done) => onDone(done),
    onSettled: () => setTarget(null),
  })
  return {
    target,
    running: change.isPending ? (change.variables ?? null) : null,
    error: change.error,
    ask: setTarget,
    cancel: () => setTarget(null),
    confirm: () => {
      if (target !== null) change.mutate(target)
    },
    run: (next) => change.mutate(next),
    reset: change.reset,
  }
}
