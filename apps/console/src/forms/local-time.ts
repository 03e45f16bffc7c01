const pad = (value: number) => String(value).padStart(2, '0')

/** Epoch seconds as a `datetime-local` input value in the browser's time zone (`2030-01-01T12:30`). */
export function toLocalInput(epochSeconds: number | null | undefined): string {
  if (epochSeconds === null || epochSeconds === undefined) return ''
  const d = new Date(epochSeconds * 1000)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** A `datetime-local` value (no zone: read as local time) as epoch seconds; '' is null, unreadable text NaN. */
export function fromLocalInput(value: string): number | null {
  if (value.trim() === '') return null
  const millis = new Date(value).getTime()
  return Number.isNaN(millis) ? Number.NaN : Math.floor(millis / 1000)
}

/** An allowlist typed one entry per line (or separated by commas or spaces); nothing typed is null: any IP. */
export function parseAllowlist(text: string): Array<string> | null {
  const entries = text
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
  return entries.length === 0 ? null : entries
}
