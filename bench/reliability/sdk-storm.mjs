// SDK storm in Chromium: two tabs of one browser profile (one localStorage,
// one Web Lock) make helper calls while the network flips offline and online
// and the tabs reload. Every call's event must reach the relay exactly once
// (the relay dedups, so the raw repeats the SDK sent are counted too) and the
// upstream exactly once.
import { launch, pageHost, sitePage } from '../lib/browser.mjs'
import { idMaker } from '../lib/ids.mjs'
import { freePort, metrics, startRelayProcess, tempDir } from '../lib/relay.mjs'
import { fmt } from '../lib/report.mjs'
import { openStore } from '../lib/store.mjs'
import { collectUpstream, deliveries } from '../lib/upstream.mjs'

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
    // Anything still to come (a late resend) would show as a duplicate; give it the SDK's lease (5 s) to show.
    await sleep(short ? 2000 : 6000)
    const m = await metrics(relay.url)
    // Wait for the relay to forward it all (300/s), then read what reached the sandbox.
    for (let i = 0; i < 120 && (await metrics(relay.url))['esputnik_relay_jobs{state="queued"}'] > 0; i++) await sleep(250)
    await sleep(500)
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
    const ok = missing.length == 0 && extra.length == 0 && distinctMade == made.length && upLost == 0 && upTwice == 0 && pageErrors.length == 0
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
