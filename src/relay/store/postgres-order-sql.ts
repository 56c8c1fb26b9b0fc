import type pg from 'pg'
import type { OrderContextRow, OrderJobInsert, OrderJobRow, OrderStatements } from './order-dialect.js'

/** The order statements of the PostgreSQL store, the same steps as sqlite-order-sql.ts. */
export const ORDER_SQL = {
  insert: `INSERT INTO jobs (id, kind, visitor, state, payload, locators, replay, received_at, queued_at, next_attempt_at, occurred_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
    ON CONFLICT (id) DO NOTHING`,
  /** A fresh job in the old one's place: no attempts, no error, no lease. */
  replace: `UPDATE jobs SET kind = $2, visitor = $3, state = $4, payload = $5, locators = $6, replay = $7,
      received_at = $8, queued_at = $9, next_attempt_at = $10, occurred_at = $11, lease_until = NULL, attempts = 0,
      last_error = NULL, last_status = NULL
    WHERE id = $1 AND state IN ('held', 'queued') AND (lease_until IS NULL OR lease_until <= $12)`,
  jobs: 'SELECT id, visitor, state, payload, replay FROM jobs WHERE id = ANY($1::text[])',
  lastCart: 'SELECT recycle_state_id AS id FROM visitor_carts WHERE visitor = $1',
  noteCart: `INSERT INTO visitor_carts (visitor, recycle_state_id, ts, seen_at) VALUES ($1, $2, $3, $4)
    ON CONFLICT (visitor) DO UPDATE SET recycle_state_id = excluded.recycle_state_id, ts = excluded.ts, seen_at = excluded.seen_at
    WHERE excluded.ts >= visitor_carts.ts`,
  context: 'SELECT visitor, locators, recycle_state_id FROM order_contexts WHERE order_id = $1',
  noteContext: `INSERT INTO order_contexts (order_id, visitor, locators, recycle_state_id, first_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (order_id) DO UPDATE SET visitor = coalesce(order_contexts.visitor, excluded.visitor),
      locators = coalesce(order_contexts.locators, excluded.locators),
      recycle_state_id = coalesce(order_contexts.recycle_state_id, excluded.recycle_state_id)`,
  purgeCarts: `DELETE FROM visitor_carts WHERE visitor IN (SELECT visitor FROM visitor_carts WHERE seen_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  purgeContexts: `DELETE FROM order_contexts WHERE order_id IN (SELECT order_id FROM order_contexts WHERE first_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
} as const

const values = (r: OrderJobInsert) => [r.id, r.kind, r.visitor, r.state, r.payload, r.locators, r.replay, r.at, r.queuedAt, r.due, r.ts]

/** On a pool (each statement its own transaction) or on a connection inside a transaction. */
export function createPostgresOrderStatements(db: pg.Pool | pg.PoolClient): OrderStatements {
  const changes = async (text: string, params: unknown[]) => (await db.query(text, params)).rowCount ?? 0
  return {
    insertOrderJob: async (r) => (await changes(ORDER_SQL.insert, values(r))) == 1,
    orderJobs: async (ids) => (await db.query<OrderJobRow>(ORDER_SQL.jobs, [ids])).rows,
    replaceOrderJob: async (r, now) => (await changes(ORDER_SQL.replace, [...values(r), now])) == 1,
    lastCart: async (visitor) => (await db.query<{ id: string }>(ORDER_SQL.lastCart, [visitor])).rows[0]?.id,
    noteCart: (visitor, id, ts, at) => db.query(ORDER_SQL.noteCart, [visitor, id, ts, at]),
    orderContext: async (orderId) => (await db.query<OrderContextRow>(ORDER_SQL.context, [orderId])).rows[0],
    noteOrderContext: (orderId, c, at) => db.query(ORDER_SQL.noteContext, [orderId, c.visitor, c.locators, c.recycle_state_id, at]),
    purgeOrderContexts: async (before, limit) => (await changes(ORDER_SQL.purgeCarts, [before, limit])) + (await changes(ORDER_SQL.purgeContexts, [before, limit])),
  }
}
