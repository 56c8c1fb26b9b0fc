import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { buildApp } from '../../src/relay/app.js'
import { loadConfig } from '../../src/relay/ops/config.js'
import { createPostgresStore } from '../../src/relay/store/postgres.js'
import type { WireEvent } from '../../src/wire/types.js'
import { batchOf, startTestRelay, stoppedAfterEach, waitFor, wireEvent, type TestRelay } from './helpers.js'
import { createTestDatabase, queryDatabase, type TestDatabase } from './postgres.js'

// Registered before the relays' cleanup, so it runs after it: relays close their pools, then the database goes.
let databases: TestDatabase[] = []
afterEach(async () => {
  await Promise.all(databases.map((db) => db.drop()))
  databases = []
})
const database = async () => {
  const db = await createTestDatabase()
  databases.push(db)
  return db
}
const start = stoppedAfterEach(startTestRelay)

const searchOf = (body: unknown) => (body as { params: { name: string; value: string }[] }).params.find((p) => p.name == 'search')?.value
const search = (text: string, ts: number): WireEvent => wireEvent('searchRequest', { search: text }, { ts })
const T0 = Date.now() - 60_000

async function sentCount(relay: TestRelay) {
  const text = await (await fetch(`${relay.url}/metrics`)).text()
  return Number(text.split('\n').find((l) => l.startsWith('esputnik_relay_events_sent_total '))?.split(' ')[1] ?? NaN)
}

const statesIn = (url: string) => queryDatabase<{ state: string; n: number }>(url, 'SELECT state, count(*)::int AS n FROM jobs GROUP BY state ORDER BY state')

describe('relay nodes on PostgreSQL (DATABASE_URL)', () => {
  it('keeps its queue in PostgreSQL when DATABASE_URL is set, and delivers from there', async () => {
    const db = await database()
    const relay = await start({ env: { DATABASE_URL: db.url } })
    const events = [search('mug', T0), search('cup', T0 + 1), search('jug', T0 + 2)]
    expect((await relay.send(batchOf('visitor-pg-1', events))).status).toBe(202)
    await waitFor(async () => (await relay.delivered()).length == 3, 'three deliveries')
    await waitFor(async () => (await statesIn(db.url))[0]?.n == 3, 'the three sends recorded in PostgreSQL')
    expect(await statesIn(db.url)).toEqual([{ state: 'sent', n: 3 }])
    expect(existsSync(join(relay.dir, 'relay.db'))).toBe(false)
  })

  it('opens at most DATABASE_POOL_SIZE connections however many beacons arrive at once', async () => {
    const db = await database()
    const relay = await start({ env: { DATABASE_URL: db.url, DATABASE_POOL_SIZE: '2' } })
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => relay.send(batchOf(`visitor-pool-${i}`, [search(`q${i}`, T0)]))))
    expect(answers.map((r) => r.status)).toEqual(Array(40).fill(202))
    const [open] = await queryDatabase<{ n: number }>(
      db.url,
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'esputnik-relay'",
    )
    expect(open!.n).toBeGreaterThanOrEqual(1)
    expect(open!.n).toBeLessThanOrEqual(2)
  })

  it('delivers every event of a shared backlog to eSputnik exactly once from two nodes, each visitor’s history in order', async () => {
    const db = await database()
    const seed = await createPostgresStore({ connectionString: db.url, poolSize: 2 })
    const plain: string[] = []
    for (let v = 0; v < 30; v++) {
      const events = Array.from({ length: 10 }, (_, i) => search(`plain-${v}-${i}`, T0 + i))
      plain.push(...events.map((e) => (e.data as { search: string }).search))
      await seed.insertEvents({ visitor: `visitor-plain-${v}`, events, receivedAt: T0, anonymous: 'forward' })
    }
    const history = new Map<string, string[]>()
    for (let v = 0; v < 10; v++) {
      const visitor = `visitor-history-${v}`
      const events = Array.from({ length: 6 }, (_, i) => search(`${visitor}-${i}`, T0 + i))
      history.set(visitor, events.map((e) => (e.data as { search: string }).search))
      await seed.insertEvents({ visitor, events: events.reverse(), receivedAt: T0, anonymous: 'hold' })
      await seed.linkVisitor({ visitor, locators: { externalCustomerId: visitor }, since: T0 + 100, heldAfter: 0, at: T0 + 100 })
    }
    await seed.close()
    const total = plain.length + 60

    // One sandbox stands in for eSputnik; both nodes send to it, each at half of what it accepts.
    const esputnik = await start({ config: { autoStart: false } })
    const env = { DATABASE_URL: db.url, ESPUTNIK_BASE_URL: `${esputnik.url}/sandbox`, UPSTREAM_RATE_PER_SEC: '150' }
    const nodes = await Promise.all([start({ env, config: { autoStart: false } }), start({ env, config: { autoStart: false } })])
    for (const node of nodes) node.app.relay.forwarder.start()

    const delivered = await waitFor(async () => {
      const list = await esputnik.delivered()
      return list.length >= total && list
    }, `${total} deliveries`, 20_000)
    await waitFor(async () => (await statesIn(db.url)).find((r) => r.state == 'sent')?.n == total, 'every send recorded')

    const texts = delivered.map((r) => searchOf(r.body)!)
    expect(texts).toHaveLength(total)
    expect(new Set(texts).size).toBe(total)
    expect(texts.filter((t) => t.startsWith('plain-')).sort()).toEqual([...plain].sort())
    for (const [visitor, expected] of history) {
      expect(texts.filter((t) => t.startsWith(`${visitor}-`)), visitor).toEqual(expected)
    }
    expect(await esputnik.recorded('/api/v2/event')).toHaveLength(total)
    const perNode = await Promise.all(nodes.map(sentCount))
    expect(perNode[0]! + perNode[1]!).toBe(total)
    expect(perNode.every((n) => n > 0)).toBe(true)
  })

  it('answers /readyz 503 once its database is gone, instead of hanging', async () => {
    const db = await database()
    const relay = await start({ env: { DATABASE_URL: db.url } })
    expect((await fetch(`${relay.url}/readyz`)).status).toBe(200)
    await db.drop()
    const res = await fetch(`${relay.url}/readyz`)
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ ready: false, problems: ['store is not writable'] })
  })

  it('refuses to start when DATABASE_URL names no reachable server', async () => {
    const url = new URL(inject('postgresUrl'))
    url.port = '1'
    await expect(buildApp(loadConfig({ DATABASE_URL: url.toString(), LOG_LEVEL: 'silent' }))).rejects.toThrow(/ECONNREFUSED/)
  })
})
