// Upstream outage: the sandbox answers 500 and resets connections for a long
// stretch (minutes in the full run, seconds in the short one) while events
// keep coming, then recovers. 0 lost, 0 calls over the cap during or after,
// and the time to drain the backlog once eSputnik is back.
//
// The sandbox's fault plan counts calls, not time, so every 500 ms this
// posts a fresh plan (a few resets, then 500s) until the outage ends.
import { idMaker } from '../lib/ids.mjs'
import { metrics, startRelayProcess, startUpstream, tempDir } from '../lib/relay.mjs'
import { quietRow, RELAY_IDLE_POLL_MS, waitUntilQuiet } from '../lib/quiet.mjs'
import { fmt } from '../lib/report.mjs'
import { startSender } from '../lib/sender.mjs'
import { openStore } from '../lib/store.mjs'
import { collectUpstream, deliveries, maxInWindow, overCap, UPSTREAM_POLL_MS } from '../lib/upstream.mjs'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

export async function outage({ short }) {
  const outageMs = short ? 8_000 : 180_000
  const rate = 300
  const dir = tempDir('outage')
  const ids = idMaker('o')
  // Short: retries every 0.1–2 s so the run fits; full: the relay's defaults (1 s doubling to 5 min).
  const retryMaxMs = short ? 2000 : 300_000
  const retry = short ? { RETRY_BASE_MS: '100', RETRY_MAX_MS: String(retryMaxMs) } : {}
  const latencyMs = 20
  // The sandbox is a second process (lib/relay.mjs startUpstream says why).
  const upstream = await startUpstream({ dir, latencyMs })
  const relay = await startRelayProcess({
    dir,
    env: { ...upstream.forwardEnv, ANONYMOUS_EVENTS: 'forward', INGEST_RATE_PER_MINUTE: '1000000', UPSTREAM_RATE_PER_SEC: String(rate), LOG_LEVEL: 'error', ...retry },
  })
  const calls = collectUpstream(upstream.url)
  const faults = upstream.faults
  const sender = startSender({ url: relay.url, ids, eventsPerSec: 100 })
  await sleep(2000) // normal traffic first
  const outageStart = Date.now()
  while (Date.now() - outageStart < outageMs) {
    await faults({ status: 500, count: 1_000_000, resets: 10, latencyMs })
    await sleep(500)
  }
  await faults({ latencyMs })
  const recovered = Date.now()
  await sleep(2000) // traffic goes on after recovery
  await sender.stop()
  const atRecovery = await metrics(relay.url)

  // Drain: nothing queued in the file (read directly: the metric is cached
  // for 500 ms), bounded by the longest retry delay plus the backlog at the cap.
  const limit = retryMaxMs + 60_000 + (sender.acked.size / rate) * 1000
  let queued = -1
  for (;;) {
    const store = openStore(relay.dbPath)
    queued = store.counts().queued
    store.close()
    if (queued == 0 || Date.now() - recovered > limit) break
    await sleep(250)
  }
  const drainSeconds = (Date.now() - recovered) / 1000
  // Then the upstream record must stop growing for longer than the longest
  // gap this relay leaves between two calls of one job (a retry delay, at
  // most RETRY_MAX_MS, then the idle poll that finds it due), plus the
  // sandbox's latency and two polls of the collector that reads the record.
  const quietMs = retryMaxMs + RELAY_IDLE_POLL_MS + latencyMs + 2 * UPSTREAM_POLL_MS
  const quiet = await waitUntilQuiet(() => calls.calls.length, { quietMs, timeoutMs: quietMs + 60_000 })
  await calls.stop()
  await relay.stop()
  await upstream.stop()

  const store = openStore(relay.dbPath)
  const counts = store.counts()
  store.close()
  const acked = [...sender.acked]
  const perId = deliveries(calls.calls, ids)
  const lost = acked.filter((id) => !perId.has(id))
  // No process dies here: an id delivered twice is a relay that sent a call eSputnik had already answered with 2xx.
  const repeats = [...perId.values()].filter((n) => n > 1).length
  const times = calls.calls.map((c) => c.at)
  const during = calls.calls.filter((c) => c.at >= outageStart && c.at < recovered)
  const failed = during.filter((c) => c.status == 500 || c.status == 0).length
  const window = maxInWindow(times)
  const ok = lost.length == 0 && repeats == 0 && queued == 0 && counts.dead == 0 && window.max <= rate && calls.missed == 0 && quiet.quiet
  return {
    name: 'upstream outage',
    ok,
    settings: `${outageMs / 1000} s of 500s and connection resets (10 resets then 500s, renewed every 0.5 s), ${latencyMs} ms latency, the sandbox in a second relay process; sender 100 events/s from 2 s before to 2 s after; ` +
      (short ? 'RETRY_BASE_MS=100, RETRY_MAX_MS=2000' : 'retry defaults (RETRY_BASE_MS=1000, RETRY_MAX_MS=300000)'),
    rows: [
      ['event ids acknowledged with 202', fmt(acked.length)],
      ['upstream calls during the outage (failed: 500 or reset)', `${fmt(during.length)} (${fmt(failed)})`],
      ['retries scheduled (metric, at recovery)', fmt(atRecovery.esputnik_relay_events_retried_total)],
      ['queued at recovery', fmt(atRecovery['esputnik_relay_jobs{state="queued"}'])],
      ['drain: recovery → queue empty', `${fmt(drainSeconds, 1)} s${queued ? ` (NOT drained: ${queued} queued)` : ''}`],
      ['lost (acknowledged, never delivered)', fmt(lost.length)],
      ['delivered more than once', fmt(repeats)],
      ['dead letters', fmt(counts.dead)],
      ['most upstream calls in any 1 s window (all calls, failed ones too)', `${window.max} (cap ${rate}); windows over: ${overCap(times, rate)}`],
      ['recorded calls the poller missed', String(calls.missed)],
      quietRow('the upstream record', quiet, `> RETRY_MAX_MS ${retryMaxMs / 1000} s + idle poll ${RELAY_IDLE_POLL_MS / 1000} s + ${latencyMs} ms latency + 2 × ${UPSTREAM_POLL_MS} ms collector poll`),
    ],
    notes: '',
  }
}
