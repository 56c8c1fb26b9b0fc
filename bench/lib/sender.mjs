// A steady stream of batches to POST /v1/e, as SDKs would send them: a batch
// that gets no 202 (relay down, reset, 5xx) is sent again with the same ids
// until it does, so the relay's dedup is part of what is tested. Every id
// acknowledged with 202 is kept: those are the ones that must never be lost.
import { batchBody, wireEvent } from './ids.mjs'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

export function startSender({ url, ids, eventsPerSec = 200, maxBatch = 20, inFlight = 4, retryMs = 100 }) {
  const acked = new Set()
  const stats = { batches: 0, attempts: 0, failures: 0, resends: 0 }
  let stopped = false

  async function deliver(body) {
    for (let attempt = 0; !stopped; attempt++) {
      stats.attempts++
      if (attempt) stats.resends++
      try {
        const res = await fetch(`${url}/v1/e`, { method: 'POST', body, headers: { 'content-type': 'text/plain' }, signal: AbortSignal.timeout(5000) })
        await res.arrayBuffer()
        if (res.status == 202) return true
      } catch {}
      stats.failures++
      await sleep(retryMs)
    }
    return false
  }

  // Each lane sends its share of the rate: a batch of 1..maxBatch events, then
  // waits so that the lane's events per second stay on target.
  async function lane() {
    const perLane = eventsPerSec / inFlight
    while (!stopped) {
      const n = 1 + Math.floor(Math.random() * maxBatch)
      const events = Array.from({ length: n }, (_, i) => wireEvent(ids.next(), i))
      const t0 = performance.now()
      stats.batches++
      if (await deliver(batchBody(ids.visitor(), events))) for (const e of events) acked.add(e.id)
      const wait = (n / perLane) * 1000 - (performance.now() - t0)
      if (wait > 0) await sleep(wait)
    }
  }
  const lanes = Array.from({ length: inFlight }, lane)

  return {
    acked,
    stats,
    async stop() {
      stopped = true
      await Promise.all(lanes)
    },
  }
}
