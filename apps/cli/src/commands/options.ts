import { CliError } from '../errors'

export function parseVersion(text: string): number {
  if (!/^\d{1,9}$/.test(text)) throw CliError.usage(`--if-version: "${text}" is not a version number`)
  return Number(text)
}

/** A positive whole number from a flag. */
export function parseCount(text: string, flag: string, max = 1_000_000_000): number {
  if (!/^\d{1,10}$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw CliError.usage(`${flag}: "${text}" is not a whole number between 1 and ${max}`)
  }
  return Number(text)
}
