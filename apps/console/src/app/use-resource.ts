import { useCallback, useEffect, useRef, useState } from 'react'
import { type ApiRequestError, asApiError } from '../api/errors'
import { useSession } from '../session/session-context'

export type Resource<T> = {
  data: T | undefined
  error: ApiRequestError | null
  loading: boolean
  reload(): void
}

/**
 * Loads data for a screen. Reloads when `key` changes, on reload(), and after every sign-in (so a
 * screen whose load hit an expired session fills itself once the admin signs in again). Data from the
 * previous load stays visible while a reload runs or after it fails.
 */
export function useResource<T>(key: string, load: () => Promise<T>): Resource<T> {
  const { generation } = useSession()
  const loadRef = useRef(load)
  loadRef.current = load
  const [tick, setTick] = useState(0)
  const [state, setState] = useState<Omit<Resource<T>, 'reload'>>({ data: undefined, error: null, loading: true })

  // key, generation and tick are the reload triggers (the loader itself is read from a ref).
  useEffect(() => {
    let cancelled = false
    setState((previous) => ({ ...previous, loading: true }))
    loadRef.current().then(
      (data) => {
        if (!cancelled) setState({ data, error: null, loading: false })
      },
      (error: unknown) => {
        if (!cancelled) setState((previous) => ({ data: previous.data, error: asApiError(error), loading: false }))
      },
    )
    return () => {
      cancelled = true
    }
  }, [key, generation, tick])

  const reload = useCallback(() => setTick((value) => value + 1), [])
  return { ...state, reload }
}
