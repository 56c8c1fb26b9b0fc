import type { TestProject } from 'vitest/node'
import { startCluster } from '../scripts/pg-cluster.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL URL with the right to create databases: TEST_DATABASE_URL, or the throwaway cluster's. */
    postgresUrl: string
  }
}

/**
 * vitest globalSetup: a PostgreSQL server for the tests of the PostgreSQL
 * store. With TEST_DATABASE_URL set, that server; otherwise a throwaway
 * cluster (scripts/pg-cluster.mjs, shared with the benchmarks) in a temp
 * folder, on a free loopback port, removed at teardown.
 * Each test then creates a database of its own in it (test/relay/postgres.ts).
 */
export default async function setup(project: TestProject) {
  const given = process.env.TEST_DATABASE_URL?.trim()
  if (given) {
    project.provide('postgresUrl', given)
    return
  }
  const cluster = await startCluster()
  project.provide('postgresUrl', cluster.url)
  // Also on a crash of the run, not only at an orderly teardown.
  const onExit = () => cluster.stop()
  process.once('exit', onExit)
  return () => {
    process.off('exit', onExit)
    cluster.stop()
  }
}
