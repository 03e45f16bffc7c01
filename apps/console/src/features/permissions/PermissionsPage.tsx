import { type PermissionWire, permissionGrantSchema } from '@gatekeeper/models'
import { Button, Group, Loader, TextInput } from '@mantine/core'
import { useEffect, useMemo, useState } from 'react'
import { type ApiRequestError, asApiError } from '../../api/errors'
import { queryKeys, screenLoad, useApiQuery } from '../../app/queries'
import { useAdminApi } from '../../app/services-context'
import { EmptyState } from '../../components/EmptyState'
import { ErrorAlert } from '../../components/ErrorAlert'
import { PageHeader } from '../../components/PageHeader'
import { validate } from '../../forms/validate'
import { navigate } from '../../router/hash-location'
import { cellKey, indexGrants, type MatrixChange, provisionalGrant } from './matrix'
import { PermissionMatrix } from './PermissionMatrix'

export function PermissionsPage() {
  const admin = useAdminApi()
  const clients = useApiQuery(queryKeys.clientList(''), () => admin.listClients(), screenLoad)
  const routes = useApiQuery(queryKeys.routes, () => admin.listRoutes(), screenLoad)
  const permissions = useApiQuery(queryKeys.permissions, () => admin.listPermissions(), screenLoad)
  const [grants, setGrants] = useState<Map<string, PermissionWire>>(new Map())
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set())
  const [error, setError] = useState<ApiRequestError | null>(null)
  const [clientFilter, setClientFilter] = useState('')
  const [routeFilter, setRouteFilter] = useState('')

  useEffect(() => {
    if (permissions.data !== undefined) setGrants(indexGrants(permissions.data))
  }, [permissions.data])

  const restore = (cell: string, previous: PermissionWire | undefined) =>
    setGrants((current) => {
      const next = new Map(current)
      if (previous === undefined) next.delete(cell)
      else next.set(cell, previous)
      return next
    })

  // The cell shows the new state at once (its toggles stay disabled until the server answers) and
  // goes back to what it was if the server refuses.
  const apply = async (cell: string, change: MatrixChange) => {
    if (change.kind === 'none') return
    const previous = grants.get(cell)
    setError(null)
    setPending((current) => new Set(current).add(cell))
    restore(cell, change.kind === 'revoke' ? undefined : provisionalGrant(previous, change.body))
    try {
      if (change.kind === 'revoke') {
        await admin.revokePermission(change.permissionId)
      } else {
        const checked = validate(permissionGrantSchema, change.body)
        if (!checked.ok) throw new Error(Object.values(checked.errors).join('; '))
        const saved = await admin.grantPermission(checked.data)
        restore(cellKey(saved.client_id, saved.route_id), saved)
      }
    } catch (failure) {
      restore(cell, previous)
      setError(asApiError(failure))
    } finally {
      setPending((current) => {
        const next = new Set(current)
        next.delete(cell)
        return next
      })
    }
  }

  const visibleClients = useMemo(() => {
    const needle = clientFilter.trim().toLowerCase()
    return (clients.data ?? []).filter((client) => client.client_name.toLowerCase().includes(needle))
  }, [clients.data, clientFilter])
  const visibleRoutes = useMemo(() => {
    const needle = routeFilter.trim().toLowerCase()
    return (routes.data ?? []).filter((route) =>
      `${route.route_pattern} ${route.domain} ${route.service_name}`.toLowerCase().includes(needle),
    )
  }, [routes.data, routeFilter])

  const loading = clients.data === undefined || routes.data === undefined || permissions.data === undefined
  const loadError = clients.error ?? routes.error ?? permissions.error
  return (
    <>
      <PageHeader
        title="Permissions"
        description="Tick the methods each client may call on each route. Changes apply at once."
      />
      <ErrorAlert error={loadError} title="Could not load permissions" />
      <ErrorAlert error={error} title="The change was refused" />
      <Group mb="sm" grow>
        <TextInput
          placeholder="Filter clients"
          aria-label="Filter clients"
          value={clientFilter}
          onChange={(e) => setClientFilter(e.currentTarget.value)}
        />
        <TextInput
          placeholder="Filter routes"
          aria-label="Filter routes"
          value={routeFilter}
          onChange={(e) => setRouteFilter(e.currentTarget.value)}
        />
      </Group>
      {loading ? (
        loadError === null && <Loader />
      ) : clients.data?.length === 0 || routes.data?.length === 0 ? (
        <EmptyState
          title={`No ${clients.data?.length === 0 ? 'clients' : 'routes'}${clients.data?.length === 0 && routes.data?.length === 0 ? ' or routes' : ''} yet`}
          testId="empty-permissions"
          actions={
            <>
              {routes.data?.length === 0 && <Button onClick={() => navigate('/routes/new')}>Create a route</Button>}
              {clients.data?.length === 0 && <Button onClick={() => navigate('/clients')}>Go to clients</Button>}
            </>
          }
        >
          A permission lets one client call some methods of one route. Create at least one route and one client, and
          tick the methods here.
        </EmptyState>
      ) : visibleClients.length === 0 || visibleRoutes.length === 0 ? (
        <EmptyState
          title="Nothing matches the filters"
          actions={
            <Button
              variant="default"
              onClick={() => {
                setClientFilter('')
                setRouteFilter('')
              }}
            >
              Clear filters
            </Button>
          }
        />
      ) : (
        <PermissionMatrix
          clients={visibleClients}
          routes={visibleRoutes}
          grants={grants}
          pending={pending}
          onChange={(cell, change) => void apply(cell, change)}
        />
      )}
    </>
  )
}
