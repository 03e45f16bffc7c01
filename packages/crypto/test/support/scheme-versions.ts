/**
 * What the `version` parameter of an HMAC Authorization header announces: absent, `1` or `v1` is the original
 * scheme, `2` or `v2` is v2, anything else (case matters) none. Both readers of the header, @gatekeeper/crypto's
 * hmacSchemeVersion and the engine's signatureScheme, are held to this one table.
 */
export const SCHEME_VERSIONS: ReadonlyArray<readonly [version: string | undefined, scheme: 1 | 2 | undefined]> = [
  [undefined, 1],
  ['1', 1],
  ['v1', 1],
  ['2', 2],
  ['v2', 2],
  ['3', undefined],
  ['V2', undefined],
]
