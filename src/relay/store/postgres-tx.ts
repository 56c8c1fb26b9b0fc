import type pg from 'pg'

/**
 * Runs `work` between BEGIN and COMMIT on one pooled connection. A failure
 * rolls back, and a connection that failed mid-transaction is dropped, not
 * handed to the next caller.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect()
  // A connection that breaks between two statements errors on the client, not on a query: the query after it fails.
  const ignore = () => undefined
  c.on('error', ignore)
  try {
    await c.query('BEGIN')
    const result = await work(c)
    await c.query('COMMIT')
    c.release()
    return result
  } catch (error) {
    const broken = await c.query('ROLLBACK').then(() => undefined, (e: Error) => e)
    c.release(broken)
    throw error
  } finally {
    c.off('error', ignore)
  }
}
