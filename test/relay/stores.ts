import { afterEach } from 'vitest'
import { createTestDatabase, type TestDatabase } from './postgres.js'

/** A store's name, and the relay settings that choose it (called once per test). */
export type RelayStore = [name: string, storeEnv: () => Promise<Record<string, string>>]

/**
 * The two stores a relay can run on, for `describe.each`: SQLite (the
 * default, no setting) and PostgreSQL (DATABASE_URL of a fresh database on
 * each call). Every database made during a test is dropped after it.
 *
 * Call it before `stoppedAfterEach`: vitest runs after-hooks in reverse order
 * of registration, so the relays close their pools first, then the databases go.
 */
export function relayStoresDroppedAfterEach(): RelayStore[] {
  let databases: TestDatabase[] = []
  afterEach(async () => {
    await Promise.all(databases.map((db) => db.drop()))
    databases = []
  })
  return [
    ['SQLite', async () => ({})],
    [
      'PostgreSQL',
      async () => {
        const db = await createTestDatabase()
        databases.push(db)
        return { DATABASE_URL: db.url }
      },
    ],
  ]
}
