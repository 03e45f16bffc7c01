import type { RouteWire } from '@gatekeeper/models'
import { List, Loader, Text } from '@mantine/core'
import { queryKeys, screenLoad, useApiMutation, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { ConfirmModal } from '../../components/ConfirmModal'
import { ErrorAlert } from '../../components/ErrorAlert'
import { plural } from '../../components/format'

type Props = { route: RouteWire; onClose(): void; onDeleted(): void }

/** Deleting a route also deletes every permission on it: the modal lists them before the admin confirms. */
export function DeleteRouteModal({ route, onClose, onDeleted }: Props) {
  const admin = useAdminApi()
  const grants = useApiQuery(
    queryKeys.routePermissions(route.route_id),
    () => admin.listPermissions({ route_id: route.route_id }),
    screenLoad,
  )
  // On success the screen closes the dialog; a refusal stays in it, beside what the delete would take with it.
  const deletion = useApiMutation<void>(() => admin.deleteRoute(route.route_id), { onSuccess: onDeleted })

  const count = grants.data?.length ?? 0
  return (
    <ConfirmModal
      opened
      title="Delete route"
      confirmLabel="Delete route"
      busy={deletion.isPending || deletion.isSuccess}
      onConfirm={() => deletion.mutate()}
      onClose={onClose}
    >
      <Text size="sm">
        Delete <b>{route.route_pattern}</b> on <b>{route.domain}</b> ({route.service_name})? Requests to it stop
        matching this route at once.
      </Text>
      {grants.isFetching && grants.data === undefined && <Loader size="sm" />}
      {grants.data !== undefined &&
        (count === 0 ? (
          <Text size="sm" c="dimmed">
            No client has a permission on this route.
          </Text>
        ) : (
          <>
            <Text size="sm" fw={600} c="red">
              This also revokes {plural(count, 'permission')}:
            </Text>
            <List size="sm">
              {grants.data.map((grant) => (
                <List.Item key={grant.permission_id}>
                  {grant.client_name}: {grant.allowed_methods.join(', ')}
                </List.Item>
              ))}
            </List>
          </>
        ))}
      <ErrorAlert error={grants.error} title="Could not list the permissions this deletes" />
      <ErrorAlert error={deletion.error} title="Delete failed" />
    </ConfirmModal>
  )
}
