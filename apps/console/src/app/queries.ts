import {
  keepPreviousData,
  type QueryKey,
  type UseMutationOptions,
  type UseMutationResult,
  type UseQueryOptions,
  type UseQueryResult,
  useMutation,
  useQuery,
} from '@tanstack/react-query'
import { type ApiRequestError, asApiError } from '../api/errors'

/** Query keys of every screen: a client's keys share its prefix, as do the lists a change invalidates. */
export const queryKeys = {
  routes: ['routes'] as const,
  route: (routeId: string) => ['routes', routeId] as const,
  clients: ['clients'] as const,
  clientList: (unusedFor: string) => ['clients', { unused_for: unusedFor }] as const,
  permissions: ['permissions'] as const,
  routePermissions: (routeId: string) => ['permissions', { route_id: routeId }] as const,
  admins: ['admins'] as const,
  tokens: ['tokens'] as const,
  audit: (query: object) => ['audit', query] as const,
  rateLimitPressure: ['rate-limits', 'pressure'] as const,
  rateLimitUsage: (clientId: string, updatedAt: number | string) =>
    ['rate-limits', clientId, 'usage', updatedAt] as const,
  client: (clientId: string) => ['client', clientId] as const,
  clientDetail: (clientId: string) => ['client', clientId, 'detail'] as const,
  clientUsage: (clientId: string, window: string) => ['client', clientId, 'usage', window] as const,
  clientPermissions: (clientId: string) => ['client', clientId, 'permissions'] as const,
  clientAudit: (clientId: string) => ['client', clientId, 'audit'] as const,
  rateLimits: ['rate-limits'] as const,
  changesets: ['changesets'] as const,
  changeset: (changesetId: string) => ['changesets', changesetId] as const,
}

type ExtraOptions<T> = Omit<UseQueryOptions<T, ApiRequestError>, 'queryKey' | 'queryFn'>

/**
 * A list screen's load: fetched again every time the screen opens (never served stale from another screen's
 * visit), and the last data stays on screen while a changed filter loads or a reload fails.
 */
export const screenLoad = { staleTime: 0, placeholderData: keepPreviousData } as const

/** A call whose failure is always an ApiRequestError, as the screens show it. */
export function throwingApiErrors<A extends unknown[], T>(call: (...args: A) => Promise<T>) {
  return async (...args: A): Promise<T> => {
    try {
      return await call(...args)
    } catch (error) {
      throw asApiError(error)
    }
  }
}

/** useQuery whose error is always an ApiRequestError (status, code, and whether the endpoint exists). */
export function useApiQuery<T>(
  key: QueryKey,
  load: () => Promise<T>,
  options: ExtraOptions<T> = {},
): UseQueryResult<T, ApiRequestError> {
  // `load` is called without the query context, so a loader with optional parameters never receives it.
  return useQuery<T, ApiRequestError>({ ...options, queryKey: key, queryFn: throwingApiErrors(() => load()) })
}

/** useMutation whose error is always an ApiRequestError. */
export function useApiMutation<V, T = unknown>(
  change: (variables: V) => Promise<T>,
  options: Omit<UseMutationOptions<T, ApiRequestError, V>, 'mutationFn'> = {},
): UseMutationResult<T, ApiRequestError, V> {
  return useMutation<T, ApiRequestError, V>({
    ...options,
    mutationFn: throwingApiErrors((variables: V) => change(variables)),
  })
}
