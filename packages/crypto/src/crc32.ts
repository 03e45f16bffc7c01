// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), table driven. Node 20 has no zlib.crc32, and the API key
// checksum needs nothing more than this, so it is written out here instead of pulling in a dependency.

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

/** CRC-32 of the bytes (a string is taken as UTF-8), as an unsigned 32-bit integer. */
export function crc32(input: string | Uint8Array): number {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input
  let crc = 0xffffffff
  for (const byte of bytes) {
    crc = (TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)
  }
  return (crc ^ 0xffffffff) >>> 0
}

/** One step of the CRC over a byte; start from 0xffffffff, finish with `(crc ^ 0xffffffff) >>> 0`. */
export function crc32Update(crc: number, byte: number): number {
  return (TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)
}
