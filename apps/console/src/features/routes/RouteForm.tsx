import {
  type RouteCreateInput,
  type RouteUpdateInput,
  type RouteWire,
  routeCreateSchema,
  routeUpdateSchema,
} from '@gatekeeper/models'
import { Autocomplete, TextInput } from '@mantine/core'
import { FormActions, SchemaFormFrame } from '../../forms/SchemaFormFrame'
import { useSchemaForm } from '../../forms/use-schema-form'
import { describeDomain, domainSuggestions } from './domain-hints'
import { MethodAuthEditor } from './MethodAuthEditor'
import type { MethodsDraft } from './method-draft'

export type RouteFormSubmit =
  | { kind: 'create'; body: RouteCreateInput }
  | { kind: 'update'; routeId: string; body: RouteUpdateInput }

type Props = {
  /** The route being edited; absent when creating. */
  route?: RouteWire
  siteDomain: string | null
  usedDomains: ReadonlyArray<string>
  onSubmit(request: RouteFormSubmit): Promise<RouteWire>
  onSaved(route: RouteWire): void
  onCancel(): void
}

const FIELDS = ['route_pattern', 'domain', 'service_name', 'methods']

/** Create or edit a route; validated with the shared route schemas before anything is sent. */
export function RouteForm({ route, siteDomain, usedDomains, onSubmit, onSaved, onCancel }: Props) {
  const form = useSchemaForm({
    initialValues: {
      route_pattern: route?.route_pattern ?? '',
      domain: route?.domain ?? '*',
      service_name: route?.service_name ?? '',
      methods: (route?.methods ?? { GET: { auth_required: true, auth_type: null } }) as MethodsDraft,
    },
    schema: route === undefined ? routeCreateSchema : routeUpdateSchema,
    toInput: (values) => (route === undefined ? values : { ...values, version: route.version }),
    send: (body) =>
      onSubmit(
        route === undefined
          ? { kind: 'create', body: body as RouteCreateInput }
          : { kind: 'update', routeId: route.route_id, body: body as RouteUpdateInput },
      ),
    onDone: onSaved,
  })
  const { domain, methods } = form.form.values

  return (
    <SchemaFormFrame form={form} label={route === undefined ? 'Create route' : 'Edit route'} fields={FIELDS}>
      <TextInput
        label="Path pattern"
        description="An exact path (/v1/orders) or a prefix ending in /* (/v1/orders/*). Match is on the decoded path."
        placeholder="/v1/orders/*"
        {...form.field('route_pattern')}
      />
      <Autocomplete
        label="Domain"
        description={describeDomain(domain)}
        data={domainSuggestions(siteDomain, usedDomains)}
        {...form.field('domain')}
      />
      <TextInput
        label="Service name"
        description="The upstream this route belongs to (shown to operators and in authz's headers)."
        placeholder="orders"
        {...form.field('service_name')}
      />
      <MethodAuthEditor
        value={methods}
        onChange={(next) => form.form.setFieldValue('methods', next)}
        errors={form.errors}
      />
      <FormActions
        form={form}
        submitLabel={route === undefined ? 'Create route' : 'Save changes'}
        onCancel={onCancel}
      />
    </SchemaFormFrame>
  )
}
