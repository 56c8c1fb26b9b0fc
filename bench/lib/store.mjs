// Reads the relay's SQLite file directly (read-only), to check what the
// relay said against what it committed. WAL lets this run beside a live relay.
import Database from 'better-sqlite3'

export function openStore(path) {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  db.pragma('busy_timeout = 5000')
  return {
    /** Rows per state, and all of them. */
    counts() {
      const out = { held: 0, queued: 0, sent: 0, dead: 0, total: 0 }
      for (const { state, n } of db.prepare('SELECT state, count(*) AS n FROM jobs GROUP BY state').all()) {
        out[state] = n
        out.total += n
      }
      return out
    },
    /** Every stored job id. */
    ids() {
      return new Set(db.prepare('SELECT id FROM jobs').pluck().all())
    },
    /** Ids by state, e.g. to name the ones not sent. */
    idsIn(state) {
      return db.prepare('SELECT id FROM jobs WHERE state = ?').pluck().all(state)
    },
    deadLetters(limit = 5) {
      return db.prepare("SELECT id, last_status, last_error FROM jobs WHERE state = 'dead' LIMIT ?").all(limit)
    },
    close: () => db.close(),
  }
}
