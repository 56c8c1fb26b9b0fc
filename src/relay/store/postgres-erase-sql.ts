import type pg from 'pg'
import type { EraseJobRow, EraseStatements, PersonalRow, PersonalTable } from './erase-dialect.js'
import type { LinkRow } from './rows.js'

/** The erase statements of the PostgreSQL store (see EraseStatements), the same steps as sqlite-erase-sql.ts. */
export const ERASE_SQL = {
  linksMentioning: 'SELECT visitor, since, locators, linked_at FROM visitor_links WHERE strpos(locators, $1) > 0',
  unsentJobsMentioning: `SELECT seq, kind, visitor, state, payload, locators FROM jobs WHERE state IN ('held', 'queued', 'dead')
    AND (strpos(coalesce(payload, ''), $1) > 0 OR strpos(coalesce(locators, ''), $1) > 0)`,
  jobsOfVisitors: 'SELECT seq, kind, visitor, state, payload, locators FROM jobs WHERE visitor = ANY($1::text[])',
  /** occurred_at takes received_at: the browser's own clock said when this person did it. */
  tombstoneJobs: `UPDATE jobs SET state = 'sent', visitor = '', payload = NULL, locators = NULL, occurred_at = received_at,
    lease_until = NULL, next_attempt_at = NULL, last_error = NULL, last_status = NULL, done_at = coalesce(done_at, $2)
    WHERE seq = ANY($1::bigint[])`,
  deleteLinks: 'DELETE FROM visitor_links WHERE visitor = ANY($1::text[])',
} as const

/** Table and column names come from erase.ts's own list, never from input; a column the table lacks matches nothing (every parameter is still used, as PostgreSQL requires). */
export const personalRowsSql = (t: PersonalTable) =>
  `SELECT ${t.key} AS key, ${t.visitor ?? 'NULL'} AS visitor, ${t.locators ?? 'NULL'} AS locators, ${t.chat ?? 'NULL'} AS chat FROM ${t.table}
  WHERE ${t.visitor ? `${t.visitor} = ANY($1::text[])` : 'cardinality($1::text[]) < 0'}
    OR ($2::text IS NOT NULL AND ${t.locators ? `strpos(${t.locators}, $2) > 0` : 'false'})
    OR ${t.chat ? `${t.chat} = ANY($3::text[])` : 'cardinality($3::text[]) < 0'}`

export function createPostgresEraseStatements(db: pg.Pool | pg.PoolClient): EraseStatements {
  const rows = async <R extends pg.QueryResultRow>(text: string, values: unknown[]) => (await db.query<R>(text, values)).rows
  const changes = async (text: string, values: unknown[]) => (await db.query(text, values)).rowCount ?? 0
  return {
    linksMentioning: (needle) => rows<LinkRow>(ERASE_SQL.linksMentioning, [needle]),
    unsentJobsMentioning: (needle) => rows<EraseJobRow>(ERASE_SQL.unsentJobsMentioning, [needle]),
    jobsOfVisitors: (visitors) => rows<EraseJobRow>(ERASE_SQL.jobsOfVisitors, [visitors]),
    tombstoneJobs: (seqs, now) => changes(ERASE_SQL.tombstoneJobs, [seqs, now]),
    deleteLinks: (visitors) => changes(ERASE_SQL.deleteLinks, [visitors]),
    personalRows: (t, visitors, needle, chats) => rows<PersonalRow>(personalRowsSql(t), [visitors, needle, chats]),
    deletePersonalRows: (t, keys) => changes(`DELETE FROM ${t.table} WHERE ${t.key} = ANY($1::text[])`, [keys]),
  }
}
