import type { Sealer } from '@gatekeeper/crypto'
import {
  ApiError,
  type ConfigApplyResponse,
  type ConfigChangeSetDetail,
  type ConfigChangeSetList,
  type ConfigFormat,
  type ConfigPlanResponse,
  type ConsoleAdminSource,
  type ErrorDetail,
} from '@gatekeeper/models'
import type { Actor, AdminDatabase } from '../admin/types'
import { applyConfig, readPlannedState } from './apply'
import { getChangeSet, listChangeSets } from './changesets'
import { planConfig, planCounts } from './plan'
import { renderPlan } from './render'
import { serializeConfig } from './serialize'
import { type ConfigProblem, parseConfigJson, parseConfigText } from './validate'

export type ConfigExport = {
  text: string
  version: number
  fingerprint: string
  /** Client names several live clients share: the file cannot tell them apart (diff and apply refuse). */
  duplicateClientNames: string[]
}

/** What the admin API offers on configuration files: the same functions as the CLI, over file text. */
export type ConfigOps = {
  export(format: ConfigFormat): Promise<ConfigExport>
  /** `format` json: a body sent as JSON is read as JSON (fast); otherwise as YAML. */
  plan(text: string, options: { prune: boolean; format?: ConfigFormat }): Promise<ConfigPlanResponse>
  apply(
    actor: Actor,
    text: string,
    options: {
      prune: boolean
      format?: ConfigFormat
      expectedVersion?: number | undefined
      expectedFingerprint?: string | undefined
      /** Refuse (409) a file that removes this console admin (the one applying it). */
      keepAdminEmail?: string
    },
  ): Promise<ConfigApplyResponse>
  changesets: {
    list(query?: unknown): Promise<ConfigChangeSetList>
    get(id: string, query?: unknown): Promise<ConfigChangeSetDetail>
  }
}

/** A file that does not parse or validate: 400 with one detail per problem, each with its line and column. */
export function invalidFileError(problems: ConfigProblem[]): ApiError {
  const details: ErrorDetail[] = problems.map((p) => ({
    path: p.path,
    message: p.message,
    ...(p.line !== null ? { line: p.line } : {}),
    ...(p.column !== null ? { column: p.column } : {}),
  }))
  const first = problems[0]
  const where =
    first === undefined ? '' : `: ${first.line ?? '?'}:${first.column ?? '?'}: ${first.path}: ${first.message}`
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''
  return new ApiError('validation_error', `the configuration file is not valid${where}${more}`, details)
}

function parsed(text: string, format: ConfigFormat | undefined) {
  const result = format === 'json' ? parseConfigJson(text) : parseConfigText(text)
  if (!result.ok) throw invalidFileError(result.problems)
  return result.document
}

function duplicateNames(names: string[]): ApiError {
  return ApiError.conflict(
    `cannot plan: several live clients share the name ${names.map((n) => JSON.stringify(n)).join(', ')}; rename them first`,
  )
}

export function configOps(deps: { db: AdminDatabase; sealer: Sealer; adminSource?: ConsoleAdminSource }): ConfigOps {
  const { db, sealer } = deps
  return {
    async export(format) {
      const state = await readPlannedState(db)
      return {
        text: serializeConfig(state.document, format),
        version: state.version,
        fingerprint: state.fingerprint,
        duplicateClientNames: state.duplicateClientNames,
      }
    },
    async plan(text, { prune, format }) {
      const desired = parsed(text, format)
      const state = await readPlannedState(db)
      if (state.duplicateClientNames.length > 0) throw duplicateNames(state.duplicateClientNames)
      const plan = planConfig(state.document, desired, { prune })
      return {
        plan,
        counts: planCounts(plan),
        text: renderPlan(plan),
        config_version: state.version,
        fingerprint: state.fingerprint,
      }
    },
    async apply(actor, text, options) {
      const desired = parsed(text, options.format)
      const result = await applyConfig(db, desired, {
        actor,
        sealer,
        prune: options.prune,
        adminSource: deps.adminSource ?? 'api',
        ...(options.expectedVersion !== undefined ? { expectedVersion: options.expectedVersion } : {}),
        ...(options.expectedFingerprint !== undefined ? { expectedFingerprint: options.expectedFingerprint } : {}),
        ...(options.keepAdminEmail !== undefined ? { keepAdminEmail: options.keepAdminEmail } : {}),
      })
      return {
        plan: result.plan,
        applied: result.applied,
        change_set_id: result.applied ? result.changeSetId : null,
        version_before: result.versionBefore,
        version_after: result.versionAfter,
        credentials: result.credentials,
      }
    },
    changesets: {
      list: (query) => listChangeSets(db, query),
      get: (id, query) => getChangeSet(db, id, query),
    },
  }
}
