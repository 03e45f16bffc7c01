import {
  type RouteCreateInput,
  type RouteUpdateInput,
  type RouteWire,
  routeCreateSchema,
  routeUpdateSchema,
} from '@gatekeeper/models'
import { Autocomplete, Button, Group, Stack, TextInput } from '@mantine/core'
import { FormErrors } from '../../components/FormErrors'
import { useSchemaForm } from '../../forms/use-schema-form'
import { otherErrors } from '../../forms/validate'
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
    <form onSubmit={form.onSubmit} noValidate aria-label={route === undefined ? 'Create route' : 'Edit route'}>
      <Stack>
        <FormErrors formError={form.formError} messages={otherErrors(form.errors, FIELDS)} />
        <TextInput
          label="Path pattern"
          description="An exact path (/v1/orders) or a prefix ending in /* (/v1/orders/*). Match is on the decoded path."
          placeholder="/v1/orders/*"
          {...form.form.getInputProps('route_pattern')}
          error={form.errors.route_pattern}
        />
        <Autocomplete
          label="Domain"
          description={describeDomain(domain)}
          data={domainSuggestions(siteDomain, usedDomains)}
          {...form.form.getInputProps('domain')}
          error={form.errors.domain}
        />
        <TextInput
          label="Service name"
          description="The upstream this route belongs to (shown to operators and in authz's headers)."
          placeholder="orders"
          {...form.form.getInputProps('service_name')}
          error={form.errors.service_name}
        />
        <MethodAuthEditor
          value={methods}
          onChange={(next) => form.form.setFieldValue('methods', next)}
          errors={form.errors}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            {route === undefined ? 'Create route' : 'Save changes'}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
