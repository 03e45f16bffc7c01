import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { repoPath } from '@gatekeeper/testkit/paths'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { type AppName, appContract } from '../apps-contract'
import { COMPOSE_PATH, healthcheckUrl, readCompose, service, substitutedVariables } from './compose'

// Docker cannot run on these machines, so the compose file is checked by reading it: every path it names
// exists, every port and variable matches what the apps read (from their sources), health paths exist.

const compose = readCompose()
const composeDir = dirname(repoPath(COMPOSE_PATH))
const APP_OF: Record<string, AppName> = { authz: 'authz', 'console-api': 'console-api', migrate: 'cli' }

describe('infra/docker-compose.yml', () => {
  it('brings up the whole stack', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'api',
        'authz',
        'console-api',
        'grafana',
        'loki',
        'migrate',
        'nginx',
        'postgres',
        'prometheus',
        'promtail',
        'redis',
      ].sort(),
    )
    expect(service(compose, 'authz').deploy?.replicas).toBe(2)
  })

  it('names only paths that exist in the repository (bind mounts, build contexts, Dockerfiles)', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const volume of s.volumes ?? []) {
        const source = volume.split(':')[0] ?? ''
        if (!source.startsWith('.')) continue
        expect(existsSync(resolve(composeDir, source)), `${name}: ${source}`).toBe(true)
      }
      if (s.build !== undefined) {
        const context = resolve(composeDir, s.build.context)
        expect(existsSync(resolve(context, 'pnpm-workspace.yaml')), `${name}: build context is the repo root`).toBe(
          true,
        )
        expect(existsSync(resolve(context, s.build.dockerfile)), `${name}: ${s.build.dockerfile}`).toBe(true)
      }
    }
  })

  it('sets only environment variables the apps read, and the ones they require', () => {
    for (const [name, app] of Object.entries(APP_OF)) {
      const known = appContract(app).envVars
      const env = Object.keys(service(compose, name).environment ?? {})
      for (const variable of env) expect(known, `${name} does not read ${variable}`).toContain(variable)
      expect(env).toContain('DATABASE_URL')
    }
    for (const name of ['authz', 'console-api']) {
      expect(Object.keys(service(compose, name).environment ?? {})).toContain('GATEKEEPER_MASTER_KEY')
    }
  })

  it('documents every variable it substitutes from .env in compose.env.example', () => {
    const text = readFileSync(repoPath(COMPOSE_PATH), 'utf8')
    const example = readFileSync(repoPath('infra/compose.env.example'), 'utf8')
    const documented = new Set([...example.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]))
    for (const variable of new Set(substitutedVariables(text))) expect(documented, variable).toContain(variable)
  })

  it('uses the ports the apps listen on, in every place that names them', () => {
    const promConfig = parse(readFileSync(repoPath('infra/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{
        job_name: string
        metrics_path: string
        dns_sd_configs?: Array<{ names: string[]; port: number }>
      }>
    }
    for (const [name, job] of [
      ['authz', 'gatekeeper-authz'],
      ['console-api', 'gatekeeper-console-api'],
    ] as const) {
      const contract = appContract(name)
      const port = contract.port
      if (port === undefined) throw new Error(`${name} has no port`)
      const env = service(compose, name).environment ?? {}
      const listen = Number(env[port.variable] ?? port.default)
      expect(listen, `${name} listens on its default port`).toBe(port.default)
      expect(Number(healthcheckUrl(service(compose, name))?.port), `${name} healthcheck port`).toBe(listen)
      const scrape = promConfig.scrape_configs.find((j) => j.job_name === job)
      expect(scrape?.dns_sd_configs?.[0]).toEqual(expect.objectContaining({ names: [name], port: listen }))
      expect(contract.paths).toContain(scrape?.metrics_path)
      const dockerfile = readFileSync(repoPath(`infra/docker/${name}.Dockerfile`), 'utf8')
      expect(dockerfile).toContain(`EXPOSE ${listen}`)
      expect(dockerfile).toContain(`${port.variable}=${listen}`)
    }
    const nginxEnv = service(compose, 'nginx').environment ?? {}
    expect(nginxEnv.AUTHZ_UPSTREAM).toBe(`authz:${appContract('authz').port?.default}`)
    expect(service(compose, 'console-api').ports).toContain('7844:7844')
  })

  it('health checks ask paths the apps serve', () => {
    for (const name of ['authz', 'console-api'] as const) {
      const url = healthcheckUrl(service(compose, name))
      expect(url?.pathname).toBe('/health')
      expect(appContract(name).paths).toContain('/health')
      const dockerfile = readFileSync(repoPath(`infra/docker/${name}.Dockerfile`), 'utf8')
      expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/health/)
      expect(dockerfile).toContain('CMD ["node", "dist/main.js"]')
      expect(dockerfile).toMatch(/^USER 1000:1000$/m)
    }
  })

  it('runs migrations once, before the apps, with the CLI and its bundled migrations', () => {
    const migrate = service(compose, 'migrate')
    expect(migrate.command).toEqual(['node', 'cli/dist/main.js', 'db', 'migrate'])
    expect(readFileSync(repoPath('apps/cli/tsup.config.ts'), 'utf8')).toMatch(/dist\/drizzle/)
    expect(readFileSync(repoPath('infra/docker/console-api.Dockerfile'), 'utf8')).toContain('/out/cli/dist ./cli/dist')
    for (const name of ['authz', 'console-api']) {
      expect(service(compose, name).depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
      })
    }
  })

  it('fills every placeholder of the shipped nginx config, and trusts nginx as a forwarder', () => {
    const nginx = service(compose, 'nginx')
    const mount = (nginx.volumes ?? []).find((v) => v.includes('protected-api.conf')) ?? ''
    expect(mount).toMatch(/:\/etc\/nginx\/templates\/protected-api\.conf\.template:ro$/)
    const template = readFileSync(repoPath('nginx/protected-api.conf'), 'utf8')
    const placeholders = new Set([...template.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]))
    expect(new Set(Object.keys(nginx.environment ?? {}))).toEqual(placeholders)
    const networks = nginx.networks as Record<string, { ipv4_address?: string }>
    const subnet = compose.networks?.gatekeeper?.ipam?.config?.[0]?.subnet ?? ''
    expect(service(compose, 'authz').environment?.TRUSTED_FORWARDER_IPS).toBe(subnet)
    expect(networks.gatekeeper?.ipv4_address?.startsWith(subnet.split('.').slice(0, 3).join('.'))).toBe(true)
  })

  it('wires Prometheus, Loki, promtail and Grafana to each other by service name', () => {
    const datasources = parse(
      readFileSync(repoPath('infra/grafana/provisioning/datasources/gatekeeper.yml'), 'utf8'),
    ) as {
      datasources: Array<{ type: string; url: string }>
    }
    for (const ds of datasources.datasources) {
      const host = new URL(ds.url).hostname
      expect(Object.keys(compose.services), ds.url).toContain(host)
    }
    const provider = parse(readFileSync(repoPath('infra/grafana/provisioning/dashboards/gatekeeper.yml'), 'utf8')) as {
      providers: Array<{ options: { path: string } }>
    }
    const dashboardsMount = (service(compose, 'grafana').volumes ?? []).find((v) =>
      v.startsWith('./grafana/dashboards:'),
    )
    expect(dashboardsMount?.split(':')[1]).toBe(provider.providers[0]?.options.path)
    const promtail = parse(readFileSync(repoPath('infra/promtail/promtail.yml'), 'utf8')) as {
      clients: Array<{ url: string }>
      scrape_configs: Array<{ relabel_configs: Array<{ action?: string; regex?: string }> }>
    }
    expect(new URL(promtail.clients[0]?.url ?? '').hostname).toBe('loki')
    const keep = promtail.scrape_configs[0]?.relabel_configs.find((r) => r.action === 'keep')?.regex ?? ''
    for (const app of keep.split('|')) expect(Object.keys(compose.services)).toContain(app)
  })
})
