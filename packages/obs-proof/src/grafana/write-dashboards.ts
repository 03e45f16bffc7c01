// Writes the generated dashboards into infra/grafana/dashboards (run: pnpm --filter @gatekeeper/obs-proof
// dashboards). The JSON files are what Grafana provisions; dashboards.test.ts fails when they drift from
// these sources.

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoPath } from '@gatekeeper/testkit/paths'
import { DASHBOARDS } from './all'

for (const [file, build] of Object.entries(DASHBOARDS)) {
  const path = join(repoPath('infra/grafana/dashboards'), file)
  writeFileSync(path, `${JSON.stringify(build(), null, 2)}\n`)
  process.stdout.write(`wrote ${path}\n`)
}
