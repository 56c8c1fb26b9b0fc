import type { Database } from 'better-sqlite3'
import type { OrderContextRow, OrderJobInsert, OrderJobRow, OrderStatements } from './order-dialect.js'

/** The order statements of the SQLite store (see OrderStatements), prepared once. */
export function createSqliteOrderStatements(db: Database): OrderStatements {
  const changes = (sql: string) => {
    const statement = db.prepare(sql)
    return (...params: unknown[]) => statement.run(...params).changes
  }
  const row = (r: OrderJobInsert) => ({ ...r, replay: Number(r.replay) })
  const insert = changes(
    `INSERT INTO jobs (id, kind, visitor, state, payload, locators, replay, received_at, queued_at, next_attempt_at, occurred_at)
     VALUES (@id, @kind, @visitor, @state, @payload, @locators, @replay, @at, @queuedAt, @due, @ts)
     ON CONFLICT (id) DO NOTHING`,
  )
  // A fresh job in the old one's place: no attempts, no error, no lease.
  const replace = changes(
    `UPDATE jobs SET kind = @kind, visitor = @visitor, state = @state, payload = @payload, locators = @locators, replay = @replay,
       received_at = @at, queued_at = @queuedAt, next_attempt_at = @due, occurred_at = @ts, lease_until = NULL, attempts = 0,
       last_error = NULL, last_status = NULL
     WHERE id = @id AND state IN ('held', 'queued') AND (lease_until IS NULL OR lease_until <= @now)`,
  )
  const jobs = db.prepare<[string], OrderJobRow>(
    `SELECT id, visitor, state, payload, replay FROM jobs WHERE id IN (SELECT value FROM json_each(?))`,
  )
  const lastCart = db.prepare<[string], { id: string }>('SELECT recycle_state_id AS id FROM visitor_carts WHERE visitor = ?')
  const noteCart = changes(
    `INSERT INTO visitor_carts (visitor, recycle_state_id, ts, seen_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (visitor) DO UPDATE SET recycle_state_id = excluded.recycle_state_id, ts = excluded.ts, seen_at = excluded.seen_at
     WHERE excluded.ts >= visitor_carts.ts`,
  )
  const context = db.prepare<[string], OrderContextRow>('SELECT visitor, locators, recycle_state_id FROM order_contexts WHERE order_id = ?')
  const noteContext = changes(
    `INSERT INTO order_contexts (order_id, visitor, locators, recycle_state_id, first_at) VALUES (@orderId, @visitor, @locators, @recycle_state_id, @at)
     ON CONFLICT (order_id) DO UPDATE SET visitor = coalesce(order_contexts.visitor, excluded.visitor),
       locators = coalesce(order_contexts.locators, excluded.locators),
       recycle_state_id = coalesce(order_contexts.recycle_state_id, excluded.recycle_state_id)`,
  )
  const purgeCarts = changes('DELETE FROM visitor_carts WHERE visitor IN (SELECT visitor FROM visitor_carts WHERE seen_at < ? LIMIT ?)')
  const purgeContexts = changes('DELETE FROM order_contexts WHERE order_id IN (SELECT order_id FROM order_contexts WHERE first_at < ? LIMIT ?)')

  return {
    insertOrderJob: (r) => insert(row(r)) > 0,
    orderJobs: (ids) => jobs.all(JSON.stringify(ids)),
    replaceOrderJob: (r, now) => replace({ ...row(r), now }) > 0,
    lastCart: (visitor) => lastCart.get(visitor)?.id,
    noteCart: (visitor, id, ts, at) => noteCart(visitor, id, ts, at),
    orderContext: (orderId) => context.get(orderId),
    noteOrderContext: (orderId, c, at) => noteContext({ orderId, ...c, at }),
    purgeOrderContexts: (before, limit) => purgeCarts(before, limit) + purgeContexts(before, limit),
  }
}
