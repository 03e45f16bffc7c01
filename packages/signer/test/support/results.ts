import { expect, it } from 'vitest'

// The signer's parsers and canonicalisers answer `{ ok: true, value }` or `{ ok: false, reason }`; these state a
// table of inputs against that answer once, for every suite that holds one of them to a table.

/** A test per row: `canonical` turns the raw input into the expected value. */
export function itCanonicalises<I>(canonical: (raw: I) => unknown, rows: [raw: I, expected: string][]): void {
  it.each(rows)('%s -> %s', (raw, expected) => {
    expect(canonical(raw)).toEqual({ ok: true, value: expected })
  })
}

/** A test per row: `parse` refuses the input, for the row's reason. `title` names the test (input, reason). */
export function itRefuses<I>(parse: (input: I) => unknown, title: string, rows: [input: I, reason: string][]): void {
  it.each(rows)(title, (input, reason) => {
    expect(parse(input)).toEqual({ ok: false, reason })
  })
}

/** A test per input: `parse` refuses each one, all for the same reason. */
export function itRefusesAll(parse: (input: string) => unknown, reason: string, inputs: string[]): void {
  it.each(inputs)('refuses %j', (input) => {
    expect(parse(input)).toEqual({ ok: false, reason })
  })
}
