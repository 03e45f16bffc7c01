import type { Probe } from '../faults/load'
import { ACTOR, type Client3, type FaultWorld } from '../faults/world'

// Live configuration changes during the soak, one every few seconds, through the admin operations, each with
// the probes that watch it. A probe whose answer depends on a change in flight accepts both answers; everything
// else stays exact.

export interface Churn {
  probes: Probe[]
  /** Makes the next change; returns what it did. */
  step(): Promise<string>
  /** Route ids created during the soak (their metric series are new by design). */
  createdRoutes: Set<string>
  /** Routes the churn made before the soak started. */
  routeIds(): string[]
  changes: number
}

export async function createChurn(world: FaultWorld): Promise<Churn> {
  const ops = world.ops
  const created = await Promise.all(
    ['rotator', 'flapper', 'toggler'].map(async (name) => {
      const c = await ops.clients.create(ACTOR, { client_name: name, api_key: true })
      return { id: c.client_id, key: c.api_key ?? '', secret: '' } satisfies Client3
    }),
  )
  const [rotator, flapper, toggler] = created
  if (rotator === undefined || flapper === undefined || toggler === undefined) throw new Error('churn clients')
  for (const c of [rotator, flapper, toggler]) {
    await ops.permissions.grant(ACTOR, { client_id: c.id, route_id: world.routes.key, allowed_methods: ['GET'] })
  }
  const flip = await ops.routes.create(ACTOR, {
    route_pattern: '/flip/*',
    domain: 'api.example.com',
    service_name: 'flip',
    methods: { GET: { auth_required: false } },
  })
  const throttled = await ops.clients.create(ACTOR, { client_name: 'throttled', api_key: true })
  await ops.permissions.grant(ACTOR, {
    client_id: throttled.client_id,
    route_id: world.routes.key,
    allowed_methods: ['GET'],
  })
  await ops.rateLimits.set(ACTOR, throttled.client_id, { requests_per_minute: 120 })

  // The rotator presents the key it was given until 2 s after a rotation: the old one stays valid for the
  // 60 s grace, and the new one works once authz has applied the change (milliseconds).
  let rotatorKey = rotator.key
  let flapped = false
  let granted = true
  let flipPublic = true
  let churnRoute: string | undefined
  const createdRoutes = new Set<string>()
  let n = 0
  const bearer = (key: () => string) => () => ({ authorization: `Bearer ${key()}` })

  const steps: Array<() => Promise<string>> = [
    async () => {
      const rotated = await ops.clients.rotate(ACTOR, rotator.id, { credential: 'api_key', grace_seconds: 60 })
      const next = rotated.api_key ?? ''
      setTimeout(() => {
        rotatorKey = next
      }, 2000)
      return 'rotated a key (60 s grace)'
    },
    async () => {
      flapped = !flapped
      await ops.clients.update(ACTOR, flapper.id, { status: flapped ? 'suspended' : 'active' })
      return flapped ? 'suspended a client' : 'reactivated a client'
    },
    async () => {
      granted = !granted
      if (granted) {
        await ops.permissions.grant(ACTOR, {
          client_id: toggler.id,
          route_id: world.routes.key,
          allowed_methods: ['GET'],
        })
      } else {
        await ops.permissions.revokePair(ACTOR, toggler.id, world.routes.key)
      }
      return granted ? 'granted a permission' : 'revoked a permission'
    },
    async () => {
      flipPublic = !flipPublic
      await ops.routes.update(ACTOR, flip.route_id, {
        methods: { GET: flipPublic ? { auth_required: false } : { auth_required: true, auth_type: 'api_key' } },
      })
      return flipPublic ? 'made a method public' : 'made a method require a key'
    },
    async () => {
      if (churnRoute === undefined) {
        const route = await ops.routes.create(ACTOR, {
          route_pattern: '/churn/*',
          domain: 'api.example.com',
          service_name: 'churn',
          methods: { GET: { auth_required: false } },
        })
        churnRoute = route.route_id
        createdRoutes.add(route.route_id)
        return 'created a route'
      }
      await ops.routes.remove(ACTOR, churnRoute)
      churnRoute = undefined
      return 'deleted a route'
    },
    async () => {
      await ops.rateLimits.set(ACTOR, throttled.client_id, { requests_per_minute: 100 + (n % 50) })
      return 'changed a rate limit'
    },
  ]

  const churn: Churn = {
    createdRoutes,
    routeIds: () => [flip.route_id],
    changes: 0,
    probes: [
      { name: 'rotating key', target: '/key/x', headers: bearer(() => rotatorKey), expect: () => [200] },
      {
        name: 'suspended/reactivated client',
        target: '/key/x',
        headers: bearer(() => flapper.key),
        expect: () => [200, 403],
      },
      {
        name: 'granted/revoked client',
        target: '/key/x',
        headers: bearer(() => toggler.key),
        expect: () => [200, 403],
      },
      { name: 'public/protected method', target: '/flip/x', expect: () => [200, 401] },
      { name: 'created/deleted route', target: '/churn/x', expect: () => [200, 403] },
      {
        name: 'rate-limited client',
        target: '/key/x',
        headers: bearer(() => throttled.api_key ?? ''),
        expect: () => [200, 429],
      },
    ],
    async step() {
      const step = steps[n % steps.length]
      n++
      if (step === undefined) return ''
      const what = await step()
      churn.changes++
      return what
    },
  }
  return churn
}
