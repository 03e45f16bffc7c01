import { expect, it } from 'vitest'

type ParseResult = { success: boolean; error?: { issues: ReadonlyArray<{ message: string; path: PropertyKey[] }> } }

/** `path: message` lines of a failed safeParse, for asserting on what a caller would be told. */
export function issueLines(result: ParseResult): Array<string> {
  return (result.error?.issues ?? []).map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`)
}

/** A failed safeParse whose first issue's message says `reason`. */
export function expectFirstIssue(result: ParseResult, reason: string): void {
  expect(result.success).toBe(false)
  expect(result.error?.issues[0]?.message).toContain(reason)
}

/** A failed safeParse that tells the caller `expected` (one of its `path: message` lines, or part of one). */
function expectIssue(result: ParseResult, expected: string): void {
  expect(result.success).toBe(false)
  expect(issueLines(result).join('\n')).toContain(expected)
}

type Schema = { safeParse(value: unknown): ParseResult }

/** A test per row: `schema` refuses the value and tells the caller `expected` (as expectIssue). */
export function itRejects(schema: Schema, rows: Array<[value: unknown, expected: string]>): void {
  it.each(rows)('rejects %j', (value, expected) => {
    expectIssue(schema.safeParse(value), expected)
  })
}

/** A test per row: `schema` refuses the value, its first issue saying `reason` (as expectFirstIssue). */
export function itRejectsFirstIssue(schema: Schema, rows: Array<[value: unknown, reason: string]>): void {
  it.each(rows)('rejects %j', (value, reason) => {
    expectFirstIssue(schema.safeParse(value), reason)
  })
}
