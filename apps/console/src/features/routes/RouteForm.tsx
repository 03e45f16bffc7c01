import {
  type RouteCreateInput,
  type RouteUpdateInput,
  type RouteWire,
  routeCreateSchema,
  routeUpdateSchema,
} from '@gatekeeper/models'
import { Autocomplete, Button, Group, Stack, TextInput } from '@mantine/core'
import { type FormEvent, useState } from 'react'
import { FormErrors } from '../../components/FormErrors'
import { useFormSubmit } from '../../forms/use-form-submit'
import { otherErrors, validate } from '../../forms/validate'
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
  const [pattern, setPattern] = useState(route?.route_pattern ?? '')
  const [domain, setDomain] = useState(route?.domain ?? '*')
  const [service, setService] = useState(route?.service_name ?? '')
  const [methods, setMethods] = useState<MethodsDraft>(
    route?.methods ?? { GET: { auth_required: true, auth_type: null } },
  )
  const form = useFormSubmit(onSubmit, onSaved)

  const onFormSubmit = (event: FormEvent) => {
    event.preventDefault()
    const values = { route_pattern: pattern, domain, service_name: service, methods }
    if (route === undefined) {
      const checked = validate(routeCreateSchema, values)
      void form.submit(checked.ok ? { ok: true, data: { kind: 'create', body: checked.data } } : checked)
    } else {
      const checked = validate(routeUpdateSchema, { ...values, version: route.version })
      void form.submit(
        checked.ok ? { ok: true, data: { kind: 'update', routeId: route.route_id, body: checked.data } } : checked,
      )
    }
  }

  return (
    <form onSubmit={onFormSubmit} noValidate aria-label={route === undefined ? 'Create route' : 'Edit route'}>
      <Stack>
        <FormErrors formError={form.formError} messages={otherErrors(form.errors, FIELDS)} />
        <TextInput
          label="Path pattern"
          description="An exact path (/v1/orders) or a prefix ending in /* (/v1/orders/*). Match is on the decoded path."
          placeholder="/v1/orders/*"
          value={pattern}
          onChange={(e) => setPattern(e.currentTarget.value)}
          error={form.errors.route_pattern}
        />
        <Autocomplete
          label="Domain"
          description={describeDomain(domain)}
          data={domainSuggestions(siteDomain, usedDomains)}
          value={domain}
          onChange={setDomain}
          error={form.errors.domain}
        />
        <TextInput
          label="Service name"
          description="The upstream this route belongs to (shown to operators and in authz's headers)."
          placeholder="orders"
          value={service}
          onChange={(e) => setService(e.currentTarget.value)}
          error={form.errors.service_name}
        />
        <MethodAuthEditor value={methods} onChange={setMethods} errors={form.errors} />
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
