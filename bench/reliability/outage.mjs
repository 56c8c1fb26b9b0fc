// Upstream outage: the sandbox answers 500 and resets connections for a long
// stretch (minutes in the full run, seconds in the short one) while events
// keep coming, then recovers. 0 lost, 0 calls over the cap during or after,
// and the time to drain the backlog once eSputnik is back.
//
// The sandbox's fault plan counts calls, not time, so every 500 ms this
// posts a fresh plan (a few resets, then 500s) until the outage ends.
import { idMaker } from '../lib/ids.mjs'
import { startNodes } from '../lib/nodes.mjs'
import { metrics, startUpstream, tempDir } from '../lib/relay.mjs'
import { quietRow, RELAY_IDLE_POLL_MS, waitUntilQuiet } from '../lib/quiet.mjs'
import { fmt } from '../lib/report.mjs'
import { startSender } from '../lib/sender.mjs'
import { collectUpstream, deliveries, maxInWindow, overCap, UPSTREAM_POLL_MS } from '../lib/upstream.mjs'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** `store` 'postgres': two nodes on one database, the load split between them, both forwarding to the failing sandbox. */
export async function outage({ short, store = 'sqlite' }) {
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
  const set = await startNodes({
    store,
    dir,
    env: { ...upstream.forwardEnv, ANONYMOUS_EVENTS: 'forward', INGEST_RATE_PER_MINUTE: '1000000', UPSTREAM_RATE_PER_SEC: String(rate), LOG_LEVEL: 'error', ...retry },
  })
  const n = set.nodes.length
  const calls = collectUpstream(upstream.url)
  const faults = upstream.faults
  const senders = set.urls().map((url) => startSender({ url, ids, eventsPerSec: 100 / n }))
  const sender = {
    acked: new Set(),
    async stop() {
      await Promise.all(senders.map((s) => s.stop()))
      for (const s of senders) for (const id of s.acked) this.acked.add(id)
    },
  }
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
  const perNode = await Promise.all(set.urls().map(metrics))
  const atRecovery = {
    esputnik_relay_events_retried_total: perNode.reduce((a, m) => a + m.esputnik_relay_events_retried_total, 0),
    // The same shared table seen from each node: one reading.
    'esputnik_relay_jobs{state="queued"}': perNode[0]['esputnik_relay_jobs{state="queued"}'],
  }

  // Drain: nothing queued in the file (read directly: the metric is cached
  // for 500 ms), bounded by the longest retry delay plus the backlog at the cap.
  const limit = retryMaxMs + 60_000 + (sender.acked.size / rate) * 1000
  let queued = -1
  for (;;) {
    queued = await set.queued()
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
  await set.stop()
  await upstream.stop()

  const reader = await set.readStore()
  const counts = await reader.counts()
  await reader.close()
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
    name: `upstream outage${n > 1 ? `, ${n} nodes on PostgreSQL` : ''}`,
    ok,
    settings: `${set.describe()}; ${outageMs / 1000} s of 500s and connection resets (10 resets then 500s, renewed every 0.5 s), ${latencyMs} ms latency, the sandbox in a second relay process; sender${n > 1 ? 's' : ''} 100 events/s${n > 1 ? ' in all' : ''} from 2 s before to 2 s after; ` +
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
      ['most upstream calls in any 1 s window (all calls, failed ones too; all nodes together)', `${window.max} (cap ${rate}); windows over: ${overCap(times, rate)}`],
      ['recorded calls the poller missed', String(calls.missed)],
      quietRow('the upstream record', quiet, `> RETRY_MAX_MS ${retryMaxMs / 1000} s + idle poll ${RELAY_IDLE_POLL_MS / 1000} s + ${latencyMs} ms latency + 2 × ${UPSTREAM_POLL_MS} ms collector poll`),
    ],
    notes: '',
  }
}
