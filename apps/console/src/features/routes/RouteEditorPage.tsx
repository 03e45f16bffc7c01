import { Loader, Paper } from '@mantine/core'
import { queryKeys, screenLoad, useApiQuery } from '../../app/queries'
import { useAdminApi, useRuntimeConfig } from '../../app/services-context'
import { ErrorAlert } from '../../components/ErrorAlert'
import { PageHeader } from '../../components/PageHeader'
import { navigate } from '../../router/hash-location'
import { RouteForm, type RouteFormSubmit } from './RouteForm'

type Props = { routeId?: string }

export function RouteEditorPage({ routeId }: Props) {
  const admin = useAdminApi()
  const config = useRuntimeConfig()
  const routes = useApiQuery(queryKeys.routes, () => admin.listRoutes(), screenLoad)
  const route = useApiQuery(
    queryKeys.route(routeId ?? ''),
    () => (routeId === undefined ? Promise.resolve(undefined) : admin.getRoute(routeId)),
    { ...screenLoad, enabled: routeId !== undefined },
  )
  const usedDomains = [...new Set((routes.data ?? []).map((item) => item.domain))]

  const submit = (request: RouteFormSubmit) =>
    request.kind === 'create' ? admin.createRoute(request.body) : admin.updateRoute(request.routeId, request.body)

  const editing = routeId !== undefined
  return (
    <>
      <PageHeader
        title={editing ? 'Edit route' : 'New route'}
        description="Methods that are not enabled are refused by authz for this path."
      />
      <ErrorAlert error={route.error} title="Could not load the route" onRetry={() => void route.refetch()} />
      {editing && route.data === undefined ? (
        route.isFetching && <Loader />
      ) : (
        <Paper withBorder p="lg" maw={760}>
          <RouteForm
            key={route.data?.route_id ?? 'new'}
            route={route.data}
            siteDomain={config.siteDomain}
            usedDomains={usedDomains}
            onSubmit={submit}
            onSaved={() => navigate('/routes')}
            onCancel={() => navigate('/routes')}
          />
        </Paper>
      )}
    </>
  )
}
