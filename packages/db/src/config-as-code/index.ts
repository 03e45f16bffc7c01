// '@gatekeeper/db/config-as-code': the configuration file (parse, validate, serialize), the live state
// read as that document, and the plan between the two. The plan is pure, shared by the CLI and the admin API.
export {
  type ApplyOptions,
  type ApplyResult,
  applyConfig,
  type CreatedCredentials,
  configFingerprint,
  type PlannedState,
  readPlannedState,
} from './apply'
export { canonicalDocument, permissionKey, routeKey } from './canonical'
export { getChangeSet, listChangeSets } from './changesets'
export { type LiveConfig, readLiveConfig, readLiveConfigIn } from './live'
export { type ConfigExport, type ConfigOps, configOps, invalidFileError } from './ops'
export {
  CONFIG_ENTITY_KINDS,
  type ConfigEntityKind,
  type ConfigPlan,
  diffFields,
  type FieldChange,
  type PlanChange,
  type PlanOptions,
  planConfig,
  planCounts,
} from './plan'
export { renderPlan } from './render'
export { serializeConfig } from './serialize'
export {
  type ConfigProblem,
  formatPath,
  type ParsedConfig,
  POSITIONAL_PARSE_LIMIT_BYTES,
  parseConfigJson,
  parseConfigText,
  referenceProblems,
} from './validate'
