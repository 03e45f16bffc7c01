import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { repoPath } from '@gatekeeper/testkit/paths'
import { describe, expect, it } from 'vitest'
import { parseAllDocuments } from 'yaml'
import { type AppName, appContract, authzRequestHeaders, authzResponseHeaders } from '../src/apps-contract'
import { readCompose, service } from '../src/deploy/compose'
import { build, type K8sObject, strategicMerge } from '../src/deploy/kustomize'
import { validateObjects } from '../src/deploy/validate'

const OVERLAYS = ['infra/k8s/base', 'infra/k8s/overlays/production']

interface Container {
  name: string
  image: string
  command?: string[]
  ports?: Array<{ name?: string; containerPort: number }>
  env?: Array<{ name: string; value?: string }>
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>
  readinessProbe?: { httpGet?: { path: string; port: string | number } }
  livenessProbe?: { httpGet?: { path: string; port: string | number } }
  startupProbe?: { httpGet?: { path: string; port: string | number } }
  lifecycle?: { preStop?: { exec?: { command: string[] } } }
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> }
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean }
}
interface PodSpec {
  containers: Container[]
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number }
}
interface Workload {
  spec: {
    selector?: { matchLabels: Record<string, string> }
    template: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec }
  }
}

function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name)
  if (o === undefined) throw new Error(`${kind}/${name} not rendered`)
  return o
}

function workload(objects: K8sObject[], kind: string, name: string): Workload['spec'] {
  return (find(objects, kind, name) as unknown as Workload).spec
}

function firstContainer(spec: Workload['spec']): Container {
  const c = spec.template.spec.containers[0]
  if (c === undefined) throw new Error('no container')
  return c
}

/** Every variable a container receives: env entries plus every key of the ConfigMaps and Secrets it loads. */
function variablesOf(objects: K8sObject[], c: Container): string[] {
  const vars = (c.env ?? []).map((e) => e.name)
  for (const from of c.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef
    const kind = from.configMapRef === undefined ? 'Secret' : 'ConfigMap'
    const source = find(objects, kind, ref?.name ?? '') as K8sObject & {
      data?: Record<string, string>
      stringData?: Record<string, string>
    }
    vars.push(...Object.keys({ ...source.data, ...source.stringData }))
  }
  return vars
}

