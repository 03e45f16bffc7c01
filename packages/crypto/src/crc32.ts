// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320). Node >= 20.15 has it natively (zlib.crc32), which the
// API key check uses on every request; this table-driven one is the fallback for older Node.

import * as zlib from 'node:zlib'

const TABLE = buildTable()

function buildTable(): Uint32Array {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let bit = 0; bit < 8; bit++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    }
    table[n] = c >>> 0
  }
  return table
}

const nativeCrc32: ((data: string | Uint8Array) => number) | undefined =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (zlib as unknown as { crc32(data: string | Uint8Array): number }).crc32
    : undefined

/** CRC-32 of the bytes (a string is taken as UTF-8), as an unsigned 32-bit integer. Native when Node has it. */
export function crc32(input: string | Uint8Array): number {
  return nativeCrc32 !== undefined ? nativeCrc32(input) : crc32InJs(input)
}

/** The table-driven CRC-32, whatever Node offers (tests hold the native one to it). */
export function crc32InJs(input: string | Uint8Array): number {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input
  let crc = 0xffffffff
  for (const byte of bytes) {
    crc = (TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)
  }
  return (crc ^ 0xffffffff) >>> 0
}
