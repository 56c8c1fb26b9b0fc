import { spawn, type ChildProcess } from 'node:child_process'
import { freePort } from '../../scripts/free-port.mjs'
import { afterEach, describe, expect, it } from 'vitest'
import { PATH_GENERATE_EVENT } from '../../src/relay/esputnik/event-v2.js'
import { PATH_SUBSCRIBE_CONTACT } from '../../src/relay/esputnik/subscribe.js'
import { createPostgresStore } from '../../src/relay/store/postgres.js'
import { startTestRelay, stoppedAfterEach, waitFor, wireEvent, type TestRelay } from './helpers.js'
import { createTestDatabase, queryDatabase, type TestDatabase } from './postgres.js'
import { busiestWindow, startReceiver, type Receiver } from './receiver.js'

/**
 * Two relay nodes on one throwaway PostgreSQL, forwarding to a loopback
 * eSputnik that counts calls by the time they arrive: the budgets are the
 * account's (src/relay/forward/shared-budgets.ts).
 */

// Registered before the relays' cleanup, so it runs after it: relays close their pools, then the database goes.
let cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const step of cleanups.reverse()) await step()
  cleanups = []
})
const start = stoppedAfterEach(startTestRelay)

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase()
  cleanups.push(() => db.drop())
  return db
}
async function receiver(answer?: (path: string) => number): Promise<Receiver> {
  const r = await startReceiver(answer, 5)
  cleanups.push(() => r.close())
  return r
}

/** A backlog written straight into the database: `events` searches over visitors of ten, and `subscribes` requests. */
async function seed(url: string, events: number, subscribes = 0) {
  const store = await createPostgresStore({ connectionString: url, poolSize: 2 })
  const now = Date.now()
  for (let v = 0; v * 10 < events; v++) {
    const batch = Array.from({ length: Math.min(10, events - v * 10) }, (_, i) => wireEvent('searchRequest', { search: `q-${v}-${i}` }, { ts: now }))
    await store.insertEvents({ visitor: `visitor-budget-${v}`, events: batch, receivedAt: now, anonymous: 'forward' })
  }
  for (let i = 0; i < subscribes; i++) {
    const id = `subscribe-budget-${String(i).padStart(4, '0')}`
    await store.insertSubscribe({ request: { id, ts: now, visitor: `visitor-sub-${i}`, email: `budget-${i}@example.com` }, receivedAt: now })
  }
  await store.close()
}

const delivered = (r: Receiver, path: string) => r.calls.filter((c) => c.path == path && c.status == 200)
const searchesOf = (r: Receiver) =>
  delivered(r, PATH_GENERATE_EVENT).map((c) => (c.body as { params: { name: string; value: string }[] }).params.find((p) => p.name == 'search')!.value)
const nodeEnv = (db: TestDatabase, r: Receiver, extra: Record<string, string> = {}) => ({
  DATABASE_URL: db.url,
  ESPUTNIK_API_KEY: 'budget-test-key',
  ESPUTNIK_BASE_URL: r.url,
  SANDBOX_CONTROL: 'false',
  ...extra,
})
async function sentBy(relay: TestRelay) {
  const text = await (await fetch(`${relay.url}/metrics`)).text()
  return Number(/^esputnik_relay_events_sent_total (\d+)/m.exec(text)?.[1] ?? NaN)
}

/** A relay node in a process of its own (the source run by tsx), so it can be killed with SIGKILL. */
async function startProcess(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/relay/main.ts'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'error', ...env },
    stdio: 'ignore',
  })
  cleanups.push(async () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'))
  const url = `http://127.0.0.1:${port}`
  await waitFor(async () => (await fetch(`${url}/healthz`)).ok, 'the relay process to answer', 20_000)
  return { url, child }
}

