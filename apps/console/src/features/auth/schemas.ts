import { emailSchema } from '@gatekeeper/models'
import { z } from 'zod'

// Aegis decides the real password policy and its answer is shown as-is; these catch the obvious before
// a round trip. Emails use the same rule as every other email in Gatekeeper.
const newPasswordSchema = z.string().min(8, 'must be at least 8 characters').max(256, 'must be at most 256 characters')

const tokenSchema = z.string().trim().min(1, 'paste the token from the email')

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, 'enter your password'),
})

export const registerSchema = z
  .object({ email: emailSchema, password: newPasswordSchema, confirm: z.string() })
  .refine((value) => value.password === value.confirm, { path: ['confirm'], message: 'passwords do not match' })

export const requestResetSchema = z.object({ email: emailSchema })

export const verifyEmailSchema = z.object({ token: tokenSchema })

export const resetPasswordSchema = z
  .object({ token: tokenSchema, new_password: newPasswordSchema, confirm: z.string() })
  .refine((value) => value.new_password === value.confirm, { path: ['confirm'], message: 'passwords do not match' })
