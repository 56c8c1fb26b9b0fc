import type { Answer } from './answer.js'
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

/** A table besides jobs and visitor_links that names a visitor or a contact: its key, and the columns that do. */
export interface PersonalTable {
  table: string
  key: string
  visitor?: string
  /** JSON of a contact's identifiers. */
  locators?: string
  /** A Telegram chat id: the rows of the chats an erase takes go too. */
  chat?: string
}

/** A row of a PersonalTable, its columns under these names (NULL where the table has none). */
export interface PersonalRow {
  key: string
  visitor: string | null
  locators: string | null
  chat: string | null
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
  /** The table's rows of these visitors or chats, or whose locators contain `needle` (null: none do). */
  personalRows(table: PersonalTable, visitors: string[], needle: string | null, chats: string[]): Answer<PersonalRow[]>
  /** Deletes the table's rows of these keys; returns how many. */
  deletePersonalRows(table: PersonalTable, keys: string[]): Answer<number>
}
