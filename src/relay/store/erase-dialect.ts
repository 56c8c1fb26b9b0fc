import type { Answer } from './dialect.js'
import type { LinkRow } from './rows.js'

/**
 * The erase statements a database gives the Store (part of Statements in
 * dialect.ts; sqlite-erase-sql.ts and postgres-erase-sql.ts write them).
 * A "needle" is text to look for inside the JSON of payloads and locators:
 * the statements find candidates by plain substring, and erase.ts keeps only
 * the rows whose parsed JSON has that identifier under its name, so both
 * databases decide alike without querying inside JSON.
 */

/** A job as erase reads it: enough to count it, to match it, and to find the identifiers it holds. */
export interface EraseJobRow {
  seq: number
  kind: string
  visitor: string
  state: string
  /** NULL once sent. */
  payload: string | null
  locators: string | null
}

export interface EraseStatements {
  /** Links whose locators contain `needle`. */
  linksMentioning(needle: string): Answer<LinkRow[]>
  /** Jobs not sent yet (held, queued or dead) whose payload or locators contain `needle`. */
  unsentJobsMentioning(needle: string): Answer<EraseJobRow[]>
  /** Every job of these visitors, in any state. */
  jobsOfVisitors(visitors: string[]): Answer<EraseJobRow[]>
  /** Makes these jobs tombstones (see erase-types.ts); returns how many. */
  tombstoneJobs(seqs: number[], now: number): Answer<number>
  /** Deletes every link of these visitors; returns how many. */
  deleteLinks(visitors: string[]): Answer<number>
}
