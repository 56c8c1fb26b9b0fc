import { describe, expect, it } from 'vitest'
import { buildApp } from '../../../src/relay/app.js'
import { loadConfig } from '../../../src/relay/ops/config.js'
import type { Store } from '../../../src/relay/store/types.js'
import { startTestRelay } from '../helpers.js'

describe('health endpoints', () => {
  it('answers /healthz and /readyz 200 when the store is writable and forwarding runs', async () => {
    const relay = await startTestRelay()
    expect(await (await fetch(`${relay.url}/healthz`)).json()).toEqual({ status: 'ok' })
    const ready = await fetch(`${relay.url}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ ready: true, problems: [] })
    await relay.stop()
  })

  it('fails /readyz, but not /healthz, when the store cannot write', async () => {
    const broken = {
      checkWritable: () => Promise.reject(new Error('SQLITE_READONLY')),
      counts: () => Promise.reject(new Error('SQLITE_READONLY')),
    } as unknown as Store
    const app = await buildApp({ ...loadConfig({ LOG_LEVEL: 'silent' }), autoStart: false }, { store: broken })
    expect((await app.inject('/healthz')).statusCode).toBe(200)
    const ready = await app.inject('/readyz')
    expect(ready.statusCode).toBe(503)
    expect(ready.json()).toEqual({ ready: false, problems: ['store is not writable'] })
    await app.close()
  })

  it('serves Prometheus metrics with the relay’s counters', async () => {
    const relay = await startTestRelay({ config: { autoStart: false } })
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
    ]) {
      expect(text).toContain(`# TYPE esputnik_relay_${name} `)
    }
    await relay.stop()
  })
})
