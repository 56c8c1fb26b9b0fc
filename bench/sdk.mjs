#!/usr/bin/env node
// npm run bench:sdk — what the SDK costs a page, in Debian's Chromium:
// time to first beacon after load, main-thread time per helper call (median
// of 10,000 calls per helper), and long tasks during load, a steady stream of
// calls, and a page that opens with a full queue.
//
// The page host (lib/browser.mjs) is also the endpoint, answering 202 like
// the relay, on loopback and same-origin, so the network adds next to
// nothing; pages are cross-origin isolated, for 5 µs timer steps.
//
//   --loads N        page loads for the first-beacon timing (default 20)
//   --calls N        calls per helper (default 10000)
//   --throttle LIST  CPU slow-down factors (default 1,4: a desktop, a mid phone)
import { parseArgs } from 'node:util'
import { launch, pageHost, sitePage } from './lib/browser.mjs'
import { commandLine, fmt, header, percentile, progress, table } from './lib/report.mjs'

const { values: args } = parseArgs({
  options: { loads: { type: 'string', default: '20' }, calls: { type: 'string', default: '10000' }, throttle: { type: 'string', default: '1,4' } },
})
const CALLS = Number(args.calls)
const GOAL_MS = 0.05

// Registered before the SDK loads, so every long task of the page is seen.
const OBSERVE = `<script>window.__long=[];new PerformanceObserver(l=>{for(const e of l.getEntries())__long.push({start:e.startTime,duration:e.duration})}).observe({type:'longtask',buffered:true})</script>`

let answerStatus = 202
let beacons = 0
const seenIds = new Set()
let repeats = 0
const host = await pageHost({
  pages: {
    '/page.html': sitePage({ endpoint: '/' }, OBSERVE),
    '/quiet.html': sitePage({ endpoint: '/', 'auto-page-views': 'false' }, OBSERVE),
    // The same page without the SDK's tag: what the page and the harness cost by themselves.
    '/blank.html': `<!doctype html><html><head><meta charset="utf-8"><title>bench</title>${OBSERVE}</head><body></body></html>`,
  },
  onPost(path, body) {
    beacons++
    if (answerStatus != 202) return [answerStatus, '{"error":"bench"}']
    let n = 0
    try {
      const events = JSON.parse(body).events ?? []
      n = events.length
      for (const e of events) seenIds.has(e.id) ? repeats++ : seenIds.add(e.id)
    } catch {}
    return [202, JSON.stringify({ accepted: n, rejected: [] })]
  },
})
// endpoint '/' means this page's origin (README), so beacons go to the host itself.
const browser = await launch()
const ready = (page) => page.waitForFunction(() => window.esputnik?.tracker, null, { timeout: 15_000 })
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

async function fresh(throttle = 1) {
  const context = await browser.newContext()
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')
  if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle })
  const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name == 'TaskDuration').value
  return { context, page, cdp, taskSeconds }
}

/**
 * 1. First beacon: resource timing of /sdk.js and of the first POST /v1/e,
 * against navigation timing. Nothing polls inside the page (Playwright's
 * waitForFunction would add main-thread work of its own): Node waits for the
 * beacon at the host, and the page without the SDK gets the same waits.
 */
async function firstBeacon(throttle) {
  const rows = []
  const blank = []
  for (let i = 0; i < Number(args.loads); i++) {
    const { context, page, taskSeconds } = await fresh(throttle)
    const seen = beacons
    const t0 = Date.now()
    await page.goto(`${host.url}/page.html`)
    while (beacons == seen && Date.now() - t0 < 10_000) await sleep(5)
    await sleep(300)
    const task = await taskSeconds()
    rows.push({
      ...(await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0]
        const res = performance.getEntriesByType('resource')
        const sdk = res.find((e) => e.name.endsWith('/sdk.js'))
        const beacon = res.find((e) => e.name.endsWith('/v1/e'))
        return { load: nav.loadEventEnd, sdk: sdk?.responseEnd, start: beacon?.startTime, end: beacon?.responseEnd, long: window.__long.length }
      })),
      task,
      wait: Date.now() - t0,
    })
    await context.close()
  }
  const med = (list, k) => percentile(list.map((r) => r[k]), 50)
  // The same page without the SDK, held open as long as the median page above.
  for (let i = 0; i < Number(args.loads); i++) {
    const { context, page, taskSeconds } = await fresh(throttle)
    const t0 = Date.now()
    await page.goto(`${host.url}/blank.html`)
    await sleep(Math.max(0, med(rows, 'wait') - (Date.now() - t0)))
    const task = await taskSeconds()
    blank.push({ task, long: await page.evaluate(() => window.__long.length) })
    await context.close()
  }
  return {
    throttle,
    loads: rows.length,
    sdk: med(rows, 'sdk'),
    start: med(rows, 'start'),
    end: med(rows, 'end'),
    load: med(rows, 'load'),
    afterLoad: percentile(rows.map((r) => r.start - r.load), 50),
    afterSdk: percentile(rows.map((r) => r.start - r.sdk), 50),
    task: med(rows, 'task') * 1000,
    long: rows.reduce((a, r) => a + r.long, 0),
    blankTask: med(blank, 'task') * 1000,
    blankLong: blank.reduce((a, r) => a + r.long, 0),
  }
}

