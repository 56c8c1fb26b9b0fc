import type { Database } from 'better-sqlite3'
import type { EraseJobRow, EraseStatements, PersonalRow, PersonalTable } from './erase-dialect.js'
import type { LinkRow } from './rows.js'

/**
 * The erase statements of the SQLite store (see EraseStatements), prepared
 * once. Lists travel as one JSON array (`json_each`). The jobs of a visitor
 * are found by a scan (sent rows have no index by visitor, and one would
 * cost every insert for a call made a few times a year); the transaction is
 * one synchronous step, as long as that scan.
 */
export function createSqliteEraseStatements(db: Database): EraseStatements {
  const JOB = 'seq, kind, visitor, state, payload, locators'
  const links = db.prepare<[string], LinkRow>('SELECT visitor, since, locators, linked_at FROM visitor_links WHERE instr(locators, ?) > 0')
  const unsent = db.prepare<{ needle: string }, EraseJobRow>(
    `SELECT ${JOB} FROM jobs WHERE state IN ('held', 'queued', 'dead')
     AND (instr(coalesce(payload, ''), @needle) > 0 OR instr(coalesce(locators, ''), @needle) > 0)`,
  )
  const ofVisitors = db.prepare<[string], EraseJobRow>(`SELECT ${JOB} FROM jobs WHERE visitor IN (SELECT value FROM json_each(?))`)
  // occurred_at takes received_at: the browser's own clock said when this person did it.
  const tombstone = db.prepare(
    `UPDATE jobs SET state = 'sent', visitor = '', payload = NULL, locators = NULL, occurred_at = received_at,
       lease_until = NULL, next_attempt_at = NULL, last_error = NULL, last_status = NULL, done_at = coalesce(done_at, @now)
     WHERE seq IN (SELECT value FROM json_each(@seqs))`,
  )
  const deleteLinks = db.prepare('DELETE FROM visitor_links WHERE visitor IN (SELECT value FROM json_each(?))')
  // Table and column names come from erase.ts's own list, never from input; a column the table lacks matches nothing.
  const rowsOf = (t: PersonalTable) =>
    db.prepare<{ visitors: string; needle: string | null; chats: string }, PersonalRow>(
      `SELECT ${t.key} AS key, ${t.visitor ?? 'NULL'} AS visitor, ${t.locators ?? 'NULL'} AS locators, ${t.chat ?? 'NULL'} AS chat FROM ${t.table}
       WHERE ${t.visitor ? `${t.visitor} IN (SELECT value FROM json_each(@visitors))` : '@visitors IS NULL'}
         OR (@needle IS NOT NULL AND ${t.locators ? `instr(${t.locators}, @needle) > 0` : '0'})
         OR ${t.chat ? `${t.chat} IN (SELECT value FROM json_each(@chats))` : '@chats IS NULL'}`,
    )
  const deleteOf = (t: PersonalTable) => db.prepare(`DELETE FROM ${t.table} WHERE ${t.key} IN (SELECT value FROM json_each(?))`)
  return {
    linksMentioning: (needle) => links.all(needle),
    unsentJobsMentioning: (needle) => unsent.all({ needle }),
    jobsOfVisitors: (visitors) => ofVisitors.all(JSON.stringify(visitors)),
    tombstoneJobs: (seqs, now) => tombstone.run({ seqs: JSON.stringify(seqs), now }).changes,
    deleteLinks: (visitors) => deleteLinks.run(JSON.stringify(visitors)).changes,
    personalRows: (t, visitors, needle, chats) => rowsOf(t).all({ visitors: JSON.stringify(visitors), needle, chats: JSON.stringify(chats) }),
    deletePersonalRows: (t, keys) => deleteOf(t).run(JSON.stringify(keys)).changes,
  }
}
