// What the nonce and admission batches share: items added during one event-loop turn are gathered per group and
// handed over together once the turn's I/O callbacks have run (setImmediate: every request read in this poll phase
// is in by then, not only the one being decided), or at once when a group would grow past its bound. Scripts are
// defined once per key count, a power of two, because ioredis' cluster auto-pipelining routes a command by its first
// argument, which must therefore be a key (a leading key count would hash to an arbitrary slot).

import type { AdmissionClient } from './redis-client'

export interface TurnBatcher<T> {
  /** Queues `item` in `group` (ignored when the batcher does not group), sent with the rest of this turn's. */
  add(group: string, item: T): void
}

export interface TurnBatchOptions<T> {
  /** Separate lists per group (a Redis Cluster: one hash slot per client); otherwise one list. */
  perGroup: boolean
  /** Most weight (keys) one list may hold; a list that would grow past it is sent first. */
  max: number
  weight(item: T): number
  send(items: T[]): void
}

export function turnBatcher<T>(options: TurnBatchOptions<T>): TurnBatcher<T> {
  const pending = new Map<string, { items: T[]; weight: number }>()
  let scheduled = false

  function flushAll(): void {
    scheduled = false
    const lists = [...pending.values()]
    pending.clear()
    for (const list of lists) options.send(list.items)
  }

  return {
    add(group, item) {
      const g = options.perGroup ? group : ''
      const w = options.weight(item)
      let list = pending.get(g)
      if (list !== undefined && list.weight + w > options.max) {
        pending.delete(g)
        options.send(list.items)
        list = undefined
      }
      if (list === undefined) {
        list = { items: [], weight: 0 }
        pending.set(g, list)
      }
      list.items.push(item)
      list.weight += w
      if (!scheduled) {
        scheduled = true
        setImmediate(flushAll)
      }
    },
  }
}

/** Key counts a batch script is defined for. */
export const BATCH_KEY_COUNTS = [2, 4, 8, 16, 32, 64] as const
export type BatchKeyCount = (typeof BATCH_KEY_COUNTS)[number]

/** Defines `<name><n>` for every batch key count n, all with the same Lua (one SHA). */
export function defineBatchCommands(redis: AdmissionClient, name: string, lua: string): void {
  for (const n of BATCH_KEY_COUNTS) redis.defineCommand(`${name}${n}`, { lua, numberOfKeys: n })
}

type Command = (...keysAndArgs: (string | number)[]) => Promise<unknown>

/** Runs `<name><size>` (defined by defineBatchCommands) with its keys first, then its arguments. */
export function runBatchCommand(
  redis: AdmissionClient,
  name: string,
  size: BatchKeyCount,
  keysAndArgs: (string | number)[],
): Promise<unknown> {
  const command = (redis as unknown as Record<string, Command | undefined>)[`${name}${size}`]
  if (command === undefined) return Promise.reject(new Error(`${name}${size} is not defined`))
  return command.apply(redis, keysAndArgs)
}