const HELPERS = {
  pageViewed: '{}',
  productViewed: `{ productId: 'WS01-L-Green', price: 45.5, isInStock: true, properties: { color: ['green'] } }`,
  productCategoryViewed: `{ productCategoryId: 'mugs' }`,
  cartUpdated: `{ products: [{ productId: 'WS01', quantity: 2, price: 45.5, name: 'Mug', category: 'mugs' }, { productId: 'WS02', quantity: 1, price: 12 }] }`,
  productAddedToWishlist: `{ productId: 'WS01', price: 45.5 }`,
  productImpressions: `{ recomVariantId: 'r12v3', products: [{ productId: 'WS01' }, { productId: 'WS02' }, { productId: 'WS03' }] }`,
  searchRequest: `{ search: 'green mug', isFound: true }`,
}

/** 2. Per call: each of CALLS calls timed on its own, in one loop; and all main-thread time (sends too) per call. */
async function perCall(throttle) {
  const rows = []
  for (const [name, input] of Object.entries(HELPERS)) {
    const { context, page, taskSeconds } = await fresh(throttle)
    await page.goto(`${host.url}/quiet.html`)
    await ready(page)
    const before = await taskSeconds()
    const r = await page.evaluate(
      ({ name, input, n }) => {
        const t = window.esputnik.tracker
        const call = new Function('t', `return t.${name}(${input})`) // the page's code, not the SDK's: CSP does not apply here
        for (let i = 0; i < 200; i++) call(t) // warm-up
        const times = new Float64Array(n)
        const t0 = performance.now()
        for (let i = 0; i < n; i++) {
          const a = performance.now()
          call(t)
          times[i] = performance.now() - a
        }
        const total = performance.now() - t0
        // The empty harness: the same loop around a no-op.
        const noop = () => ''
        const b0 = performance.now()
        for (let i = 0; i < n; i++) {
          const a = performance.now()
          noop()
          times[0] += 0 * (performance.now() - a)
        }
        const harness = performance.now() - b0
        const sorted = [...times].sort((x, y) => x - y)
        const q = (p) => sorted[Math.min(n - 1, Math.floor(p * n))]
        return { median: q(0.5), p95: q(0.95), p99: q(0.99), max: sorted[n - 1], mean: total / n, harness: harness / n }
      },
      { name, input, n: CALLS },
    )
    await sleep(3000) // the batches it queued are sent meanwhile
    const all = ((await taskSeconds()) - before) * 1000
    const long = await page.evaluate(() => window.__long.length)
    rows.push({ throttle, name, ...r, all: all / CALLS, long })
    await context.close()
  }
  return rows
}

/** 3. Long tasks: during load, a steady stream of calls, and a page that opens with 500 queued events. */
async function longTasks(throttle) {
  const out = []
  const summarize = async (label, page, extra = {}) => {
    const long = await page.evaluate(() => window.__long)
    out.push({ throttle, label, count: long.length, max: Math.max(0, ...long.map((l) => l.duration)), tbt: long.reduce((a, l) => a + l.duration - 50, 0), ...extra })
  }
  {
    const { context, page } = await fresh(throttle)
    await page.goto(`${host.url}/page.html`)
    await ready(page)
    await sleep(3000)
    await summarize('load + 3 s idle', page)
    await context.close()
  }
  {
    const { context, page } = await fresh(throttle)
    await page.goto(`${host.url}/quiet.html`)
    await ready(page)
    // 2,000 calls, one every 2 ms in their own tasks, as a busy page would make them.
    await page.evaluate(
      () =>
        new Promise((done) => {
          let i = 0
          const t = window.esputnik.tracker
          const tick = () => {
            t.productViewed({ productId: `p${i}`, price: 1 })
            if (++i < 2000) setTimeout(tick, 2)
            else done()
          }
          tick()
        }),
    )
    await sleep(3000)
    await summarize('2,000 calls, one per task', page)
    await context.close()
  }
  {
    const { context, page } = await fresh(throttle)
    await page.goto(`${host.url}/quiet.html`)
    await ready(page)
    // The relay fails while the page makes 500 calls: all stay queued (25 requests of 20 events).
    answerStatus = 503
    await page.evaluate(() => {
      for (let i = 0; i < 500; i++) window.esputnik.tracker.productViewed({ productId: `p${i}`, price: 1 })
    })
    await sleep(2500)
    const queued = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('esputnik:q:')).length)
    answerStatus = 202
    const sent0 = beacons
    const repeats0 = repeats
    const t0 = Date.now()
    await page.reload()
    await ready(page)
    // Until the queue is empty (bounded): requests sent during the unload stay leased for 5 s (LEASE in src/sdk/queue.ts).
    let left = queued
    while (left && Date.now() - t0 < 20_000) {
      await sleep(250)
      left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('esputnik:q:')).length)
    }
    const drain = (Date.now() - t0) / 1000
    await sleep(1000)
    await summarize('reload with a full queue', page, {
      note: `${queued} requests (500 events) stored while the endpoint failed; after the reload: empty after ${drain.toFixed(1)} s, ${beacons - sent0} POSTs, ${repeats - repeats0} events sent twice, ${left} requests left`,
    })
    await context.close()
  }
  return out
}

