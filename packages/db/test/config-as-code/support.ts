// What the configuration-as-code integration tests share beyond the admin test context.

import { ApiError, type ConfigDocument } from '@gatekeeper/models'
import { expect } from 'vitest'
import { type ApplyOptions, applyConfig } from '../../src/config-as-code/apply'
import type { AdminTestContext } from '../admin-support'

/** A pruning apply against a plan the live state has moved on from is refused with 412. */
export async function expectStaleApplyRefused(
  t: AdminTestContext,
  desired: ConfigDocument,
  actor: ApplyOptions['actor'],
  planned: Pick<ApplyOptions, 'expectedVersion' | 'expectedFingerprint'>,
): Promise<void> {
  const err = await applyConfig(t.handle.db, desired, { actor, sealer: t.sealer, prune: true, ...planned }).catch(
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ApiError)
  expect((err as ApiError).status).toBe(412)
}
