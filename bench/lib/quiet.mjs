// "Nothing more happens" is shown by watching a record until it stops
// changing for a stated quiet period, one longer than the delay of the
// mechanism that could still add to it (a lease, a retry backoff, an idle
// poll), never by a fixed sleep that might end just before a late resend.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * Polls `read()` (sync or async; its value is compared as JSON, e.g. a
 * count) every `everyMs` until the value has stayed the same for `quietMs`,
 * or until `timeoutMs` has passed since the call.
 *
 * @param {() => unknown} read what to watch, e.g. `() => calls.length`
 * @param {{ quietMs: number, timeoutMs: number, everyMs?: number }} options
 *   `everyMs` defaults to 100 ms (or a tenth of `quietMs` if that is less).
 * @returns {Promise<{ quiet: boolean, value: unknown, quietMs: number, waitedMs: number, changes: number }>}
 *   `quiet` false when the bound ran out while the record was still changing;
 *   `changes` counts how often it changed during the wait.
 */
export async function waitUntilQuiet(read, { quietMs, timeoutMs, everyMs = Math.min(100, quietMs / 10) }) {
  if (!(quietMs > 0) || !(timeoutMs > quietMs)) throw new Error(`waitUntilQuiet: need 0 < quietMs < timeoutMs (got ${quietMs}, ${timeoutMs})`)
  const start = performance.now()
  let value = await read()
  let key = JSON.stringify(value)
  let since = start
  let changes = 0
  for (;;) {
    const now = performance.now()
    if (now - since >= quietMs) return { quiet: true, value, quietMs, waitedMs: now - start, changes }
    if (now - start >= timeoutMs) return { quiet: false, value, quietMs, waitedMs: now - start, changes }
    await sleep(everyMs)
    const next = await read()
    const nextKey = JSON.stringify(next)
    if (nextKey != key) {
      value = next
      key = nextKey
      since = performance.now()
      changes++
    }
  }
}

/** A report row: what was watched, the quiet period and why that long, how long it took. */
export function quietRow(what, result, why) {
  const s = (ms) => (ms / 1000).toFixed(1)
  return [
    `waited for ${what} to stop growing`,
    `${result.quiet ? 'quiet' : 'NOT quiet'} for ${s(result.quietMs)} s (${why}) after ${s(result.waitedMs)} s, ${result.changes} change${result.changes == 1 ? '' : 's'} meanwhile`,
  ]
}

/**
 * The relay's forwarder, finding nothing to claim, looks at the store again
 * after this long (`idlePollMs` in src/relay/ops/config.ts).
 */
export const RELAY_IDLE_POLL_MS = 1000
/**
 * The SDK: a request sent as a page left (a beacon whose answer nobody read)
 * stays leased this long before a page sends it again (`LEASE` in src/sdk/queue.ts).
 */
export const SDK_LEASE_MS = 5000
/** The SDK: while another tab or a lease holds a request, a tab looks again after `flushInterval` (default 1000 ms, src/sdk/options.ts). */
export const SDK_FLUSH_INTERVAL_MS = 1000
