import { readFile } from 'node:fs/promises'
import { type ConfigProblem, parseConfigText } from '@gatekeeper/db/config-as-code'
import type { ConfigDocument } from '@gatekeeper/models'
import type { CliContext } from '../context'
import { CliError } from '../errors'
import type { ExitCode } from '../exit-codes'

/**
 * The admin API's limit too. Room for thousands of routes and clients (10,000 clients are a few MiB), and small
 * enough to parse: the YAML document the file's line numbers come from takes about 100 bytes of memory per
 * byte of file, so a 64 MiB file ran out of heap after minutes instead of being refused.
 */
const MAX_FILE_BYTES = 16 * 1024 * 1024

async function readConfigFile(file: string): Promise<string> {
  let text: Buffer
  try {
    text = await readFile(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message
    throw CliError.usage(`cannot read ${file}: ${why}`)
  }
  if (text.byteLength > MAX_FILE_BYTES)
    throw CliError.usage(`${file} is ${text.byteLength} bytes; a configuration file may be at most 16 MiB`)
  return text.toString('utf8')
}

/** `file:line:column: path: message`, the form editors and CI logs turn into links. */
function problemLine(file: string, problem: ConfigProblem): string {
  const where = problem.line === null ? file : `${file}:${problem.line}:${problem.column ?? 1}`
  return `${where}: ${problem.path}: ${problem.message}`
}

/** Reads and checks a configuration file; on problems, also the error the command ends with (`invalidExit`). */
export async function loadConfigFile(
  file: string,
  invalidExit: ExitCode,
): Promise<{ ok: true; document: ConfigDocument } | { ok: false; problems: ConfigProblem[]; fail: CliError }> {
  const parsed = parseConfigText(await readConfigFile(file))
  if (parsed.ok) return parsed
  const count = parsed.problems.length
  return {
    ok: false,
    problems: parsed.problems,
    fail: new CliError(invalidExit, `${file} is not valid: ${count} problem${count === 1 ? '' : 's'}`),
  }
}

export function printProblems(ctx: CliContext, file: string, problems: readonly ConfigProblem[]): void {
  for (const problem of problems) ctx.out.note(problemLine(file, problem))
}

const SECTIONS = ['routes', 'clients', 'permissions', 'rate_limits', 'console_admins'] as const

/**
 * The sections a pruning apply would empty: the file lists none of them while the live state has some. A file
 * cut short, a section left out by mistake or a template applied to the wrong deployment look exactly like
 * this, and pruning them would delete every route, client or console admin at once (the console admins even
 * through the CLI, which may remove the last one), so it is confirmed first.
 */
export function emptiedSections(live: ConfigDocument, desired: ConfigDocument): string[] {
  return SECTIONS.filter((s) => desired[s].length === 0 && live[s].length > 0).map(
    (s) => `${s.replace('_', ' ')} (all ${live[s].length})`,
  )
}
