type ParseResult = { success: boolean; error?: { issues: ReadonlyArray<{ message: string; path: PropertyKey[] }> } }

/** `path: message` lines of a failed safeParse, for asserting on what a caller would be told. */
export function issueLines(result: ParseResult): Array<string> {
  return (result.error?.issues ?? []).map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`)
}
