import pg, { type PoolClient } from 'pg'
import { isSameLink, pickLink } from './links.js'
import { LOCK_VISITOR, migrate } from './postgres-schema.js'
import { SQL } from './postgres-sql.js'
import { toClaimed, toDeadLetter, toLink, type DeadRow, type JobRow, type LinkRow } from './rows.js'
import type { InsertResult, Link, LinkResult, NewEvents, NewLink, Settlement, SettleResult, Store, StoreCounts } from './types.js'

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/database`, as `DATABASE_URL` gives it (libpq's `sslmode` etc. allowed). */
  connectionString: string
  /**
   * Most connections this process opens. The forwarder, the purger and the
   * routes share them; each node opens its own, so keep
   * nodes × poolSize under the server's `max_connections`.
   * @defaultValue 10
   */
  poolSize?: number
  /**
   * How long a query waits for a connection (to open, or to come free) before
   * it fails, so `/readyz` answers 503 instead of hanging while the database is away.
   * @defaultValue 5000
   */
  connectTimeoutMs?: number
  /** The server cancels a longer statement: a stuck lock fails one call (the SDK retries a 5xx) instead of hanging it. @defaultValue 10000 */
  statementTimeoutMs?: number
  /** Shown in `pg_stat_activity`. @defaultValue `esputnik-relay` */
  applicationName?: string
  /** Told about a pooled connection that failed while idle (the server restarted); the pool opens a new one. */
  onError?: (error: Error) => void
}

export const POSTGRES_DEFAULTS = { poolSize: 10, connectTimeoutMs: 5000, statementTimeoutMs: 10_000, applicationName: 'esputnik-relay' } as const

/** The Store over PostgreSQL: several relay nodes share one database and its queue. */
export interface PostgresStore extends Store {
  /** Migration versions this open applied (empty when another node, or an earlier run, had done it). */
  readonly migrated: number[]
}

/** int8 (count, seq, ms times) as a number, not pg's default string; every value stored here is a safe integer. */
const INT8_OID = 20
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid == INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
}

/** A visitor's advisory lock key: FNV-1a of its id. Two visitors sharing a key only wait for each other. */
function lockKey(visitor: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < visitor.length; i++) h = Math.imul(h ^ visitor.charCodeAt(i), 0x01000193)
  return h | 0
}

async function lockVisitors(c: PoolClient, visitors: Iterable<string>) {
  const keys = [...new Set([...visitors].map(lockKey))].sort((a, b) => a - b)
  if (keys.length) await c.query(SQL.lockVisitors, [LOCK_VISITOR, keys])
}

/**
 * Opens the pool and migrates the schema. Unlike the SQLite store it clears
 * no leases at open: other nodes may be sending those jobs right now, and a
 * killed node's jobs become claimable when their lease ends.
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? POSTGRES_DEFAULTS.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs ?? POSTGRES_DEFAULTS.connectTimeoutMs,
    application_name: options.applicationName ?? POSTGRES_DEFAULTS.applicationName,
    statement_timeout: options.statementTimeoutMs ?? POSTGRES_DEFAULTS.statementTimeoutMs,
    types,
  })
  // Without a listener an idle connection's error (a server restart) would crash the process.
  pool.on('error', (error) => options.onError?.(error))
  let migrated: number[]
  try {
    migrated = await migrate(pool)
  } catch (error) {
    await pool.end()
    throw error
  }

  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => pool.query<R>(text, values)

  async function tx<T>(work: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await pool.connect()
    try {
      await c.query('BEGIN')
      const result = await work(c)
      await c.query('COMMIT')
      c.release()
      return result
    } catch (error) {
      // A connection that failed mid-transaction is dropped, not handed to the next caller.
      const broken = await c.query('ROLLBACK').then(() => undefined, (e: Error) => e)
      c.release(broken)
      throw error
    }
  }

  const readLinks = async (c: PoolClient | pg.Pool, visitor: string) =>
    (await c.query<LinkRow>(SQL.links, [visitor])).rows.map(toLink)

  // Under the visitor's lock, so an event is never held after its visitor was
  // linked by another node (that link's release would miss it).
  const insertEvents = (batch: NewEvents) =>
    tx(async (c): Promise<InsertResult> => {
      const { visitor } = batch
      await lockVisitors(c, [visitor])
      const links = await readLinks(c, visitor)
      const rows = batch.events.map((event) => {
        const link = pickLink(links, event.ts)
        const state: 'queued' | 'held' = link || batch.anonymous == 'forward' ? 'queued' : 'held'
        // Anonymous history that arrives after the first link is replayed like held history.
        const replay = Boolean(link && event.ts < links[0]!.since)
        const queuedAt = state == 'queued' ? batch.receivedAt : null
        return { event, state, replay, locators: link ? JSON.stringify(link.locators) : null, queuedAt, due: replay ? null : queuedAt }
      })
      const column = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k])
      const { rows: inserted } = await c.query<{ id: string }>(SQL.insertEvents, [
        visitor,
        batch.receivedAt,
        rows.map((r) => r.event.id),
        column('state'),
        rows.map((r) => JSON.stringify(r.event)),
        column('locators'),
        column('replay'),
        column('queuedAt'),
        column('due'),
        rows.map((r) => r.event.ts),
      ])
      const fresh = new Set(inserted.map((r) => r.id))
      const result = { inserted: 0, duplicates: 0, held: 0, queued: 0, dropped: 0 }
      let replays = 0
      for (const r of rows) {
        if (!fresh.delete(r.event.id)) result.duplicates++
        else {
          result[r.state]++
          replays += Number(r.replay)
        }
      }
      if (replays) await c.query(SQL.promote, [visitor, batch.receivedAt])
      result.inserted = result.held + result.queued
      if (result.held && batch.maxHeld) {
        const { rows: held } = await c.query<{ n: number }>(SQL.countHeld, [visitor])
        const excess = held[0]!.n - batch.maxHeld
        if (excess > 0) result.dropped = (await c.query(SQL.dropHeld, [visitor, excess])).rowCount ?? 0
      }
      return result
    })

  /** The caller holds the visitor's lock. */
  async function link(c: PoolClient, l: NewLink): Promise<LinkResult> {
    let links = await readLinks(c, l.visitor)
    const changed = !isSameLink(pickLink(links, l.since)?.locators, l.locators)
    if (changed) {
      await c.query(SQL.insertLink, [l.visitor, l.since, JSON.stringify(l.locators), l.at])
      links = await readLinks(c, l.visitor)
    }
    // Events are held only while a visitor has no link at all, so they are all its first contact's history.
    const first = JSON.stringify(links[0]!.locators)
    const released = (await c.query(SQL.releaseHeld, [l.visitor, first, l.heldAfter, l.at])).rowCount ?? 0
    if (released) await c.query(SQL.promote, [l.visitor, l.at])
    return { changed, released }
  }

  const settle = (list: Settlement[]) =>
    tx(async (c): Promise<SettleResult> => {
      const result = { linked: 0, released: 0 }
      const done = list.filter((s) => s.outcome == 'sent' || s.outcome == 'dead')
      const jobs = new Map<string, { visitor: string; replay: boolean }>()
      if (done.length) {
        const { rows } = await c.query<{ id: string; visitor: string; replay: boolean }>(SQL.jobsOf, [done.map((s) => s.id)])
        for (const r of rows) jobs.set(r.id, r)
        // Every visitor whose replay or link this may touch, locked up front in one sorted order.
        const locked = done.filter((s) => jobs.get(s.id)?.replay || (s.outcome == 'sent' && s.link))
        await lockVisitors(c, locked.map((s) => jobs.get(s.id)!.visitor))
      }
      for (const s of list) {
        if (s.outcome == 'retry') await c.query(SQL.retry, [s.id, s.nextAttemptAt, s.error, s.status ?? null])
        else if (s.outcome == 'release') await c.query(SQL.release, [s.id])
        else {
          const job = jobs.get(s.id)
          const { rowCount } =
            s.outcome == 'sent' ? await c.query(SQL.sent, [s.id, s.at]) : await c.query(SQL.dead, [s.id, s.at, s.reason, s.status ?? null])
          if (!job || !rowCount) continue
          // The next of this visitor's replay may go now.
          if (job.replay) await c.query(SQL.promote, [job.visitor, s.at])
          if (s.outcome != 'sent' || !s.link) continue
          const linked = await link(c, { ...s.link, visitor: job.visitor, at: s.at })
          result.linked += Number(linked.changed)
          result.released += linked.released
        }
      }
      return result
    })

  let closed: Promise<void> | undefined
  return {
    migrated,
    insertEvents,
    insertSubscribe: async ({ request, receivedAt }) => {
      const { rowCount } = await query(SQL.insertSubscribe, [request.id, request.visitor, JSON.stringify(request), receivedAt, request.ts])
      return { inserted: rowCount == 1 }
    },
    claim: async ({ limit, now, leaseMs }) => toClaimed((await query<JobRow>(SQL.claim, [now, limit, now + leaseMs])).rows),
    settle,
    listDeadLetters: async ({ limit = 100, offset = 0 } = {}) => (await query<DeadRow>(SQL.listDead, [limit, offset])).rows.map(toDeadLetter),
    replayDeadLetters: async (ids, now) => (await query(SQL.replayDead, [ids == 'all' ? null : ids, now])).rowCount ?? 0,
    retryNow: async (now) => (await query(SQL.retryNow, [now])).rowCount ?? 0,
    linkVisitor: (l) =>
      tx(async (c) => {
        await lockVisitors(c, [l.visitor])
        return link(c, l)
      }),
    getLink: async (visitor): Promise<Link['locators'] | undefined> => (await readLinks(pool, visitor)).at(-1)?.locators,
    listLinks: (visitor) => readLinks(pool, visitor),
    counts: async () => {
      const counts = { held: 0, queued: 0, sent: 0, dead: 0 } as StoreCounts
      for (const { state, n } of (await query<{ state: 'held'; n: number }>(SQL.counts)).rows) counts[state] = n
      counts.oldestQueuedAt = (await query<{ at: number | null }>(SQL.oldest)).rows[0]?.at ?? null
      return counts
    },
    purge: async ({ sentBefore, heldBefore, limit }) => ({
      sent: (await query(SQL.purgeSent, [sentBefore, limit])).rowCount ?? 0,
      held: (await query(SQL.purgeHeld, [heldBefore, limit])).rowCount ?? 0,
    }),
    checkWritable: async (now) => {
      await query(SQL.heartbeat, [String(now)])
    },
    close: () => (closed ??= pool.end()),
  }
}
