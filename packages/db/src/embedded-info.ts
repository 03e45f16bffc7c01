import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** What `<dataDir>/embedded.json` records about the running embedded database. */
export type EmbeddedInfo = { url: string; pid: number; startedAt: string }

export const EMBEDDED_INFO_FILE = 'embedded.json'

function embeddedInfoPath(dataDir: string): string {
  return join(dataDir, EMBEDDED_INFO_FILE)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function parseInfo(text: string): EmbeddedInfo | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const { url, pid, startedAt } = value as Record<string, unknown>
  if (typeof url !== 'string' || typeof startedAt !== 'string') return null
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return null
  return { url, pid, startedAt }
}

/** The running embedded database for this data dir, or null (no file, unreadable, or its process is gone). */
export async function readEmbeddedInfo(dataDir: string): Promise<EmbeddedInfo | null> {
  let text: string
  try {
    text = await readFile(embeddedInfoPath(dataDir), 'utf8')
  } catch {
    return null
  }
  const info = parseInfo(text)
  return info !== null && isAlive(info.pid) ? info : null
}

export async function writeEmbeddedInfo(dataDir: string, info: EmbeddedInfo): Promise<void> {
  // Written whole then renamed, so a reader never sees half a file.
  const path = embeddedInfoPath(dataDir)
  const tmp = `${path}.${process.pid}.tmp`
  await writeFile(tmp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 })
  await rename(tmp, path)
}

/** Removes the file if it still describes this process (a newer instance may have replaced it). */
export async function removeEmbeddedInfo(dataDir: string, pid = process.pid): Promise<void> {
  let text: string
  try {
    text = await readFile(embeddedInfoPath(dataDir), 'utf8')
  } catch {
    return
  }
  if (parseInfo(text)?.pid === pid) await rm(embeddedInfoPath(dataDir), { force: true })
}
