import { Loader, Paper } from '@mantine/core'
import { useAdminApi, useRuntimeConfig } from '../../app/services-context'
import { useResource } from '../../app/use-resource'
import { ErrorAlert } from '../../components/ErrorAlert'
import { PageHeader } from '../../components/PageHeader'
import { navigate } from '../../router/hash-location'
import { RouteForm, type RouteFormSubmit } from './RouteForm'

type Props = { routeId?: string }

export function RouteEditorPage({ routeId }: Props) {
  const admin = useAdminApi()
  const config = useRuntimeConfig()
  const routes = useResource('routes', () => admin.listRoutes())
  const route = useResource(`route:${routeId ?? 'new'}`, () =>
    routeId === undefined ? Promise.resolve(undefined) : admin.getRoute(routeId),
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
      <ErrorAlert error={route.error} title="Could not load the route" onRetry={route.reload} />
      {editing && route.data === undefined ? (
        route.loading && <Loader />
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
