import { join } from 'node:path'
import { rmSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { buildApp } from '../../../src/relay/app.js'
import { loadConfig } from '../../../src/relay/ops/config.js'
import type { Readiness } from '../../../src/relay/ops/health.js'
import { createPostgresStore } from '../../../src/relay/store/postgres.js'
import { createSqliteStore } from '../../../src/relay/store/sqlite.js'
import type { Store } from '../../../src/relay/store/types.js'
import { batchOf, startTestRelay, stoppedAfterEach, tempDir, waitFor, wireEvent } from '../helpers.js'
import { createTestDatabase } from '../postgres.js'

const start = stoppedAfterEach(startTestRelay)
const readiness = async (url: string) => {
  const res = await fetch(`${url}/readyz`)
  return { status: res.status, body: (await res.json()) as Readiness }
}
/** One sample of a metric in the Prometheus text, e.g. `esputnik_relay_store_up`; undefined when absent. */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

/** An app over a store the test closes or breaks itself, on a clock the test moves. */
let clock = Date.now()
async function appOver(store: Store): Promise<FastifyInstance> {
  return buildApp({ ...loadConfig({ LOG_LEVEL: 'silent' }), autoStart: false }, { store, now: () => clock })
}
/** Past the 500 ms for which a scrape reuses the last counts. */
const later = () => (clock += 1000)

describe('health endpoints', () => {
  it('answers /healthz and /readyz 200 when the store is writable and forwarding runs', async () => {
    const relay = await start()
    expect(await (await fetch(`${relay.url}/healthz`)).json()).toEqual({ status: 'ok' })
    expect(await readiness(relay.url)).toEqual({ status: 200, body: { ready: true, problems: [], warnings: [], paused: [], breakerOpen: false } })
  })

  it('fails /readyz, but not /healthz, when the store cannot write', async () => {
    const broken = {
      checkWritable: () => Promise.reject(new Error('SQLITE_READONLY')),
      counts: () => Promise.reject(new Error('SQLITE_READONLY')),
    } as unknown as Store
    const app = await appOver(broken)
    expect((await app.inject('/healthz')).statusCode).toBe(200)
    const ready = await app.inject('/readyz')
    expect(ready.statusCode).toBe(503)
    expect(ready.json()).toMatchObject({ ready: false, problems: ['store is not writable'] })
    await app.close()
  })

  it('keeps /readyz 200 while an operation is paused after a 401, and names the operation in its body and in metrics', async () => {
    const relay = await start({ env: { SANDBOX_FAIL_STATUS: '401', SANDBOX_FAIL_COUNT: '1' }, config: { authPauseMs: 60_000 } })
    expect((await relay.send(batchOf('visitor-health-1', [wireEvent('pageViewed', {})]))).status).toBe(202)
    const { status, body } = await waitFor(async () => {
      const r = await readiness(relay.url)
      return r.body.paused.length > 0 && r
    }, 'a paused operation in /readyz')
    expect(status).toBe(200)
    expect(body).toMatchObject({ ready: true, problems: [], paused: [{ operation: 'event-v2', status: 401 }], breakerOpen: false })
    expect(body.warnings).toEqual([expect.stringMatching(/^event-v2 paused until \S+: eSputnik refused the API key \(401\); .* Check ESPUTNIK_API_KEY/)])
    const metrics = await (await fetch(`${relay.url}/metrics`)).text()
    expect(sample(metrics, 'esputnik_relay_upstream_paused{operation="event-v2"}')).toBe(1)
    expect(sample(metrics, 'esputnik_relay_upstream_paused{operation="subscribe"}')).toBe(0)
  })

  it('keeps /readyz 200 while the breaker is open after eSputnik keeps failing, and says so in its body and in metrics', async () => {
    const relay = await start({ env: { SANDBOX_FAIL_STATUS: '503', SANDBOX_FAIL_COUNT: '100000' } })
    await relay.send(batchOf('visitor-health-2', [wireEvent('pageViewed', {})]))
    const { status, body } = await waitFor(async () => {
      const r = await readiness(relay.url)
      return r.body.breakerOpen && r
    }, 'the open breaker in /readyz')
    expect(status).toBe(200)
    expect(body.ready).toBe(true)
    expect(body.warnings).toContainEqual(expect.stringMatching(/^eSputnik keeps failing: the breaker holds calls back/))
    expect(sample(await (await fetch(`${relay.url}/metrics`)).text(), 'esputnik_relay_upstream_breaker_open')).toBe(1)
  })

  it('serves Prometheus metrics with the relay’s counters', async () => {
    const relay = await start({ config: { autoStart: false } })
    const res = await fetch(`${relay.url}/metrics`)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
    const text = await res.text()
    for (const name of [
      'events_accepted_total',
      'events_rejected_total',
      'events_held_total',
      'events_queued_total',
      'events_sent_total',
      'events_retried_total',
      'events_dead_total',
      'upstream_request_duration_seconds',
      'queue_age_seconds',
      'jobs',
      'upstream_paused',
      'upstream_breaker_open',
      'store_up',
    ]) {
      expect(text).toContain(`# TYPE esputnik_relay_${name} `)
    }
    expect(sample(text, 'esputnik_relay_store_up')).toBe(1)
    expect(sample(text, 'esputnik_relay_upstream_breaker_open')).toBe(0)
  })
})

describe('/metrics while the database is down', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    dir = undefined
  })

  it('answers with store_up 0 when the SQLite store is closed, and /readyz says the store cannot write', async () => {
    dir = tempDir()
    const store = createSqliteStore({ path: join(dir, 'relay.db') })
    const app = await appOver(store)
    expect(sample((await app.inject('/metrics')).body, 'esputnik_relay_store_up')).toBe(1)
    await store.close()
    later()
    const res = await app.inject('/metrics')
    expect(res.statusCode).toBe(200)
    expect(sample(res.body, 'esputnik_relay_store_up')).toBe(0)
    expect(res.body).toContain('# TYPE esputnik_relay_events_accepted_total counter')
    expect((await app.inject('/readyz')).statusCode).toBe(503)
    await app.close()
  })

  it('answers with store_up 0 when the PostgreSQL database is gone and its connections terminated', async () => {
    const db = await createTestDatabase()
    const store = await createPostgresStore({ connectionString: db.url, poolSize: 2, connectTimeoutMs: 1000 })
    const app = await appOver(store)
    try {
      const before = (await app.inject('/metrics')).body
      expect(sample(before, 'esputnik_relay_store_up')).toBe(1)
      expect(sample(before, 'esputnik_relay_jobs{state="queued"}')).toBe(0)
      // DROP … WITH (FORCE) ends the pool's connections; every new one is refused.
      await db.drop()
      later()
      const res = await app.inject('/metrics')
      expect(res.statusCode).toBe(200)
      expect(sample(res.body, 'esputnik_relay_store_up')).toBe(0)
      expect((await app.inject('/readyz')).statusCode).toBe(503)
    } finally {
      await app.close()
      await store.close().catch(() => {})
    }
  })
})
