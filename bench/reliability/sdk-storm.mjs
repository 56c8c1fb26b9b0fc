// SDK storm in Chromium: two tabs of one browser profile (one localStorage,
// one Web Lock) make helper calls while the network flips offline and online
// and the tabs reload. Every call's event must reach the relay (the relay
// dedups, so the raw repeats the SDK sent are counted too) and the upstream
// exactly once: each call carries a tag of its own (lib/ids.mjs) as its
// category id, and the upstream bodies are counted by those tags.
import { launch, pageHost, sitePage } from '../lib/browser.mjs'
import { idMaker } from '../lib/ids.mjs'
import { freePort, metrics, startRelayProcess, tempDir } from '../lib/relay.mjs'
import { quietRow, RELAY_IDLE_POLL_MS, SDK_FLUSH_INTERVAL_MS, SDK_LEASE_MS, waitUntilQuiet } from '../lib/quiet.mjs'
import { fmt } from '../lib/report.mjs'
import { openStore } from '../lib/store.mjs'
import { collectUpstream, deliveries, UPSTREAM_POLL_MS } from '../lib/upstream.mjs'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const ready = (page) => page.waitForFunction(() => window.esputnik?.tracker, null, { timeout: 15_000 })

export async function sdkStorm({ short }) {
  const target = short ? 300 : 1000
  const dir = tempDir('sdk-storm')
  const tags = idMaker('s')
  // The page names the relay (data-endpoint) and the relay names the page's origin (CORS): the relay's port comes first.
  const port = await freePort()
  const site = await pageHost({ pages: { '/shop.html': sitePage({ endpoint: `http://127.0.0.1:${port}`, 'auto-page-views': 'false' }) }, isolate: false })
  const relay = await startRelayProcess({
    dir,
    port,
    env: { ANONYMOUS_EVENTS: 'forward', ALLOWED_ORIGINS: site.url, INGEST_RATE_PER_MINUTE: '1000000', LOG_LEVEL: 'error' },
  })
  const upstream = collectUpstream(relay.url)
  const browser = await launch()
  const made = [] // {id, tag}: the id the helper returned, the tag it carries upstream
  const counts = { flips: 0, reloads: 0, calls: 0, offlineCalls: 0, errors: 0 }
  let lastCall = 0
  try {
    const context = await browser.newContext()
    const tabs = [await context.newPage(), await context.newPage()]
    const pageErrors = []
    for (const tab of tabs) tab.on('pageerror', (e) => pageErrors.push(e.message))
    await Promise.all(tabs.map((t) => t.goto(`${site.url}/shop.html`).then(() => ready(t))))
    let offline = false
    const deadline = Date.now() + (short ? 40_000 : 120_000)
    while (made.length < target && Date.now() < deadline) {
      const r = Math.random()
      const tab = tabs[Math.random() < 0.5 ? 0 : 1]
      // Offline stretches stay short (flip back at 25 % a step), reloads come at 10 % of the online steps.
      if ((!offline && r < 0.06) || (offline && r < 0.25)) {
        offline = !offline
        counts.flips++
        await context.setOffline(offline)
      } else if (!offline && r < 0.16) {
        // A reload stores the buffer on pagehide and sends it with keepalive; the next load sends what is left.
        counts.reloads++
        await tab.reload()
        await ready(tab)
      } else {
        const n = Math.min(target - made.length, 1 + Math.floor(Math.random() * 15))
        const list = Array.from({ length: n }, () => tags.next())
        try {
          const ids = await tab.evaluate((list) => list.map((tag) => window.esputnik.tracker.productCategoryViewed({ productCategoryId: tag })), list)
          ids.forEach((id, i) => made.push({ id, tag: list[i] }))
          counts.calls += n
          if (offline) counts.offlineCalls += n
          lastCall = Date.now()
        } catch {
          counts.errors++
        }
      }
      await sleep(Math.random() * 150)
    }
    await context.setOffline(false)

    // Wait until every id is at the relay, bounded.
    const want = new Set(made.map((m) => m.id))
    const until = Date.now() + (short ? 30_000 : 90_000)
    let stored = new Set()
    while (Date.now() < until) {
      const store = openStore(relay.dbPath)
      stored = store.ids()
      store.close()
      if ([...want].every((id) => stored.has(id))) break
      await sleep(250)
    }
    const settled = Date.now()
    // A late resend shows as one more raw event at the relay. What can still
    // send one: a request a reloading page sent as it left stays leased for
    // the SDK's lease, and a tab looks again every flush interval; a send
    // that failed while the network was up waits the SDK's backoff, 1–2 s
    // then 2–4 s (a failure while offline is retried at once on `online`).
    // So the relay's count of raw events must stay still for longer than
    // lease + flush interval + 1 s.
    const rawEvents = async () => {
      const m = await metrics(relay.url)
      return m.esputnik_relay_events_accepted_total + m.esputnik_relay_events_rejected_total
    }
    const sdkQuietMs = SDK_LEASE_MS + SDK_FLUSH_INTERVAL_MS + 1000
    const sdkQuiet = await waitUntilQuiet(rawEvents, { quietMs: sdkQuietMs, timeoutMs: sdkQuietMs + 30_000 })
    // Still stored in the profile (localStorage is shared by both tabs): a request that could be sent after this point.
    const leftInProfile = await tabs[0].evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('esputnik:q:')).length)
    const m = await metrics(relay.url)
    // The relay forwards it all (300/s): nothing queued in the file, then the
    // upstream record still for longer than the forwarder's idle poll plus two
    // polls of the collector (no upstream fails here, so no retry waits).
    for (let until = Date.now() + 30_000; Date.now() < until; await sleep(250)) {
      const store = openStore(relay.dbPath)
      const queued = store.counts().queued
      store.close()
      if (queued == 0) break
    }
    const upQuietMs = 2 * (RELAY_IDLE_POLL_MS + UPSTREAM_POLL_MS)
    const upQuiet = await waitUntilQuiet(() => upstream.calls.length, { quietMs: upQuietMs, timeoutMs: upQuietMs + 30_000 })
    await upstream.stop()
    await context.close()

    const store = openStore(relay.dbPath)
    stored = store.ids()
    store.close()
    const missing = made.filter((x) => !stored.has(x.id))
    const extra = [...stored].filter((id) => !want.has(id))
    const received = m.esputnik_relay_events_accepted_total
    const dupes = m.esputnik_relay_events_duplicate_total
    const perTag = deliveries(upstream.calls, tags)
    const upLost = made.filter((x) => !perTag.has(x.tag)).length
    const upTwice = [...perTag.values()].filter((n) => n > 1).length
    const distinctMade = new Set(made.map((x) => x.id)).size
    const ok =
      missing.length == 0 && extra.length == 0 && distinctMade == made.length && upLost == 0 && upTwice == 0 && pageErrors.length == 0 &&
      sdkQuiet.quiet && leftInProfile == 0 && upQuiet.quiet
    return {
      name: 'SDK storm',
      ok,
      settings: `Debian Chromium, one profile, two tabs of a page with the script-tag SDK (autoPageViews off); ${target} productCategoryViewed calls in bursts of 1–15, ` +
        `random offline/online flips (context.setOffline) and reloads (only while online), 0–150 ms apart; relay ANONYMOUS_EVENTS=forward, built-in sandbox`,
      rows: [
        ['helper calls made (ids returned, distinct)', `${fmt(made.length)} (${fmt(distinctMade)})`],
        ['of them while offline', fmt(counts.offlineCalls)],
        ['offline/online flips / reloads', `${counts.flips} / ${counts.reloads}`],
        ['distinct ids at the relay that were calls made', fmt(made.length - missing.length)],
        ['missing at the relay', fmt(missing.length)],
        ['ids at the relay that no call made', fmt(extra.length)],
        ['raw events the relay received / of which repeats (dedup absorbed)', `${fmt(received)} / ${fmt(dupes)}`],
        ['last call → all at the relay', `${fmt((settled - lastCall) / 1000, 1)} s`],
        quietRow('the relay\'s raw event count', sdkQuiet, `> SDK lease ${SDK_LEASE_MS / 1000} s + flush interval ${SDK_FLUSH_INTERVAL_MS / 1000} s + 1 s`),
        ['requests still stored in the profile after that', fmt(leftInProfile)],
        quietRow('the upstream record', upQuiet, `> 2 × (idle poll ${RELAY_IDLE_POLL_MS / 1000} s + ${UPSTREAM_POLL_MS} ms collector poll)`),
        ['upstream: never delivered / delivered twice', `${upLost} / ${upTwice}`],
        ['page errors / failed evaluate calls', `${pageErrors.length} / ${counts.errors}`],
      ],
      notes: missing.length ? `missing, e.g. ${missing.slice(0, 3).map((x) => x.id).join(', ')}` : '',
    }
  } finally {
    await browser.close()
    await relay.stop()
    await site.close()
  }
}
