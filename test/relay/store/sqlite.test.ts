import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createSqliteStore } from '../../../src/relay/store/sqlite.js'
import type { Store } from '../../../src/relay/store/types.js'
import { tempDir, wireEvent } from '../helpers.js'
import { describeStoreContract } from './contract.js'

describeStoreContract('SQLite', async () => {
  const dir = tempDir()
  const path = join(dir, 'store.db')
  let store: Store = createSqliteStore({ path })
  return {
    store,
    async reopen() {
      await store.close()
      store = createSqliteStore({ path })
      return store
    },
    async cleanup() {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})

describe('SQLite store', () => {
  it('runs in WAL mode with synchronous NORMAL by default and FULL on request', async () => {
    const dir = tempDir()
    const normal = createSqliteStore({ path: join(dir, 'normal.db') })
    const full = createSqliteStore({ path: join(dir, 'full.db'), synchronous: 'FULL' })
    expect(normal.settings).toEqual({ journalMode: 'wal', synchronous: 1 })
    expect(full.settings).toEqual({ journalMode: 'wal', synchronous: 2 })
    await normal.close()
    await full.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('creates the folder of its database file', async () => {
    const dir = tempDir()
    const store = createSqliteStore({ path: join(dir, 'a', 'b', 'relay.db') })
    await expect(store.checkWritable(1)).resolves.toBeUndefined()
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('stores 10 000 events in batches of 50 in well under a second', async () => {
    const dir = tempDir()
    const store = createSqliteStore({ path: join(dir, 'bulk.db') })
    const started = performance.now()
    for (let i = 0; i < 200; i++) {
      const events = Array.from({ length: 50 }, () => wireEvent('searchRequest', { search: 'mug' }))
      await store.insertEvents({ visitor: `visitor-${i}-xx`, events, receivedAt: 1, anonymous: 'forward' })
    }
    const ms = performance.now() - started
    expect((await store.counts()).queued).toBe(10_000)
    expect(ms).toBeLessThan(1000)
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })
})
