import { type AuthType, HTTP_METHODS, type HttpMethod } from '@gatekeeper/models'

/** One method as the editor holds it: the wire shape, possibly still incomplete. */
export type MethodDraft = { auth_required: boolean; auth_type: AuthType | null }
export type MethodsDraft = Partial<Record<HttpMethod, MethodDraft>>

/** How a method is reached. `null`: enabled but not decided yet (protected, type missing: invalid). */
export type MethodChoice = 'public' | AuthType

export const CHOICE_LABELS: Record<MethodChoice, string> = { public: 'Public', api_key: 'API key', hmac: 'HMAC' }

export function choiceOf(draft: MethodDraft): MethodChoice | null {
  if (!draft.auth_required) return 'public'
  return draft.auth_type
}

function draftFor(choice: MethodChoice | null): MethodDraft {
  if (choice === 'public') return { auth_required: false, auth_type: null }
  return { auth_required: true, auth_type: choice }
}

/**
 * Turns a method on (protected, type still to choose: enabling a method never makes it public by
 * accident) or off (absent from `methods`: authz then refuses it).
 */
export function toggleMethod(draft: MethodsDraft, method: HttpMethod, enabled: boolean): MethodsDraft {
  const next: MethodsDraft = { ...draft }
  if (enabled) next[method] = draft[method] ?? draftFor(null)
  else delete next[method]
  return next
}

export function chooseMethod(draft: MethodsDraft, method: HttpMethod, choice: MethodChoice): MethodsDraft {
  return { ...draft, [method]: draftFor(choice) }
}

/** The same choice for every enabled method (or for all methods when none is enabled yet). */
export function chooseForAll(draft: MethodsDraft, choice: MethodChoice): MethodsDraft {
  const enabled = HTTP_METHODS.filter((method) => draft[method] !== undefined)
  const targets = enabled.length > 0 ? enabled : HTTP_METHODS
  const next: MethodsDraft = { ...draft }
  for (const method of targets) next[method] = draftFor(choice)
  return next
}

/** A short summary for lists: `GET public · POST HMAC`. */
export function describeMethods(methods: MethodsDraft): string {
  const parts = HTTP_METHODS.flatMap((method) => {
    const draft = methods[method]
    if (draft === undefined) return []
    const choice = choiceOf(draft)
    return [`${method} ${choice === null ? '?' : CHOICE_LABELS[choice]}`]
  })
  return parts.length === 0 ? 'no methods' : parts.join(' · ')
}
