import { afterEach, beforeEach } from 'vitest'
import type { Job, Store } from '../../../src/relay/store/types.js'

/** Where one test's data lives: an empty SQLite file, a fresh PostgreSQL database. */
export interface StoreHarness {
  /** Opens a store on this data; called again after a close, it opens the same data. */
  open(): Promise<Store>
  /** Deletes the data; every store opened on it is closed by then. */
  remove(): Promise<void>
}

/**
 * Gives every test of the enclosing describe a fresh, empty store (passed to
 * `use` before the test), and closes and removes it after the test.
 * `reopen` closes the current store and opens its data again.
 */
export function storePerTest(newHarness: () => Promise<StoreHarness>, use: (store: Store) => void) {
  let harness: StoreHarness
  let current: Store
  beforeEach(async () => {
    harness = await newHarness()
    current = await harness.open()
    use(current)
  })
  afterEach(async () => {
    await current.close()
    await harness.remove()
  })
  return {
    async reopen(): Promise<Store> {
      await current.close()
      current = await harness.open()
      return current
    },
  }
}

/** The contract tests' clock: a fixed instant, and a lease longer than any test's steps. */
export const T0 = 1_800_000_000_000
export const LEASE = 30_000

/** Claims, one call at a time, until nothing is claimable; acks each as sent at `now`. Returns what it sent, in order. */
export async function drain(store: Store, now = T0 + 1000): Promise<Job[]> {
  const sent: Job[] = []
  for (let jobs; (jobs = await store.claim({ limit: 10, now, leaseMs: LEASE })).length; ) {
    sent.push(...jobs)
    await store.settle(jobs.map((j) => ({ id: j.id, outcome: 'sent' as const, at: now })))
  }
  return sent
}
