import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'

/** A database of one test's own on the test server (test/postgres-setup.ts), so test files run in parallel. */
export interface TestDatabase {
  url: string
  /** Drops it, closing any connection a failed test left open. */
  drop(): Promise<void>
}

async function onAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('postgresUrl') })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `relay_test_${randomBytes(8).toString('hex')}`
  await onAdmin((c) => c.query(`CREATE DATABASE ${name}`))
  const url = new URL(inject('postgresUrl'))
  url.pathname = `/${name}`
  let dropped: Promise<unknown> | undefined
  return {
    url: url.toString(),
    async drop() {
      dropped ??= onAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
      await dropped
    },
  }
}

/** Runs one query on a database of the tests, e.g. to look at what a relay wrote. */
export async function queryDatabase<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<R>(text, values)).rows
  } finally {
    await client.end()
  }
}
