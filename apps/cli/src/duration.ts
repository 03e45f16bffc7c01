import { CliError } from './errors'

const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 }

/** `90`, `90s`, `15m`, `2h`, `7d` into seconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d{1,9})([smhd]?)$/.exec(text.trim())
  if (match === null) throw CliError.usage(`${flag}: "${text}" is not a duration (e.g. 300, 15m, 2h, 7d)`)
  return Number(match[1]) * (UNITS[match[2] || 's'] ?? 1)
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/

/**
 * Epoch ms of an ISO 8601 date or date-time, NaN for anything else. Date.parse alone takes "1", "May 5" (year 2001)
 * and rolls a day the month lacks (2026-02-31) into the next month, none of which anybody meant.
 */
function parseIsoTime(text: string): number {
  const match = ISO_TIME.exec(text)
  if (match === null) return Number.NaN
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return Number.NaN
  return Date.parse(text)
}

/**
 * A point in time for filters: epoch seconds, an ISO date/time, or an age (`15m`, `2h`, `7d` ago).
 */
export function parseSince(text: string, flag: string, nowSeconds: number): number {
  const trimmed = text.trim()
  if (/^\d{9,12}$/.test(trimmed)) return Number(trimmed)
  if (/^\d{1,9}[smhd]$/.test(trimmed)) return nowSeconds - parseDuration(trimmed, flag)
  const parsed = parseIsoTime(trimmed)
  if (Number.isNaN(parsed)) {
    throw CliError.usage(
      `${flag}: "${text}" is not a time (epoch seconds, 2024-05-01, 2024-05-01T12:00:00Z, or an age like 2h, 7d)`,
    )
  }
  return Math.floor(parsed / 1000)
}

/**
 * An expiry: a span from now (`30d`, `12h`, `90m`, `3600s`), an ISO date/time (`2026-12-31`, `2026-12-31T18:00:00Z`;
 * a date alone is midnight UTC), or epoch seconds (9-12 digits). Returns epoch seconds.
 */
export function parseExpiry(text: string, flag: string, nowSeconds: number): number {
  const trimmed = text.trim()
  if (/^\d{9,12}$/.test(trimmed)) return Number(trimmed)
  if (/^\d{1,9}[smhd]$/.test(trimmed)) return nowSeconds + parseDuration(trimmed, flag)
  const parsed = parseIsoTime(trimmed)
  if (Number.isNaN(parsed)) {
    throw CliError.usage(
      `${flag}: "${text}" is not an expiry (a span like 30d, 12h; an ISO time like 2026-12-31T18:00:00Z; or epoch seconds)`,
    )
  }
  return Math.floor(parsed / 1000)
}
