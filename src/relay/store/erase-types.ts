import type { Locators } from '../esputnik/locators.js'
import type { JobState } from './job-state.js'

/**
 * The Store's erase (store/erase.ts decides, for both stores): everything the
 * relay holds about one person goes, but for what dedup needs. A job becomes
 * a tombstone: its id, kind and receipt time stay until the dedup window
 * ends (so a resent event id is still a duplicate, not new data), in state
 * `sent`, with no payload, no locators, no error text and a blank visitor.
 * The visitor column is blanked too: it is the id in the person's cookie, so
 * an event id under it would still say what that browser did and when.
 */

/** Whom to erase: one visitor, or a contact by one of its identifiers (every visitor ever linked to it). */
export type EraseTarget = { visitor: string } | { locator: keyof Locators; value: string }

/** Jobs made tombstones, by the state they were in. */
export type ErasedJobs = Record<JobState, number>

export interface EraseCounts {
  /** Visitors erased: no link is left, so their later events are held (or anonymous) until they are linked anew. */
  visitors: number
  /** Links deleted. */
  links: number
  /** Jobs made tombstones, by kind (a JobKind); the relay's own kinds are listed, zeros included. */
  jobs: Record<string, ErasedJobs>
  /** Rows deleted from the other tables that name a visitor or a contact, by table. */
  tables: Record<string, number>
}

export interface EraseResult {
  counts: EraseCounts
  /**
   * The visitor ids and contact identifiers the erased rows held, so the
   * caller can remove what it keeps elsewhere (the sandbox's recordings).
   * Never to be logged or answered.
   */
  identifiers: string[]
}

export interface EraseStore {
  /** Erases one person in one transaction (see EraseTarget); `now` stamps the tombstones. Nothing matched: zeros. */
  erase(target: EraseTarget, now: number): Promise<EraseResult>
}
