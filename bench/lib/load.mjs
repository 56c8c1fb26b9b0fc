// autocannon runs against POST /v1/e with a fresh body per request (unique
// event ids, or the relay's dedup would make the numbers meaningless), and
// keeps every id the relay acknowledged with 202, so the store can be
// checked for each of them afterwards.
import autocannon from 'autocannon'
import { batchBody, wireEvent } from './ids.mjs'

/**
 * One autocannon run. `events` per request; `rate` (req/s over all
 * connections) or unlimited; returns autocannon's result plus `acked` ids
 * and the count of 202 answers whose body did not accept every event.
 */
export async function fire({ url, ids, events = 1, connections = 50, duration = 10, rate, collect = true, timeout = 10 }) {
  const acked = collect ? [] : null
  let partial = 0
  const result = await autocannon({
    url: `${url}/v1/e`,
    connections,
    duration,
    timeout,
    ...(rate ? { overallRate: rate } : {}),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        setupRequest(req, context) {
          const list = []
          for (let i = 0; i < events; i++) list.push(wireEvent(ids.next(), i))
          context.ids = list.map((e) => e.id)
          return { ...req, body: batchBody(ids.visitor(), list) }
        },
        onResponse(status, body, context) {
          if (status != 202) return
          if (!body.startsWith(`{"accepted":${events},"rejected":[]`)) partial++
          if (acked) for (const id of context.ids) acked.push(id)
        },
      },
    ],
  })
  return { result, acked, partial }
}

/** The figures the tables show, from an autocannon result. */
export function summary({ result, acked, partial }, events) {
  const l = result.latency
  const seconds = result.duration
  const ok = result['2xx']
  return {
    reqPerSec: ok / seconds,
    eventsPerSec: (ok * events) / seconds,
    p50: l.p50,
    p99: l.p99,
    p999: l.p99_9,
    max: l.max,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    partial,
    acked: acked?.length,
    seconds,
  }
}
