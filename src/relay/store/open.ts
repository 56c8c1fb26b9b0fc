import type { Config } from '../ops/config.js'
import { createPostgresStore } from './postgres.js'
import { createSqliteStore } from './sqlite.js'
import type { Store } from './types.js'

export interface OpenStoreOptions {
  /** The relay itself, not the CLI beside it: SQLite then clears a killed predecessor's leases (PostgreSQL never does). */
  owner?: boolean
  /** A pooled PostgreSQL connection failed while idle. */
  onError?: (error: Error) => void
}

/** The store the configuration names: PostgreSQL when `DATABASE_URL` is set, else the SQLite file. */
export async function openStore(config: Config, options: OpenStoreOptions = {}): Promise<Store> {
  if (config.databaseUrl) return createPostgresStore({ connectionString: config.databaseUrl, poolSize: config.databasePoolSize, onError: options.onError })
  return createSqliteStore({ path: config.sqlitePath, synchronous: config.sqliteSynchronous, owner: options.owner })
}
