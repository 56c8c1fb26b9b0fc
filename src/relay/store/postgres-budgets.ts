import type pg from 'pg'
import type { BudgetLedger, BudgetTx, HeldSlot, LiveNode } from './budget-ledger.js'
import { LOCK_BUDGETS } from './postgres-schema.js'
import { inTransaction } from './postgres-tx.js'

/** The statements of a tick (store/budget-ledger.ts says what each does). */
export const BUDGET_SQL = {
  lock: 'SELECT pg_advisory_xact_lock($1, 0)',
  clock: `SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now`,
  forgetDead: 'DELETE FROM budget_nodes WHERE alive_until < $1',
  heartbeat: `INSERT INTO budget_nodes (budget, node, rate, want, alive_until) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (budget, node) DO UPDATE SET rate = excluded.rate, want = excluded.want, alive_until = excluded.alive_until`,
  liveNodes: 'SELECT node, rate, want FROM budget_nodes WHERE budget = $1 ORDER BY node',
  addSlots: `INSERT INTO budget_slots (budget, slot, free_at) SELECT $1, n, $3 FROM generate_series(0, $2 - 1) AS n
    ON CONFLICT (budget, slot) DO NOTHING`,
  release: `UPDATE budget_slots s SET node = NULL, lease_until = NULL, free_at = greatest(s.free_at, r.free_at)
    FROM unnest($3::int4[], $4::int8[]) AS r (slot, free_at)
    WHERE s.budget = $1 AND s.node = $2 AND s.slot = r.slot`,
  renew: `UPDATE budget_slots SET lease_until = $3 WHERE budget = $1 AND node = $2
    RETURNING slot, lease_until, free_at`,
  /** A slot whose holder's lease ran out is free a window after it: every call on it was received by then. */
  acquire: `UPDATE budget_slots s SET node = $2, lease_until = $6,
      free_at = CASE WHEN s.node IS NULL THEN s.free_at ELSE greatest(s.free_at, s.lease_until + $7) END
    FROM (SELECT slot FROM budget_slots
          WHERE budget = $1 AND slot < $4 AND (node IS NULL OR lease_until < $5)
          ORDER BY free_at, slot LIMIT $3 FOR UPDATE) AS f
    WHERE s.budget = $1 AND s.slot = f.slot
    RETURNING s.slot, s.lease_until, s.free_at`,
  leave: 'DELETE FROM budget_nodes WHERE node = $1',
} as const

interface SlotRow {
  slot: number
  lease_until: number
  free_at: number
}
const toHeld = (r: SlotRow): HeldSlot => ({ slot: r.slot, leaseUntil: r.lease_until, freeAt: r.free_at })

function statements(c: pg.PoolClient): BudgetTx {
  const rows = async <R extends pg.QueryResultRow>(text: string, values: unknown[]) => (await c.query<R>(text, values)).rows
  return {
    clock: async () => (await rows<{ now: number }>(BUDGET_SQL.clock, []))[0]!.now,
    forgetDead: async (now) => void (await c.query(BUDGET_SQL.forgetDead, [now])),
    heartbeat: async (budget, node, rate, want, aliveUntil) => void (await c.query(BUDGET_SQL.heartbeat, [budget, node, rate, want, aliveUntil])),
    liveNodes: (budget) => rows<LiveNode>(BUDGET_SQL.liveNodes, [budget]),
    addSlots: async (budget, count, freeAt) => void (await c.query(BUDGET_SQL.addSlots, [budget, count, freeAt])),
    release: async (budget, node, slots) => {
      if (!slots.length) return
      await c.query(BUDGET_SQL.release, [budget, node, slots.map((s) => s.slot), slots.map((s) => Math.ceil(s.freeAt))])
    },
    renew: async (budget, node, leaseUntil) => (await rows<SlotRow>(BUDGET_SQL.renew, [budget, node, leaseUntil])).map(toHeld),
    acquire: async (budget, node, count, below, now, leaseUntil, windowMs) =>
      count > 0 ? (await rows<SlotRow>(BUDGET_SQL.acquire, [budget, node, count, below, now, leaseUntil, windowMs])).map(toHeld) : [],
    leave: async (node) => void (await c.query(BUDGET_SQL.leave, [node])),
  }
}

/**
 * The budget ledger on the store's pool. A tick is a handful of short
 * statements under one advisory lock, a few times a second per node, however
 * many calls the nodes make: the calls themselves never wait for the database.
 */
export function createPostgresBudgetLedger(pool: pg.Pool): BudgetLedger {
  return {
    async transaction(work) {
      return inTransaction(pool, async (c) => {
        await c.query(BUDGET_SQL.lock, [LOCK_BUDGETS])
        return work(statements(c))
      })
    },
  }
}