const throttles = args.throttle.split(',').map(Number)
const beaconRows = []
const callRows = []
const longRows = []
try {
  for (const t of throttles) {
    progress(`bench:sdk: CPU ×${t}: first beacon over ${args.loads} loads`)
    beaconRows.push(await firstBeacon(t))
    progress(`bench:sdk: CPU ×${t}: ${CALLS} calls per helper`)
    callRows.push(...(await perCall(t)))
    progress(`bench:sdk: CPU ×${t}: long tasks`)
    longRows.push(...(await longTasks(t)))
  }
} finally {
  await browser.close()
  await host.close()
}

const version = browser.version()
console.log(await header('SDK cost in the browser (bench:sdk)', commandLine('bench/sdk.mjs')))
console.log(
  `Debian Chromium ${version}, headless, flags in bench/lib/browser.mjs; dist/esputnik-tracker.min.js by script tag (async) after the one-line stub; ` +
    `a loopback page host that is also the endpoint and answers 202; pages cross-origin isolated (5 µs timers). CPU ×4 = CDP Emulation.setCPUThrottlingRate.\n`,
)
console.log(
  table(
    ['CPU', 'loads', 'sdk.js loaded ms', 'first beacon sent ms', 'answered ms', 'load event end ms', 'beacon − load ms', 'beacon − sdk.js ms', 'main-thread ms with SDK / without', 'long tasks with SDK / without'],
    beaconRows.map((r) => [`×${r.throttle}`, r.loads, fmt(r.sdk, 1), fmt(r.start, 1), fmt(r.end, 1), fmt(r.load, 1), fmt(r.afterLoad, 1), fmt(r.afterSdk, 1), `${fmt(r.task, 1)} / ${fmt(r.blankTask, 1)}`, `${r.long} / ${r.blankLong}`]),
  ),
)
console.log(
  '\nMedians over the loads; times from navigation start. The automatic page view goes at once; any later call waits for `flushInterval` (1 s) or 20 events. ' +
    '"without" loads the same page with no SDK tag and keeps it open as long (main-thread time: CDP TaskDuration of the page until then).\n',
)
console.log(
  table(
    ['CPU', 'helper', 'median µs', 'p95 µs', 'p99 µs', 'max ms', 'mean µs', 'all main-thread per call µs', 'harness µs', 'long tasks'],
    callRows.map((r) => [`×${r.throttle}`, r.name, fmt(r.median * 1000, 1), fmt(r.p95 * 1000, 1), fmt(r.p99 * 1000, 1), fmt(r.max, 2), fmt(r.mean * 1000, 1), fmt(r.all * 1000, 1), fmt(r.harness * 1000, 2), r.long]),
  ),
)
console.log(
  `\n${fmt(CALLS)} calls per helper in one loop, each timed alone; "mean" includes every 20th call that seals a batch into localStorage and starts its send; ` +
    `"all main-thread" is CDP TaskDuration over the loop and the 3 s after (sends, answers) divided by the calls. The queue keeps 500 events, so most of a ` +
    `${fmt(CALLS)}-call burst is dropped by design. The loop runs inside Playwright's evaluate, whose task the longtask observer does not report, so the long tasks ` +
    `counted are the SDK's own later work (sealing, sending, answers).\n`,
)
console.log(
  table(
    ['CPU', 'scenario', 'long tasks', 'longest ms', 'total blocking ms', 'note'],
    longRows.map((r) => [`×${r.throttle}`, r.label, r.count, fmt(r.max, 0), fmt(r.tbt, 0), r.note ?? '']),
  ),
)
const worst = callRows.reduce((a, r) => (r.median > a.median ? r : a))
console.log(`\nGoal: ≤ ${GOAL_MS} ms per call, no long task. Worst median: ${worst.name} at ×${worst.throttle}, ${fmt(worst.median * 1000, 1)} µs.`)
