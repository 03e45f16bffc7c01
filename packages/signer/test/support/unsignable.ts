// Inputs that both signers (v1 and v2) refuse: a header built from them is one no verifier would accept.

/** Identities that cannot be signed: no secret, no client id, or a client id that would break the header. */
export const UNSIGNABLE_IDENTITIES: Array<[label: string, override: { secret?: string; clientId?: string }]> = [
  ['an empty secret', { secret: '' }],
  ['an empty client id', { clientId: '' }],
  ['a client id with a quote', { clientId: 'a"b' }],
  ['a client id with a newline', { clientId: 'a\nb' }],
]
