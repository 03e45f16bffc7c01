import { parseCount } from '../options'

export type Json = { json?: boolean }

/** `N` sets the window, `none` makes it unlimited, absent keeps it. */
export function limitValue(text: string | undefined, flag: string, max: number): number | null | undefined {
  if (text === undefined) return undefined
  if (/^(none|unlimited|off)$/i.test(text.trim())) return null
  return parseCount(text.trim(), flag, max)
}