describe('the budgets of relay nodes that share a PostgreSQL database', () => {
  it('are the account’s: two nodes together never pass a cap in any sliding second, and the smallest setting of the two is the cap', async () => {
    const db = await database()
    await seed(db.url, 240, 30)
    const up = await receiver()
    const lines: string[] = []
    const logStream = { write: (line: string) => lines.push(line) }
    // A short lease keeps each claim small (what a node sends in half a lease), so both nodes have work.
    const subscribeRate = { UPSTREAM_SUBSCRIBE_RATE_PER_SEC: '10', CLAIM_LEASE_MS: '4000', UPSTREAM_TIMEOUT_MS: '1000' }
    const a = await start({ env: nodeEnv(db, up, { UPSTREAM_RATE_PER_SEC: '40', ...subscribeRate }), config: { autoStart: false } })
    const b = await start({
      env: nodeEnv(db, up, { UPSTREAM_RATE_PER_SEC: '80', LOG_LEVEL: 'info', ...subscribeRate }),
      config: { autoStart: false },
      deps: { logStream },
    })
    // One node first, with the whole budget; the second joins while work is waiting.
    a.app.relay.forwarder.start()
    await waitFor(() => delivered(up, PATH_GENERATE_EVENT).length >= 20, 'the first node to send')
    b.app.relay.forwarder.start()
    await waitFor(() => delivered(up, PATH_GENERATE_EVENT).length == 240 && delivered(up, PATH_SUBSCRIBE_CONTACT).length == 30, 'the whole backlog', 30_000)

    expect(busiestWindow(up.times(PATH_GENERATE_EVENT)).max).toBeLessThanOrEqual(40)
    expect(busiestWindow(up.times(PATH_SUBSCRIBE_CONTACT)).max).toBeLessThanOrEqual(10)
    expect(new Set(searchesOf(up)).size).toBe(240)
    expect(searchesOf(up)).toHaveLength(240)
    const [byA, byB] = [await sentBy(a), await sentBy(b)]
    expect(byA + byB).toBe(240)
    expect(byB).toBeGreaterThan(0)
    const said = lines.map((l) => (JSON.parse(l) as { msg: string }).msg)
    expect(said).toContain("events: 40 calls/s for the account, shared by 2 relay nodes on this database (the smallest UPSTREAM_RATE_PER_SEC of the nodes running; this node's is 80)")
  })

  it('lose nothing when the node holding part of the budget and its claimed work is killed: the other finishes every event within a lease, under the cap', async () => {
    const db = await database()
    await seed(db.url, 300)
    const up = await receiver()
    const env = nodeEnv(db, up, { UPSTREAM_RATE_PER_SEC: '50', CLAIM_LEASE_MS: '3000', UPSTREAM_TIMEOUT_MS: '1000' })
    const victim = await startProcess(env)
    await waitFor(() => delivered(up, PATH_GENERATE_EVENT).length >= 30, 'the first node to send', 15_000)
    const survivor = await start({ env, config: { autoStart: false } })
    survivor.app.relay.forwarder.start()
    const pid = victim.child.pid!
    // Kill it while it holds slots of the budget and claimed jobs.
    await waitFor(async () => {
      const [row] = await queryDatabase<{ slots: number; jobs: number }>(
        db.url,
        `SELECT (SELECT count(*)::int FROM budget_slots WHERE node LIKE $1 AND lease_until > 0) AS slots,
                (SELECT count(*)::int FROM jobs WHERE state = 'queued' AND lease_until > $2) AS jobs`,
        [`%-${pid}-%`, Date.now()],
      )
      return row!.slots > 0 && row!.jobs > 0 && (await sentBy(survivor)) > 0
    }, 'the first node to hold slots and jobs while the second sends', 15_000)
    victim.child.kill('SIGKILL')
    const killedAt = Date.now()

    await waitFor(() => new Set(searchesOf(up)).size == 300, 'every event delivered', 30_000)
    const doneAt = Math.max(...delivered(up, PATH_GENERATE_EVENT).map((c) => c.at))
    // Within a lease (3 s) of the kill its jobs are claimable again; the rest is the backlog at the cap.
    const left = 300 - delivered(up, PATH_GENERATE_EVENT).filter((c) => c.at <= killedAt).length
    expect(doneAt - killedAt).toBeLessThan(3000 + 1500 + (left / 50) * 2000)
    expect(busiestWindow(up.times(PATH_GENERATE_EVENT)).max).toBeLessThanOrEqual(50)
    // The killed node's slots came back: the survivor holds the whole budget.
    await waitFor(async () => {
      const [row] = await queryDatabase<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM budget_slots WHERE budget = 'events' AND slot < 50 AND node NOT LIKE $1`, [`%-${pid}-%`])
      return row!.n == 50
    }, 'the survivor to hold every events slot', 10_000)
  })

  it('keep events flowing on both nodes when Subscribe contact is refused with 403', async () => {
    const db = await database()
    await seed(db.url, 60, 2)
    const up = await receiver((path) => (path == PATH_SUBSCRIBE_CONTACT ? 403 : 200))
    const env = nodeEnv(db, up, { UPSTREAM_RATE_PER_SEC: '30' })
    const nodes = [await start({ env, config: { autoStart: false, authPauseMs: 60_000 } }), await start({ env, config: { autoStart: false, authPauseMs: 60_000 } })]
    for (const node of nodes) node.app.relay.forwarder.start()
    await waitFor(() => new Set(searchesOf(up)).size == 60, 'every event delivered', 15_000)
    const sentIn = async () => (await queryDatabase<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM jobs WHERE state = 'sent'`))[0]!.n
    await waitFor(async () => (await sentIn()) == 60, 'every send recorded')
    const refused = up.calls.filter((c) => c.path == PATH_SUBSCRIBE_CONTACT)
    expect(refused.length).toBeGreaterThanOrEqual(1)
    // One refusal pauses subscribe on the node that got it; each node tries at most once.
    expect(refused.length).toBeLessThanOrEqual(2)
    expect(refused.every((c) => c.status == 403)).toBe(true)
    const [counts] = await queryDatabase<{ queued: number; sent: number }>(
      db.url,
      `SELECT count(*) FILTER (WHERE state = 'queued')::int AS queued, count(*) FILTER (WHERE state = 'sent')::int AS sent FROM jobs`,
    )
    expect(counts).toEqual({ queued: 2, sent: 60 })
  })
})
