import { z } from 'zod'
import { emailSchema, epochSecondsSchema, idSchema } from './primitives'

/** How a console admin row came to exist. */
export const CONSOLE_ADMIN_SOURCES = ['webhook', 'api', 'cli'] as const
export const consoleAdminSourceSchema = z.enum(CONSOLE_ADMIN_SOURCES)
export type ConsoleAdminSource = z.infer<typeof consoleAdminSourceSchema>

/**
 * `pending`: provisioned by email, waiting for the first sign-in of a verified user of our Aegis site with
 * that email. `bound`: `aegis_user_id` is that user's `/me` uuid, and only that uuid signs in as this admin.
 */
export const CONSOLE_ADMIN_BINDINGS = ['pending', 'bound'] as const
export const consoleAdminBindingSchema = z.enum(CONSOLE_ADMIN_BINDINGS)
export type ConsoleAdminBinding = z.infer<typeof consoleAdminBindingSchema>

export const consoleAdminWireSchema = z.object({
  admin_id: idSchema,
  aegis_user_id: z.string().nullable(),
  email: z.string(),
  created_at: epochSecondsSchema,
  source: consoleAdminSourceSchema,
  binding: consoleAdminBindingSchema,
  /** The `user_id` Aegis's webhooks named this user by (used to match `user.deleted`), when one was seen. */
  aegis_webhook_user_id: z.string().nullable(),
})

/** Provision an admin by email; the Aegis user id is filled in when known (or on their first request). */
export const consoleAdminCreateSchema = z.object({
  email: emailSchema,
  aegis_user_id: z.string().trim().min(1).max(200).optional(),
})

export type ConsoleAdminWire = z.output<typeof consoleAdminWireSchema>
export type ConsoleAdminCreateInput = z.output<typeof consoleAdminCreateSchema>
