import pg from 'pg'
import { runAsync, type Dialect } from './dialect.js'
import { createPostgresBudgetLedger } from './postgres-budgets.js'
import { migrate } from './postgres-schema.js'
import { createPostgresStatements } from './postgres-sql.js'
import { inTransaction } from './postgres-tx.js'
import { createStore } from './store.js'
import type { Store } from './types.js'

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

  const statements = createPostgresStatements(pool)
  let closed: Promise<void> | undefined
  const dialect: Dialect = {
    statements,
    transaction: (work) => inTransaction(pool, (c) => runAsync(work(createPostgresStatements(c)))),
    close: () => (closed ??= pool.end()),
  }
  return { migrated, ...createStore(dialect), budgets: createPostgresBudgetLedger(pool) }
}
