// Table definitions only: importing this module never opens a connection.
export * from './admin-audit-log'
export * from './client-credentials'
export * from './client-permissions'
export * from './clients'
export * from './config-state'
export * from './console-admins'
export * from './rate-limits'
export * from './routes'
