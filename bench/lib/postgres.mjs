// PostgreSQL for the benches: one throwaway cluster per bench process
// (scripts/pg-cluster.mjs, the one the tests start), a database per scenario,
// and reads of what the relay nodes committed there.
import pg from 'pg'
import { startCluster } from '../../scripts/pg-cluster.mjs'
import { onExit } from './relay.mjs'
import { progress } from './report.mjs'

let cluster
let made = 0

/** A new empty database on the bench's cluster (started on first use, removed at exit); its URL. */
export async function createDatabase(name = 'bench') {
  if (!cluster) {
    progress('bench: starting a throwaway PostgreSQL cluster')
    cluster = await startCluster()
    onExit(() => cluster.stop())
  }
  const db = `${name.replace(/\W/g, '_')}_${++made}`
  const admin = new pg.Client({ connectionString: cluster.url })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${db}`)
  } finally {
    await admin.end()
  }
  const url = new URL(cluster.url)
  url.pathname = `/${db}`
  return url.toString()
}

/** What the nodes committed: the same reads as lib/store.mjs, over PostgreSQL, async. */
export async function openPostgresStore(url) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const rows = async (text, values = []) => (await client.query(text, values)).rows
  return {
    async counts() {
      const out = { held: 0, queued: 0, sent: 0, dead: 0, total: 0 }
      for (const { state, n } of await rows('SELECT state, count(*)::int AS n FROM jobs GROUP BY state')) {
        out[state] = n
        out.total += n
      }
      return out
    },
    ids: async () => new Set((await rows('SELECT id FROM jobs')).map((r) => r.id)),
    idsIn: async (state) => (await rows('SELECT id FROM jobs WHERE state = $1', [state])).map((r) => r.id),
    deadLetters: (limit = 5) => rows("SELECT id, last_status, last_error FROM jobs WHERE state = 'dead' LIMIT $1", [limit]),
    close: () => client.end(),
  }
}
