import { type QueryKey, type UseQueryResult, useQuery } from '@tanstack/react-query'
import { type ApiRequestError, asApiError } from '../api/errors'

/** Query keys of the screens that load through TanStack Query: a client's keys share its prefix. */
export const queryKeys = {
  client: (clientId: string) => ['client', clientId] as const,
  clientDetail: (clientId: string) => ['client', clientId, 'detail'] as const,
  clientUsage: (clientId: string, window: string) => ['client', clientId, 'usage', window] as const,
  clientPermissions: (clientId: string) => ['client', clientId, 'permissions'] as const,
  clientAudit: (clientId: string) => ['client', clientId, 'audit'] as const,
  rateLimits: ['rate-limits'] as const,
  changesets: ['changesets'] as const,
  changeset: (changesetId: string) => ['changesets', changesetId] as const,
}

/** useQuery whose error is always an ApiRequestError (status, code, and whether the endpoint exists). */
export function useApiQuery<T>(key: QueryKey, load: () => Promise<T>): UseQueryResult<T, ApiRequestError> {
  return useQuery<T, ApiRequestError>({
    queryKey: key,
    queryFn: async () => {
      try {
        return await load()
      } catch (error) {
        throw asApiError(error)
      }
    },
  })
}
