export type Json = { json?: boolean }
