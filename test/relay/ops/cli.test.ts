import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../../../src/relay/ops/cli.js'
import { createPostgresStore } from '../../../src/relay/store/postgres.js'
import { createSqliteStore } from '../../../src/relay/store/sqlite.js'
import { tempDir, wireEvent } from '../helpers.js'
import { createTestDatabase, queryDatabase, type TestDatabase } from '../postgres.js'

describe('esputnik-relay CLI', () => {
  let dir: string
  let out: string[]
  let err: string[]
  const cli = (...argv: string[]) =>
    runCli(argv, { env: { SQLITE_PATH: join(dir, 'relay.db') }, out: (l) => out.push(l), err: (l) => err.push(l) })

  beforeEach(async () => {
    dir = tempDir()
    out = []
    err = []
    // Two dead letters, as a running relay would have left them.
    const store = createSqliteStore({ path: join(dir, 'relay.db') })
    const events = [wireEvent('pageViewed', {}, { id: 'dead-event-0001' }), wireEvent('searchRequest', { search: 'x' }, { id: 'dead-event-0002' })]
    await store.insertEvents({ visitor: 'visitor-cli-1', events, receivedAt: 1, anonymous: 'forward' })
    const jobs = await store.claim({ limit: 2, now: 1, leaseMs: 1000 })
    await store.settle(jobs.map((j, i) => ({ id: j.id, outcome: 'dead' as const, at: 10 + i, reason: 'eSputnik answered 400: bad', status: 400 })))
    await store.close()
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('lists dead letters newest first with their status and reason', async () => {
    expect(await cli('dead-letters', 'list')).toBe(0)
    const lines = out.join('\n').split('\n')
    expect(lines[1]).toContain('dead-event-0002')
    expect(lines[1]).toContain('400')
    expect(lines[2]).toContain('dead-event-0001')
    expect(lines[2]).toContain('eSputnik answered 400: bad')
  })

  it('lists dead letters as JSON', async () => {
    await cli('dead-letters', 'list', '--json')
    expect(JSON.parse(out[0]!).map((d: { id: string }) => d.id)).toEqual(['dead-event-0002', 'dead-event-0001'])
  })

  it('replays chosen dead letters, then all of them, back into the queue', async () => {
    expect(await cli('dead-letters', 'replay', 'dead-event-0001')).toBe(0)
    expect(out.at(-1)).toBe('1 dead letter queued again.')
    expect(await cli('dead-letters', 'replay', '--all')).toBe(0)
    expect(out.at(-1)).toBe('1 dead letter queued again.')
    const store = createSqliteStore({ path: join(dir, 'relay.db') })
    expect(await store.counts()).toMatchObject({ queued: 2, dead: 0 })
    await store.close()
  })

  it('exits 1 and names the ids that are no dead letter, replaying the others', async () => {
    expect(await cli('dead-letters', 'replay', 'no-such-event')).toBe(1)
    expect(out.at(-1)).toBe('0 dead letters queued again.')
    expect(err.at(-1)).toBe('esputnik-relay: no dead letter no-such-event (an unknown id, or one already queued again or sent)')
    expect(await cli('dead-letters', 'replay', 'dead-event-0001', 'no-such-event')).toBe(1)
    expect(out.at(-1)).toBe('1 dead letter queued again.')
    expect(err.at(-1)).toMatch(/no dead letter no-such-event /)
    // Once queued again it is no dead letter any more.
    expect(await cli('dead-letters', 'replay', 'dead-event-0001')).toBe(1)
    expect(await cli('dead-letters', 'replay', '--all')).toBe(0)
    expect(await cli('dead-letters', 'replay', '--all')).toBe(0)
    expect(out.at(-1)).toBe('No dead letters to replay.')
  })

  it('exits 2 on a bad --limit or an unknown option, instead of listing something else', async () => {
    expect(await cli('dead-letters', 'list', '--limit', 'ten')).toBe(2)
    expect(err.at(-1)).toMatch(/--limit needs a whole number/)
    expect(await cli('dead-letters', 'list', '--newest')).toBe(1)
    expect(err.at(-1)).toMatch(/Unknown option '--newest'/)
    expect(out).toEqual([])
  })

  it('refuses a replay without ids or --all, and an unknown command', async () => {
    expect(await cli('dead-letters', 'replay')).toBe(2)
    expect(err.join()).toMatch(/needs --all or the ids/)
    expect(await cli('launch')).toBe(2)
    expect(err.join()).toMatch(/unknown command launch/)
  })

  it('says so when there is no store at SQLITE_PATH, instead of creating one', async () => {
    const code = await runCli(['dead-letters', 'list'], { env: { SQLITE_PATH: join(dir, 'nope.db') }, out: (l) => out.push(l), err: (l) => err.push(l) })
    expect(code).toBe(1)
    expect(err.join()).toMatch(/no relay store at .*nope\.db/)
  })

  it('prints the environment table and the usage', async () => {
    expect(await cli('env')).toBe(0)
    expect(out[0]).toMatch(/^\| variable \| default \| meaning \|/)
    expect(await cli('help')).toBe(0)
    expect(out[1]).toMatch(/dead-letters list/)
  })
})

describe('esputnik-relay CLI on PostgreSQL (DATABASE_URL)', () => {
  let db: TestDatabase
  beforeEach(async () => {
    db = await createTestDatabase()
    const store = await createPostgresStore({ connectionString: db.url, poolSize: 1 })
    await store.insertEvents({ visitor: 'visitor-cli-pg', events: [wireEvent('pageViewed', {}, { id: 'dead-event-pg-1' })], receivedAt: 1, anonymous: 'forward' })
    const [job] = await store.claim({ limit: 1, now: 1, leaseMs: 1000 })
    await store.settle([{ id: job!.id, outcome: 'dead', at: 10, reason: 'eSputnik answered 400: bad', status: 400 }])
    await store.close()
  })
  afterEach(() => db.drop())

  it('lists and replays the dead letters of the database DATABASE_URL names, with no SQLite file around', async () => {
    const out: string[] = []
    const io = { env: { DATABASE_URL: db.url, SQLITE_PATH: '/nonexistent/relay.db' }, out: (l: string) => out.push(l), err: (l: string) => out.push(l) }
    expect(await runCli(['dead-letters', 'list', '--json'], io)).toBe(0)
    expect(JSON.parse(out[0]!)).toMatchObject([{ id: 'dead-event-pg-1', status: 400, type: 'pageViewed' }])
    expect(await runCli(['dead-letters', 'replay', '--all'], io)).toBe(0)
    expect(out.at(-1)).toBe('1 dead letter queued again.')
    expect(await queryDatabase(db.url, `SELECT state FROM jobs WHERE id = 'dead-event-pg-1'`)).toEqual([{ state: 'queued' }])
  })
})
