import { Client } from 'pg'

/** Direct reads of a test database, for what the CLI's own output cannot prove (what is stored at rest). */
export async function query<T extends Record<string, unknown>>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(text, params)).rows
  } finally {
    await client.end()
  }
}
