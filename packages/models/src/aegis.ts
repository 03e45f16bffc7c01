import { z } from 'zod'

/**
 * `GET /api/auth/me` on Aegis. Extra keys pass through (Aegis may add fields). `role` is kept as a
 * string: console access is decided by the console_admins table, never by the Aegis role, so a new
 * role value must not break sign-in.
 */
export const aegisUserSchema = z.looseObject({
  uuid: z.string().min(1),
  site_uuid: z.string(),
  email: z.string(),
  is_verified: z.boolean(),
  role: z.string(),
  created_at: z.number(),
  updated_at: z.number(),
  deletion_protected: z.boolean(),
})

export type AegisUser = z.output<typeof aegisUserSchema>

const aegisId = z.union([z.string(), z.number()]).nullish()

/**
 * A webhook body. Deliberately loose: every event type must be acknowledged, so only `event_type` is
 * required and the handler checks what it needs for the events it acts on.
 */
export const aegisWebhookEventSchema = z.looseObject({
  event_type: z.string().min(1),
  site_id: aegisId,
  user_id: aegisId,
  email: z.string().nullish(),
  aegis_role: z.string().nullish(),
  timestamp: z.number().nullish(),
})

export type AegisWebhookEvent = z.output<typeof aegisWebhookEventSchema>

/** AEGIS_ADMIN_EMAILS: comma-separated, compared case-insensitively after trimming. Unset or empty = nobody. */
export function parseAdminEmails(value: string | undefined): Set<string> {
  const emails = new Set<string>()
  if (value === undefined) return emails
  for (const entry of value.split(',')) {
    const email = entry.trim().toLowerCase()
    if (email.length > 0) emails.add(email)
  }
  return emails
}