describe.each(OVERLAYS)('Kubernetes manifests: %s', (overlay) => {
  const objects = build(repoPath(overlay))

  it('render objects that validate against the Kubernetes OpenAPI schemas (kubernetes-models)', () => {
    expect(objects.length).toBeGreaterThanOrEqual(14)
    expect(validateObjects(objects)).toEqual([])
  })

  it('render the same objects as kubectl kustomize (where kubectl is installed)', (ctx) => {
    const run = spawnSync('kubectl', ['kustomize', repoPath(overlay)], { encoding: 'utf8', timeout: 60_000 })
    if (run.error !== undefined) {
      ctx.skip()
      return
    }
    expect(run.status, run.stderr).toBe(0)
    const theirs = parseAllDocuments(run.stdout).map((d) => d.toJS() as K8sObject)
    const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`
    const sorted = (list: K8sObject[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)))
    expect(sorted(objects)).toEqual(sorted(theirs))
  })

  it.each([
    ['authz', 'authz'],
    ['console-api', 'console-api'],
  ] as const)('%s: port, probes, variables and security match the app', (name, app: AppName) => {
    const contract = appContract(app)
    const spec = workload(objects, 'Deployment', name)
    const c = firstContainer(spec)
    const port = c.ports?.find((p) => p.name === 'http')
    expect(port?.containerPort).toBe(contract.port?.default)
    expect(c.env?.find((e) => e.name === contract.port?.variable)?.value).toBe(String(contract.port?.default))
    for (const probe of [c.readinessProbe, c.livenessProbe]) {
      expect(contract.paths).toContain(probe?.httpGet?.path)
      expect(probe?.httpGet?.path).toBe('/health')
      expect(probe?.httpGet?.port).toBe('http')
    }
    const vars = variablesOf(objects, c)
    for (const v of vars) expect(contract.envVars, `${name} does not read ${v}`).toContain(v)
    expect(vars).toEqual(expect.arrayContaining(['DATABASE_URL', 'GATEKEEPER_MASTER_KEY']))
    expect(spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 })
    expect(readFileSync(repoPath(`infra/docker/${name}.Dockerfile`), 'utf8')).toMatch(/^USER 1000:1000$/m)
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true })
    expect(c.resources?.requests).toEqual(
      expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
    )
    expect(c.lifecycle?.preStop?.exec?.command[0]).toBe('sleep')
    const annotations = spec.template.metadata?.annotations ?? {}
    expect(annotations['prometheus.io/port']).toBe(String(contract.port?.default))
    expect(contract.paths).toContain(annotations['prometheus.io/path'])
    // The Service selects these pods and reaches the named port.
    const svc = find(objects, 'Service', name) as K8sObject & {
      spec: { selector: Record<string, string>; ports: Array<{ port: number; targetPort: string }> }
    }
    expect(spec.template.metadata?.labels).toMatchObject(svc.spec.selector)
    expect(spec.selector?.matchLabels).toEqual(svc.spec.selector)
    expect(svc.spec.ports[0]).toMatchObject({ port: contract.port?.default, targetPort: 'http' })
  })

  it('scales and protects authz: the HPA and the PDB target its Deployment', () => {
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'authz') as K8sObject & {
      spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number }
    }
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'authz' })
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2)
    const pdb = find(objects, 'PodDisruptionBudget', 'authz') as K8sObject & {
      spec: { selector: { matchLabels: Record<string, string> } }
    }
    expect(workload(objects, 'Deployment', 'authz').template.metadata?.labels).toMatchObject(
      pdb.spec.selector.matchLabels,
    )
  })

  it('migrates with the CLI from the console-api image, as compose does', () => {
    const job = firstContainer(workload(objects, 'Job', 'gatekeeper-migrate'))
    expect(job.command).toEqual(service(readCompose(), 'migrate').command)
    expect(job.image).toBe(firstContainer(workload(objects, 'Deployment', 'console-api')).image)
    for (const v of variablesOf(objects, job)) expect(appContract('cli').envVars).toContain(v)
  })

  it('the example Ingress asks authz /authz with the headers authz reads', () => {
    const ingress = find(objects, 'Ingress', 'my-api')
    const annotations = ingress.metadata.annotations ?? {}
    const authUrl = new URL(annotations['nginx.ingress.kubernetes.io/auth-url'] ?? '')
    const authz = find(objects, 'Service', 'authz')
    expect(authUrl.hostname).toBe(`authz.${authz.metadata.namespace ?? 'gatekeeper'}.svc.cluster.local`)
    expect(Number(authUrl.port)).toBe(appContract('authz').port?.default)
    expect(authUrl.pathname).toBe('/authz')
    expect(appContract('authz').paths).toContain('/authz')
    const [ns, name] = (annotations['nginx.ingress.kubernetes.io/auth-proxy-set-headers'] ?? '').split('/')
    const headers = find(objects, 'ConfigMap', name ?? '') as K8sObject & { data: Record<string, string> }
    if (authz.metadata.namespace !== undefined) expect(ns).toBe(authz.metadata.namespace)
    const read = authzRequestHeaders()
    for (const header of Object.keys(headers.data)) expect(read).toContain(header.toLowerCase())
    expect(Object.keys(headers.data)).toEqual(expect.arrayContaining(['X-Original-URI', 'X-Original-Host']))
    const passed = (annotations['nginx.ingress.kubernetes.io/auth-response-headers'] ?? '').split(',')
    const sent = authzResponseHeaders()
    for (const h of passed) expect(sent, `authz never sets ${h}`).toContain(h.trim().toLowerCase())
  })
})

describe('the production overlay', () => {
  it('pins images and raises authz capacity', () => {
    const objects = build(repoPath('infra/k8s/overlays/production'))
    const image = firstContainer(workload(objects, 'Deployment', 'authz')).image
    expect(image).toMatch(/^registry\.example\.com\/gatekeeper\/authz:\d/)
    expect(objects.every((o) => o.metadata.namespace === 'gatekeeper')).toBe(true)
  })
})

describe('strategicMerge', () => {
  it('merges maps, merges named lists by name, replaces other lists', () => {
    expect(
      strategicMerge(
        { a: { b: 1, c: [1, 2] }, containers: [{ name: 'x', image: 'i', ports: [1] }, { name: 'y' }] },
        { a: { c: [3] }, containers: [{ name: 'x', image: 'j' }, { name: 'z' }] },
      ),
    ).toEqual({
      a: { b: 1, c: [3] },
      containers: [{ name: 'x', image: 'j', ports: [1] }, { name: 'y' }, { name: 'z' }],
    })
  })
})
