// The library surface for apps. Narrow entries avoid loading more than needed:
// '@gatekeeper/db/schema' (tables and row types only), '/client', '/migrate', '/embedded' (PGlite), '/testing'.
export * from './client'
export * from './hosts'
export * from './migrate'
export * from './notify'
export * from './pg-error'
export * from './schema'
export * from './snapshot'
export * from './usage'
