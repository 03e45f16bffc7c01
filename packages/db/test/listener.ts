import { Client } from 'pg'
import { CONFIG_CHANNEL, type ConfigNotification, parseConfigNotification } from '../src/notify'

/** A dedicated connection LISTENing on gatekeeper_config, queueing what arrives for the test to take. */
export type ConfigListener = {
  next(timeoutMs?: number): Promise<ConfigNotification>
  take(count: number, timeoutMs?: number): Promise<ConfigNotification[]>
  /** Everything received and not taken yet. */
  pending(): ConfigNotification[]
  close(): Promise<void>
}

export async function listenForConfig(url: string): Promise<ConfigListener> {
  const client = new Client({ connectionString: url })
  client.on('error', () => {})
  await client.connect()
  const queue: ConfigNotification[] = []
  const waiters: Array<() => void> = []
  client.on('notification', (msg) => {
    if (msg.channel !== CONFIG_CHANNEL) return
    const parsed = parseConfigNotification(msg.payload ?? '')
    if (parsed === null) throw new Error(`unparseable notification: ${msg.payload}`)
    queue.push(parsed)
    for (const wake of waiters.splice(0)) wake()
  })
  await client.query(`LISTEN ${CONFIG_CHANNEL}`)

  async function next(timeoutMs = 5000): Promise<ConfigNotification> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const item = queue.shift()
      if (item !== undefined) return item
      const left = deadline - Date.now()
      if (left <= 0) throw new Error('no notification arrived in time')
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  return {
    next,
    async take(count, timeoutMs) {
      const items: ConfigNotification[] = []
      for (let i = 0; i < count; i++) items.push(await next(timeoutMs))
      return items
    },
    pending: () => [...queue],
    close: () => client.end(),
  }
}
