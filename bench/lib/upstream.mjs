// Collects every Generate event call a sandbox recorded. The sandbox keeps
// only its newest 2,000 requests, so this polls `GET /sandbox/requests?since=`
// often and keeps its own full list; a jump in seq means some were missed,
// and is counted rather than hidden.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** How often collectUpstream reads the sandbox: a call shows in `calls` at most this long after the sandbox recorded it. */
export const UPSTREAM_POLL_MS = 200

/** Keeps the calls to `paths` (default: Generate event only), each with its `path` and the sandbox's `reply` (a Past events call's results). */
export function collectUpstream(sandboxUrl, { everyMs = UPSTREAM_POLL_MS, paths = ['/api/v2/event'] } = {}) {
  const calls = []
  let last = 0
  let missed = 0
  let errors = 0
  let stopped = false

  async function pollOnce() {
    const res = await fetch(`${sandboxUrl}/sandbox/requests?since=${last}`, { signal: AbortSignal.timeout(5000) })
    const { requests } = await res.json()
    for (const r of requests) {
      // Seq counts every path; a gap is requests the ring dropped before we read them.
      if (r.seq > last + 1) missed += r.seq - last - 1
      last = r.seq
      if (paths.includes(r.path)) calls.push({ at: r.at, status: r.status, body: r.body, reply: r.reply, path: r.path })
    }
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        await pollOnce()
      } catch {
        errors++
      }
      await sleep(everyMs)
    }
  })()

  return {
    calls,
    get missed() {
      return missed
    },
    get errors() {
      return errors
    },
    /** One last read, then stop. */
    async stop() {
      stopped = true
      await loop
      await pollOnce().catch(() => errors++)
    },
    pollOnce,
  }
}

/** The most calls whose `at` fall in any window of `windowMs` (a sliding window over sorted times). */
export function maxInWindow(times, windowMs = 1000) {
  const t = [...times].sort((a, b) => a - b)
  let best = 0
  let bestAt = 0
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i] - t[j] >= windowMs) j++
    if (i - j + 1 > best) {
      best = i - j + 1
      bestAt = t[j]
    }
  }
  return { max: best, at: bestAt }
}

/** Delivered (2xx) calls per id, from the run's id pattern. */
export function deliveries(calls, ids) {
  return new Map([...deliveryTimes(calls, ids)].map(([id, at]) => [id, at.length]))
}

/** The sandbox receive times (`at`, ascending) of each id's delivered (2xx) calls. */
export function deliveryTimes(calls, ids) {
  const times = new Map()
  for (const c of calls) {
    if (c.status < 200 || c.status >= 300) continue
    for (const id of new Set(ids.find(c.body))) times.set(id, [...(times.get(id) ?? []), c.at])
  }
  for (const at of times.values()) at.sort((a, b) => a - b)
  return times
}

/** How many calls close a 1 s window (ending at them) that holds more than `cap` calls. */
export function overCap(times, cap, windowMs = 1000) {
  const t = [...times].sort((a, b) => a - b)
  let n = 0
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i] - t[j] >= windowMs) j++
    if (i - j + 1 > cap) n++
  }
  return n
}
