export { listenFailure } from './env-listen'
export { type CommonEnv, commonEnvSchema, commonEnvShape, EnvError, type EnvProblem, parseEnv } from './env-parse'
export { ORIGINAL_PG_VARS, resolveDatabaseUrl, resolveRedisUrl } from './env-urls'
export {
  boolVar,
  csvVar,
  intVar,
  LOG_LEVELS,
  type LogLevel,
  localSignInEnabled,
  logLevelVar,
  NODE_ENVS,
  type NodeEnv,
  nodeEnvVar,
  optionalBoolVar,
  optionalStringVar,
  type PreviousMasterKey,
  parseIntInRange,
  portVar,
  previousMasterKeysVar,
  splitCsv,
  stringVar,
} from './env-vars'
export { forwarderProblem, parseTrustedForwarders, trustedForwardersVar } from './forwarders'
