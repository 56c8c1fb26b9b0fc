import { rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach } from 'vitest'
import { createPostgresStore } from '../../../src/relay/store/postgres.js'
import { createSqliteStore } from '../../../src/relay/store/sqlite.js'
import type { Store } from '../../../src/relay/store/types.js'
import { tempDir } from '../helpers.js'
import { createTestDatabase, queryDatabase } from '../postgres.js'

/** A store of each kind, and a dump of its tables, to show what an erase left in them. */
export interface ErasableStore {
  store: Store
  /** Every row of these tables, as one text, to look for what an erase must have removed. */
  dump(tables: string[]): Promise<string>
  close(): Promise<void>
}

export const ERASABLE_STORES: [string, () => Promise<ErasableStore>][] = [
  [
    'SQLite',
    async () => {
      const dir = tempDir()
      const path = join(dir, 'store.db')
      const store = createSqliteStore({ path })
      return {
        store,
        dump: async (tables) => {
          const db = new Database(path, { readonly: true })
          try {
            return JSON.stringify(tables.map((t) => db.prepare(`SELECT * FROM ${t}`).all()))
          } finally {
            db.close()
          }
        },
        close: async () => {
          await store.close()
          rmSync(dir, { recursive: true, force: true })
        },
      }
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const db = await createTestDatabase()
      const store = await createPostgresStore({ connectionString: db.url, poolSize: 2 })
      return {
        store,
        dump: async (tables) => JSON.stringify(await Promise.all(tables.map((t) => queryDatabase(db.url, `SELECT * FROM ${t}`)))),
        close: async () => {
          await store.close()
          await db.drop()
        },
      }
    },
  ],
]

/**
 * A fresh store of `open`'s kind for every test of the enclosing describe,
 * opened before the test and closed (its data removed) after it. The answer
 * stands for the current test's store: read `store` and call `dump` inside a test.
 */
export function storeOfEachTest(open: () => Promise<ErasableStore>): ErasableStore {
  let opened: ErasableStore | undefined
  beforeEach(async () => {
    opened = await open()
  })
  afterEach(async () => {
    await opened?.close()
    opened = undefined
  })
  const current = () => {
    if (!opened) throw new Error('the erase tests’ store is open only during a test')
    return opened
  }
  return {
    get store() {
      return current().store
    },
    dump: (tables) => current().dump(tables),
    close: () => current().close(),
  }
}
