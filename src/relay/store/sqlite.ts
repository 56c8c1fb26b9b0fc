import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { runSync, type Dialect, type Statements, type Work } from './dialect.js'
import { migrate } from './sqlite-schema.js'
import { createSqliteStatements } from './sqlite-sql.js'
import { createStore } from './store.js'
import type { Store } from './types.js'

export interface SqliteStoreOptions {
  path: string
  /** NORMAL: a committed batch survives a crash of the process; FULL: also a power loss. */
  synchronous?: 'NORMAL' | 'FULL'
  /**
   * This process is the relay that owns the file (the CLI, which may open it
   * beside a running relay, is not): it clears at open the leases a killed
   * predecessor left, since only one relay uses a SQLite file and so no live
   * process holds them.
   */
  owner?: boolean
}

/**
 * The embedded Store: one file, WAL so readers never wait for the writer.
 * better-sqlite3 is synchronous, so every call is short: one statement or one
 * small transaction, never a long scan under the write lock.
 */
export interface SqliteStore extends Store {
  /** As SQLite reports them after opening, e.g. `{ journalMode: 'wal', synchronous: 1 }` (1 NORMAL, 2 FULL). */
  readonly settings: { journalMode: string; synchronous: number }
  /** Leases cleared at open (an owner only). */
  readonly recoveredLeases: number
}

export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  if (options.path != ':memory:') mkdirSync(dirname(options.path), { recursive: true })
  const db = new Database(options.path)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${options.synchronous == 'FULL' ? 'FULL' : 'NORMAL'}`)
  // The CLI may write while the relay runs; wait for the lock instead of failing.
  db.pragma('busy_timeout = 5000')
  migrate(db)
  let recoveredLeases = 0
  if (options.owner) {
    // No other process uses the file, so every lease is a dead predecessor's: its jobs are due now, not in a minute.
    recoveredLeases = db.prepare(`UPDATE jobs SET lease_until = NULL WHERE state = 'queued' AND lease_until IS NOT NULL`).run().changes
  }
  const statements = createSqliteStatements(db)
  // The whole decision runs inside db.transaction, synchronously: one transaction a batch, and no other
  // call can slip into it, since nothing in it awaits.
  const inTransaction = db.transaction((work: Work<unknown>) => runSync(work))
  const dialect: Dialect = {
    statements,
    transaction: async <T>(work: (s: Statements) => Work<T>) => inTransaction(work(statements)) as T,
    close: async () => {
      if (db.open) db.close()
    },
  }

  return {
    settings: {
      journalMode: db.pragma('journal_mode', { simple: true }) as string,
      synchronous: db.pragma('synchronous', { simple: true }) as number,
    },
    recoveredLeases,
    ...createStore(dialect),
  }
}
