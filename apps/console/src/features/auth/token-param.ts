/**
 * A token from an emailed link: `#/verify-email?token=…`, or `?token=…` before the hash for links
 * that cannot carry a fragment.
 */
export function tokenFromLinks(hashQuery: URLSearchParams): string {
  const fromHash = hashQuery.get('token')
  if (fromHash !== null) return fromHash
  return new URLSearchParams(window.location.search).get('token') ?? ''
}
