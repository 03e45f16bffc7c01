import * as clack from '@clack/prompts'
import { CliError } from './errors'

export type Choice<T> = { value: T; label: string; hint?: string }

type Ask = {
  message: string
  /** The flag that answers this question, named in the error when there is nobody to ask. */
  flag: string
}

export type TextQuestion = Ask & {
  placeholder?: string
  initial?: string
  /** Returns the problem with the answer, or undefined when it is fine. */
  validate?: (value: string) => string | undefined
}

/** Questions a command asks when an argument is missing. */
export type Prompter = {
  readonly interactive: boolean
  text(q: TextQuestion): Promise<string>
  /** Like text, with the answer masked (secrets). */
  secret(q: Ask): Promise<string>
  select<T>(q: Ask & { options: ReadonlyArray<Choice<T>>; initial?: T }): Promise<T>
  multiselect<T>(q: Ask & { options: ReadonlyArray<Choice<T>>; initial?: ReadonlyArray<T> }): Promise<T[]>
  /** Yes/no; a "no" aborts the command (exit 5). */
  confirm(message: string): Promise<void>
  /** The original's guard for destructive actions: type the word (e.g. `delete`) to go on. */
  typeWord(word: string, message: string): Promise<void>
  note(message: string, title?: string): void
}

export type ConfirmPolicy = {
  /** `--yes` given: destructive actions go ahead without asking. */
  yes: boolean
  /** Used in the refusal when there is nobody to ask: "refusing to delete route … without --yes". */
  action: string
}

function answer<T>(value: T | typeof clack.CANCEL_SYMBOL): T {
  if (clack.isCancel(value)) throw CliError.refused('aborted')
  return value
}

/** clack's Option<T> is a conditional type a generic T cannot satisfy; the shape is the same. */
function clackOptions<T>(options: ReadonlyArray<Choice<T>>): clack.SelectOptions<T>['options'] {
  return options.map((o) => ({
    value: o.value,
    label: o.label,
    hint: o.hint,
  })) as unknown as clack.SelectOptions<T>['options']
}

export function missingFlag(flag: string): CliError {
  return CliError.usage(`missing ${flag} (no terminal to ask on; see --help)`)
}

/** Without a terminal every question is an error naming the flag that would have answered it. */
export const nonInteractivePrompter: Prompter = {
  interactive: false,
  text: (q) => Promise.reject(missingFlag(q.flag)),
  secret: (q) => Promise.reject(missingFlag(q.flag)),
  select: (q) => Promise.reject(missingFlag(q.flag)),
  multiselect: (q) => Promise.reject(missingFlag(q.flag)),
  confirm: () => Promise.reject(CliError.refused('refusing without confirmation: pass --yes')),
  typeWord: () => Promise.reject(CliError.refused('refusing without confirmation: pass --yes')),
  note: () => undefined,
}

/** @clack/prompts on the attached terminal. Ctrl-C (or Esc) aborts with exit 5. */
export const clackPrompter: Prompter = {
  interactive: true,
  async text(q) {
    const value = await clack.text({
      message: q.message,
      placeholder: q.placeholder,
      initialValue: q.initial,
      validate: (v) => q.validate?.(v ?? ''),
    })
    return answer(value)
  },
  async secret(q) {
    const value = await clack.password({ message: q.message, validate: (v) => (v ? undefined : 'must not be empty') })
    return answer(value)
  },
  async select<T>(q: Ask & { options: ReadonlyArray<Choice<T>>; initial?: T }) {
    const value = await clack.select<T>({
      message: q.message,
      options: clackOptions(q.options),
      initialValue: q.initial,
      maxItems: 12,
    })
    return answer(value)
  },
  async multiselect<T>(q: Ask & { options: ReadonlyArray<Choice<T>>; initial?: ReadonlyArray<T> }) {
    const value = await clack.multiselect<T>({
      message: q.message,
      options: clackOptions(q.options),
      initialValues: q.initial,
      required: true,
      maxItems: 12,
    })
    return answer(value)
  },
  async confirm(message) {
    const ok = answer(await clack.confirm({ message, initialValue: false }))
    if (!ok) throw CliError.refused('aborted: nothing was changed')
  },
  async typeWord(word, message) {
    const typed = answer(await clack.text({ message: `${message}\n  Type ${word} to confirm`, placeholder: word }))
    if (typed.trim() !== word)
      throw CliError.refused(`aborted: you typed "${typed.trim()}", not "${word}"; nothing was changed`)
  },
  note(message, title) {
    clack.note(message, title)
  },
}

/**
 * The guard every destructive command uses: `--yes` skips it; on a terminal the operator types the
 * word; otherwise the command is refused (exit 5) and nothing happens.
 */
export async function guardDestructive(prompter: Prompter, policy: ConfirmPolicy, word: string, message: string) {
  if (policy.yes) return
  if (!prompter.interactive) throw CliError.refused(`refusing to ${policy.action} without confirmation: pass --yes`)
  await prompter.typeWord(word, message)
}
