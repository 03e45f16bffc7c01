import { z } from 'zod'
import { emailSchema, epochSecondsSchema, idSchema } from './primitives'

/** How a console admin row came to exist. */
export const CONSOLE_ADMIN_SOURCES = ['webhook', 'api', 'cli'] as const
export const consoleAdminSourceSchema = z.enum(CONSOLE_ADMIN_SOURCES)
export type ConsoleAdminSource = z.infer<typeof consoleAdminSourceSchema>

export const consoleAdminWireSchema = z.object({
  admin_id: idSchema,
  aegis_user_id: z.string().nullable(),
  email: z.string(),
  created_at: epochSecondsSchema,
  source: consoleAdminSourceSchema,
})

/** Provision an admin by email; the Aegis user id is filled in when known (or on their first request). */
export const consoleAdminCreateSchema = z.object({
  email: emailSchema,
  aegis_user_id: z.string().trim().min(1).max(200).optional(),
})

export type ConsoleAdminWire = z.output<typeof consoleAdminWireSchema>
export type ConsoleAdminCreateInput = z.output<typeof consoleAdminCreateSchema>
