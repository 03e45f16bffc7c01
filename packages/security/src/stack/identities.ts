import type { Identities } from '../corpus/render'
import type { Scenario } from './e2e'

/** The scenario's clients as the corpus names them. */
export function scenarioIdentities(s: Scenario): Identities {
  const pick = (c: { id: string; apiKey: string; secret: string }) => ({ id: c.id, apiKey: c.apiKey, secret: c.secret })
  return { alice: pick(s.alice), suspended: pick(s.suspended), limited: pick(s.limited), insider: pick(s.insider) }
}
