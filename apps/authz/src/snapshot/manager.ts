// Keeps the engine's state in step with the database, with no query on the decision path.
//
// - Start: open the LISTEN connection first (so nothing committed after the snapshot can be missed), then load
//   the full snapshot in one consistent read. Until that succeeds, `current()` is undefined (authz answers 503).
// - Each notification is applied by re-reading only the changed row, in version order. The notified version
//   must be exactly last+1: a gap, an unreadable payload or any failure turns into a full reload.
// - A batch (a configuration file applied) is one version and one notification naming no rows: it is taken in
//   with a full reload, so the state goes from the version before the batch to the batch's in one swap.
// - The version is compared with the database every `pollIntervalMs` and after every reconnect of the LISTEN
//   connection; when the database is ahead (and the notifications already received do not cover it), reload.
//   In the embedded mode (PGlite) NOTIFY never crosses the socket, so this poll is what keeps authz current.
// - A full reload builds a NEW EngineState and swaps it in with one assignment: a request sees the old state or
//   the new one, never half of either. Single-row changes are applied to the live state synchronously (one
//   upsert/remove, no await in between), so they are atomic for requests as well.
// - Postgres gone: decisions keep using the last state; the LISTEN connection is re-opened with capped
//   exponential backoff and jitter, failed reloads are retried the same way, and `postgresUp()` says so.
// All work on the state runs in one serial loop (`pump`), so a reload and an incremental change never interleave.

import {
  type ConfigBatchNotification,
  type ConfigNotification,
  parseConfigFeedMessage,
  type WatchedRow,
  type WatchedTable,
} from '@gatekeeper/db'
import type { EngineState } from '@gatekeeper/engine'
import { type Backoff, createBackoff } from './backoff'
import { createSnapshotBuilder } from './build'
import { toCredentialInput, toRouteInput, type Unsealer } from './convert'
import type { ConfigStore, ListenConnection } from './store'

export type ReloadTrigger = 'start' | 'gap' | 'behind' | 'error' | 'retry' | 'batch'

export interface SnapshotEvents {
  reloaded?(info: {
    trigger: ReloadTrigger
    version: number
    durationMs: number
    stats: ReturnType<EngineState['stats']>
    skippedCredentials: number
    invalidRoutes: number
  }): void
  reloadFailed?(info: { trigger: ReloadTrigger; err: Error; retryInMs: number }): void
  /** `lagMs`: from receipt of the notification to its change being visible to decisions. */
  notification?(info: {
    result: 'applied' | 'skipped' | 'gap' | 'invalid' | 'failed' | 'batch'
    table?: string
    lagMs?: number
    /** The config version an applied change brought the state to. */
    version?: number
  }): void
  /** A credential that could not be used (e.g. a secret that does not unseal). */
  credentialSkipped?(info: { id: string; clientId: string; reason: string }): void
  routeRejected?(info: { id: string; reason: string }): void
  listener?(info: { up: boolean; err?: Error; retryInMs?: number }): void
  versionCheckFailed?(info: { err: Error }): void
}

export interface SnapshotManagerOptions {
  store: ConfigStore
  sealer: Unsealer
  pollIntervalMs: number
  events?: SnapshotEvents
  /** Reconnect/retry backoff; defaults 100 ms doubling to 10 s. */
  backoff?: { baseMs: number; capMs: number }
  /** Epoch ms, for snapshot age. */
  now?: () => number
  /**
   * How long a version check that finds the database ahead waits for the missing notifications before it
   * reloads (default 250 ms): a notification can trail the commit it announces.
   */
  behindGraceMs?: number
}

export interface SnapshotHealth {
  loaded: boolean
  version: number | null
  /** Epoch ms of the last full load. */
  loadedAt: number | null
  /** Epoch ms when the state was last known to match the database (load, applied change, or version check). */
  syncedAt: number | null
  postgres: 'up' | 'down'
  stats: ReturnType<EngineState['stats']> | null
  skippedCredentials: number
}

/** What the HTTP side reads: the state to decide on (undefined until loaded) and health. */
export interface SnapshotView {
  current(): EngineState | undefined
  health(): SnapshotHealth
}

interface Inbound {
  notification: ConfigNotification | ConfigBatchNotification
  receivedAt: number
}

export class SnapshotManager implements SnapshotView {
  private state: EngineState | undefined
  private version = -1
  private loadedAt: number | null = null
  private syncedAt: number | null = null
  private skipped = new Map<string, string>()

  private readonly inbox: Inbound[] = []
  private reloadWanted: ReloadTrigger | undefined = 'start'
  private checkWanted = false
  private pumping = false
  private idleWaiters: Array<() => void> = []

