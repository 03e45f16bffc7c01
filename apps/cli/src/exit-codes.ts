/** What the CLI's exit status means; scripts can branch on these (docs/cli.md lists them). */
export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  refused: 5,
  unavailable: 6,
} as const

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]