  private listener: ListenConnection | undefined
  private listenerGeneration = 0
  private lastQueryFailed = false
  private stopped = false
  private reloadTimer: NodeJS.Timeout | undefined
  private reconnectTimer: NodeJS.Timeout | undefined
  private pollTimer: NodeJS.Timeout | undefined
  private recheckTimer: NodeJS.Timeout | undefined
  /** A version a check found committed but not yet announced to us; reload if it still is at the recheck. */
  private behindSuspect: { version: number; until: number } | undefined
  private readonly listenBackoff: Backoff
  private readonly reloadBackoff: Backoff
  private readonly now: () => number
  private readonly events: SnapshotEvents

  constructor(private readonly options: SnapshotManagerOptions) {
    const backoff = options.backoff ?? { baseMs: 100, capMs: 10_000 }
    this.listenBackoff = createBackoff(backoff)
    this.reloadBackoff = createBackoff(backoff)
    this.now = options.now ?? Date.now
    this.events = options.events ?? {}
  }

  // --- the view ------------------------------------------------------------------------------------------

  current(): EngineState | undefined {
    return this.state
  }

  health(): SnapshotHealth {
    return {
      loaded: this.state !== undefined,
      version: this.state === undefined ? null : this.version,
      loadedAt: this.loadedAt,
      syncedAt: this.syncedAt,
      postgres: this.listener !== undefined && !this.lastQueryFailed ? 'up' : 'down',
      stats: this.state?.stats() ?? null,
      skippedCredentials: this.skipped.size,
    }
  }

  postgresUp(): boolean {
    return this.health().postgres === 'up'
  }

  // --- lifecycle -----------------------------------------------------------------------------------------

  /** Connects and loads; resolves once the first load has been attempted (it keeps retrying if that failed). */
  async start(): Promise<void> {
    await this.connectListener()
    this.pollTimer = setInterval(() => this.poll(), this.options.pollIntervalMs)
    this.pollTimer.unref()
    await this.kick()
  }

  /** Resolves when the first snapshot is loaded (or `timeoutMs` passed: false). */
  async ready(timeoutMs: number): Promise<boolean> {
    const deadline = this.now() + timeoutMs
    while (this.state === undefined && !this.stopped) {
      if (this.now() >= deadline) return false
      await new Promise((r) => setTimeout(r, 20))
    }
    return this.state !== undefined
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.pollTimer)
    clearTimeout(this.reloadTimer)
    clearTimeout(this.reconnectTimer)
    clearTimeout(this.recheckTimer)
    this.listenerGeneration++
    const listener = this.listener
    this.listener = undefined
    await listener?.close()
    await this.idle()
  }

  /** Resolves when no work is queued or running (tests; shutdown). */
  idle(): Promise<void> {
    if (!this.pumping) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  // --- inputs ----------------------------------------------------------------------------------------------

  private poll(): void {
    if (this.listener === undefined) return // reconnecting: the reconnect does its own check
    this.checkWanted = true
    void this.kick()
  }

  private onNotification(payload: string, generation: number): void {
    if (generation !== this.listenerGeneration) return
    const notification = parseConfigFeedMessage(payload)
    if (notification === null) {
      this.events.notification?.({ result: 'invalid' })
      this.requestReload('gap')
      return
    }
    this.inbox.push({ notification, receivedAt: performance.now() })
    void this.kick()
  }

  private async connectListener(): Promise<void> {
    if (this.stopped) return
    const generation = ++this.listenerGeneration
    try {
      const connection = await this.options.store.listen({
        onNotification: (payload) => this.onNotification(payload, generation),
        onLost: (err) => this.onListenerLost(err, generation),
      })
      if (this.stopped || generation !== this.listenerGeneration) {
        await connection.close()
        return
      }
      this.listener = connection
      this.lastQueryFailed = false
      this.listenBackoff.reset()
      this.events.listener?.({ up: true })
      // Anything committed while we were not listening is only visible as a version ahead of ours.
      if (this.state !== undefined) this.checkWanted = true
      void this.kick()
    } catch (err) {
      this.scheduleReconnect(err instanceof Error ? err : new Error(String(err)))
    }
  }

  private onListenerLost(err: Error, generation: number): void {
    if (generation !== this.listenerGeneration || this.stopped) return
    this.listener = undefined
    this.listenerGeneration++ // late notifications from the dead connection are ignored
    this.scheduleReconnect(err)
  }

  private scheduleReconnect(err: Error): void {
    if (this.stopped) return
    const retryInMs = this.listenBackoff.next()
    this.events.listener?.({ up: false, err, retryInMs })
    clearTimeout(this.reconnectTimer)
    this.reconnectTimer = setTimeout(() => void this.connectListener(), retryInMs)
    this.reconnectTimer.unref()
  }

  private requestReload(trigger: ReloadTrigger): void {
    this.reloadWanted ??= trigger
    void this.kick()
  }

  // --- the serial loop -------------------------------------------------------------------------------------

  private async kick(): Promise<void> {
    if (this.pumping || this.stopped) return this.idle()
    this.pumping = true
    try {
      await this.pump()
    } catch (err) {
      // A bug, not a database problem (those are handled where they happen): never let it kill the process or
      // leave the state behind; start over from a full reload.
      this.scheduleReload('error', err instanceof Error ? err : new Error(String(err)))
    } finally {
      this.pumping = false
      for (const wake of this.idleWaiters.splice(0)) wake()
    }
  }

  private async pump(): Promise<void> {
    while (!this.stopped) {
      if (this.reloadWanted !== undefined && this.reloadTimer === undefined) {
        const trigger = this.reloadWanted
        this.reloadWanted = undefined
        await this.reload(trigger)
        continue
      }
      if (this.reloadWanted !== undefined) return // a retry is scheduled; notifications wait for it
      const next = this.inbox.shift()
      if (next !== undefined) {
        await this.apply(next)
        continue
      }
      if (this.checkWanted) {
        this.checkWanted = false
        await this.checkVersion()
        continue
      }
      return
    }
  }

  private async reload(trigger: ReloadTrigger): Promise<void> {
    const started = performance.now()
    try {
      // Compiled as it streams in: the configuration's rows are never all held at once (build.ts).
      const builder = createSnapshotBuilder(this.options.sealer)
      const snapshot = await this.options.store.streamSnapshot(builder.sink)
      const { state, skipped, issues } = builder.finish()
      // The swap: one assignment, after the new state is complete.
      this.state = state
      this.version = snapshot.version
      this.loadedAt = this.now()
      this.syncedAt = this.loadedAt
      this.lastQueryFailed = false
      this.behindSuspect = undefined
      this.reloadBackoff.reset()
      this.skipped = new Map(skipped.map((s) => [s.id, s.reason]))
      for (const s of skipped) this.events.credentialSkipped?.(s)
      let invalidRoutes = 0
      for (const issue of issues) {
        if (issue.table === 'routes') {
          invalidRoutes++
          this.events.routeRejected?.({ id: issue.id, reason: issue.reason })
        }
      }
      // Notifications the snapshot already covers are dropped; later ones are applied next.
      this.dropCovered()
      this.events.reloaded?.({
        trigger,
        version: snapshot.version,
        durationMs: performance.now() - started,
        stats: state.stats(),
        skippedCredentials: skipped.length,
        invalidRoutes,
      })
    } catch (err) {
      this.lastQueryFailed = true
      this.scheduleReload(trigger, err instanceof Error ? err : new Error(String(err)))
    }
  }

  /** A full reload after a backoff delay (a failed load, or anything unexpected in the loop). */
  private scheduleReload(trigger: ReloadTrigger, err: Error): void {
    if (this.stopped) return
    const retryInMs = this.reloadBackoff.next()
    this.events.reloadFailed?.({ trigger, err, retryInMs })
    this.reloadWanted = this.state === undefined ? 'start' : 'retry'
    clearTimeout(this.reloadTimer)
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined
      void this.kick()
    }, retryInMs)
    this.reloadTimer.unref()
  }

  private dropCovered(): void {
    let covered = 0
    while ((this.inbox[0]?.notification.version ?? Number.POSITIVE_INFINITY) <= this.version) {
      this.inbox.shift()
      covered++
    }
    for (let i = 0; i < covered; i++) this.events.notification?.({ result: 'skipped' })
  }

  private async apply({ notification, receivedAt }: Inbound): Promise<void> {
    const state = this.state
    if (state === undefined) return // the pending first load covers it
    const table = 'table' in notification ? notification.table : '*'
    if (notification.version <= this.version) {
      this.events.notification?.({ result: 'skipped', table })
      return
    }
    if (notification.version !== this.version + 1) {
      this.events.notification?.({ result: 'gap', table })
      this.reloadWanted ??= 'gap'
      return
    }
    if ('batch' in notification) {
      this.events.notification?.({ result: 'batch', table })
      this.reloadWanted ??= 'batch'
      return
    }
    let row: WatchedRow[WatchedTable] | null
    try {
      row = await this.options.store.loadChangedRow(notification.table, notification.id)
    } catch {
      this.lastQueryFailed = true
      this.events.notification?.({ result: 'failed', table: notification.table })
      this.reloadWanted ??= 'error'
      return
    }
    // A reload may have swapped the state while we waited; it then covers this change (or a later one does).
    if (this.state !== state || notification.version !== this.version + 1) {
      this.events.notification?.({ result: 'skipped', table: notification.table })
      return
    }
    this.applyRow(state, notification, row)
    this.version = notification.version
    this.syncedAt = this.now()
    this.lastQueryFailed = false
    this.events.notification?.({
      result: 'applied',
      table: notification.table,
      lagMs: performance.now() - receivedAt,
      version: notification.version,
    })
  }

  private applyRow(state: EngineState, n: ConfigNotification, row: WatchedRow[WatchedTable] | null): void {
    switch (n.table) {
      case 'routes': {
        const r = row as WatchedRow['routes'] | null
        if (r === null) {
          state.removeRoute(n.id)
          return
        }
        const result = state.upsertRoute(toRouteInput(r))
        if (!result.ok) this.events.routeRejected?.({ id: n.id, reason: result.reason })
        return
      }
      case 'clients': {
        const r = row as WatchedRow['clients'] | null
        if (r === null) state.removeClient(n.id)
        else state.upsertClient(r)
        return
      }
      case 'client_credentials': {
        const r = row as WatchedRow['client_credentials'] | null
        if (r === null) {
          state.removeCredential(n.id)
          this.skipped.delete(n.id)
          return
        }
        const converted = toCredentialInput(r, this.options.sealer)
        if (!converted.ok) {
          // Whatever this credential was before, it cannot be honoured now.
          state.removeCredential(n.id)
          this.skipped.set(n.id, converted.reason)
          this.events.credentialSkipped?.({ id: r.id, clientId: r.clientId, reason: converted.reason })
          return
        }
        this.skipped.delete(n.id)
        const result = state.upsertCredential(converted.credential)
        if (!result.ok) this.events.credentialSkipped?.({ id: r.id, clientId: r.clientId, reason: result.reason })
        return
      }
      case 'client_permissions': {
        const r = row as WatchedRow['client_permissions'] | null
        if (r === null) state.removePermission(n.id)
        else state.upsertPermission(r)
        return
      }
      case 'rate_limits': {
        const r = row as WatchedRow['rate_limits'] | null
        if (r === null) state.removeRateLimit(n.id)
        else state.upsertRateLimit(r)
        return
      }
    }
  }

  private async checkVersion(): Promise<void> {
    const listener = this.listener
    if (listener === undefined || this.state === undefined) return
    let dbVersion: number
    try {
      dbVersion = await listener.readVersion()
    } catch (err) {
      this.lastQueryFailed = true
      this.events.versionCheckFailed?.({ err: err instanceof Error ? err : new Error(String(err)) })
      return // the connection is dropped by readVersion's failure; reconnecting checks again
    }
    this.lastQueryFailed = false
    if (dbVersion === this.version) {
      this.syncedAt = this.now()
      this.behindSuspect = undefined
      return
    }
    // Notifications read before the version's result are already in the inbox; if they reach dbVersion the
    // loop applies them next.
    const newest = this.inbox.at(-1)?.notification.version ?? this.version
    if (dbVersion > this.version && newest >= dbVersion) {
      this.behindSuspect = undefined
      return
    }
    if (dbVersion > this.version) {
      // The database is ahead of what we were told. Usually a notification is merely late: PostgreSQL makes a
      // commit visible before the committing session signals the listeners, so a version read can see the commit
      // first (seen under CPU pressure with 50 replicas: each such false alarm cost a full reload, which holds that
      // replica's changes back for its duration and costs the primary a full read). Look again shortly, and
      // reload only if what was ahead then is still neither applied nor announced.
      const suspect = this.behindSuspect
      const graceMs = this.options.behindGraceMs ?? 250
      if (
        suspect !== undefined &&
        Math.max(this.version, newest) < suspect.version &&
        performance.now() < suspect.until
      ) {
        return // an earlier check's grace is still running; its recheck decides
      }
      if (suspect === undefined || Math.max(this.version, newest) >= suspect.version) {
        const suspect = { version: dbVersion, until: performance.now() + graceMs }
        this.behindSuspect = suspect
        clearTimeout(this.recheckTimer)
        this.recheckTimer = setTimeout(() => {
          // This is the recheck: its grace is over. A timer may fire a fraction of a millisecond before
          // performance.now() reaches `until` (libuv schedules from a cached loop time), and a recheck that then
          // took itself for a grace still running would leave the change to the next poll.
          suspect.until = 0
          this.checkWanted = true
          void this.kick()
        }, graceMs)
        this.recheckTimer.unref()
        return
      }
    }
    // Missed (the suspect never came), or the database went back in time (a restore, a failover that lost the
    // last commits): reload.
    this.behindSuspect = undefined
    this.reloadWanted ??= 'behind'
  }
}
