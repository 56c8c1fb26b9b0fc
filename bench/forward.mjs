#!/usr/bin/env node
// npm run bench:forward — a backlog of 20,000 events, a sandbox (in a second
// relay process) as upstream with 20 ms latency: drain time, achieved rate against
// UPSTREAM_RATE_PER_SEC, and the most calls the sandbox received in any one
// second (it must never exceed the cap).
//
//   --events N      backlog size (default 20000)
//   --rate N        UPSTREAM_RATE_PER_SEC (default 300, the relay's default)
//   --latency MS    SANDBOX_LATENCY_MS (default 20)
//   --inprocess     use the relay's built-in sandbox instead of a second
//                   process (its receive times then share the relay's event
//                   loop, so a stall of the relay bunches them)
//   --store postgres  the backlog in a throwaway PostgreSQL database, forwarded
//                   by --nodes relay processes (default 2) that share it: the
//                   budgets are the account's, so the caps hold for all of
//                   them together; also --subscribes requests (default 5000
//                   there, 0 on SQLite) on the subscribe budget
//   --nodes N       relay processes (PostgreSQL only)
//   --subscribe-rate N  UPSTREAM_SUBSCRIBE_RATE_PER_SEC (default 100)
import { parseArgs } from 'node:util'
import { writeBacklog, writePostgresBacklog } from './lib/backlog.mjs'
import { startNodes, STORES } from './lib/nodes.mjs'
import { createDatabase } from './lib/postgres.mjs'
import { idMaker } from './lib/ids.mjs'
import { cpuSeconds, LOOP_PROBE, loopStalls, metrics, startRelayProcess, startUpstream, tempDir, withCpu } from './lib/relay.mjs'
import { commandLine, fmt, header, percentile, progress, table } from './lib/report.mjs'
import { openStore } from './lib/store.mjs'
import { collectUpstream, deliveries, maxInWindow, overCap } from './lib/upstream.mjs'

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    rate: { type: 'string', default: '300' },
    latency: { type: 'string', default: '20' },
    inprocess: { type: 'boolean', default: false },
    store: { type: 'string', default: 'sqlite' },
    nodes: { type: 'string' },
    subscribes: { type: 'string' },
    'subscribe-rate': { type: 'string', default: '100' },
  },
})
const onPostgres = args.store == 'postgres'
if (!STORES.includes(args.store)) throw new Error(`--store is one of ${STORES.join(', ')}`)
if (!onPostgres && args.nodes && args.nodes != '1') throw new Error('--nodes needs --store postgres: SQLite has one relay process')
if (onPostgres && args.inprocess) throw new Error('--inprocess: each node would count its own sandbox; use the upstream process')
const nodeCount = onPostgres ? Number(args.nodes ?? 2) : 1
const subscribes = Number(args.subscribes ?? (onPostgres ? 5000 : 0))
const subscribeRate = Number(args['subscribe-rate'])
const count = Number(args.events)
const rate = Number(args.rate)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

const head = await header('Forwarding (bench:forward)', commandLine('bench/forward.mjs'))
const dir = tempDir('forward')
const ids = idMaker('f')
const dbPath = `${dir}/relay.db`
const databaseUrl = onPostgres ? await createDatabase('forward') : undefined
progress(`bench:forward: writing a backlog of ${count} events${subscribes ? ` and ${subscribes} subscribes` : ''} into ${databaseUrl ? 'PostgreSQL' : dbPath}`)
const backlog = databaseUrl ? await writePostgresBacklog(databaseUrl, ids, count, subscribes) : await writeBacklog(dbPath, ids, count, { subscribes })

const upstream = args.inprocess ? undefined : await startUpstream({ dir, latencyMs: Number(args.latency), env: LOOP_PROBE })
const env = {
  SQLITE_PATH: dbPath,
  ANONYMOUS_EVENTS: 'forward',
  UPSTREAM_RATE_PER_SEC: String(rate),
  UPSTREAM_SUBSCRIBE_RATE_PER_SEC: String(subscribeRate),
  SANDBOX_LATENCY_MS: args.latency,
  LOG_LEVEL: 'warn',
  ...upstream?.forwardEnv,
  ...LOOP_PROBE,
}
const set = databaseUrl
  ? await startNodes({ store: 'postgres', dir, env, databaseUrl, count: nodeCount })
  : { nodes: [await startRelayProcess({ dir, env })], describe: () => '' }
const relay = set.nodes[0]
const started = Date.now()
progress(`bench:forward: relay pid${set.nodes.length > 1 ? 's' : ''} ${set.nodes.map((n) => n.pid).join(', ')}; draining`)
/** The budgets the backlog spends, by the path of their calls. */
const BUDGETS = [
  { budget: 'events', path: '/api/v2/event', cap: rate, setting: 'UPSTREAM_RATE_PER_SEC' },
  ...(subscribes ? [{ budget: 'subscribe', path: '/api/v1/contact/subscribe', cap: subscribeRate, setting: 'UPSTREAM_SUBSCRIBE_RATE_PER_SEC' }] : []),
]
const calls = collectUpstream((upstream ?? relay).url, { paths: BUDGETS.map((b) => b.path) })

// Wait until nothing is queued, bounded at three times the ideal drain time.
const limitMs = Math.max(60_000, (count / rate) * 3000, (subscribes / subscribeRate) * 3000)
const cpu0 = set.nodes.map((n) => cpuSeconds(n.pid))
const run = await withCpu(relay.pid, async () => {
  for (;;) {
    const m = await metrics(relay.url)
    if ((m['esputnik_relay_jobs{state="queued"}'] ?? 1) == 0) return { drained: true, m }
    if (Date.now() - started > limitMs) return { drained: false, m }
    await sleep(250)
  }
})
const drainedAt = Date.now()
const nodesCpu = set.nodes.map((n, i) => (cpuSeconds(n.pid) - cpu0[i]) / ((drainedAt - started) / 1000))
await sleep(500) // the last answers are recorded before the count says 0
await calls.stop()
await Promise.all(set.nodes.map((n) => n.stop()))
await upstream?.stop()

let counts
if (databaseUrl) {
  const reader = await set.readStore()
  counts = await reader.counts()
  await reader.close()
} else {
  const store = openStore(dbPath)
  counts = store.counts()
  store.close()
}
const perBudget = BUDGETS.map((b) => {
  const list = calls.calls.filter((c) => c.path == b.path)
  const done = list.filter((c) => c.status >= 200 && c.status < 300)
  const at = list.map((c) => c.at)
  const from = Math.min(...at)
  const to = Math.max(...done.map((c) => c.at))
  const achieved = done.length / ((to - from) / 1000)
  return { ...b, calls: list.length, ok: done.length, window: maxInWindow(at), over: overCap(at, b.cap), achieved, share: achieved / b.cap }
})
const eventCalls = calls.calls.filter((c) => c.path == '/api/v2/event')
const ok = eventCalls.filter((c) => c.status >= 200 && c.status < 300)
const times = eventCalls.map((c) => c.at)
const first = Math.min(...times)
const last = Math.max(...ok.map((c) => c.at))
const window = maxInWindow(times)
const perId = deliveries(eventCalls, ids)
const twice = [...perId.values()].filter((n) => n > 1).length
const never = backlog.filter((id) => !perId.has(id)).length
// Calls per whole second of the run, from the first call: the steady pace.
const buckets = new Map()
for (const t of times) buckets.set(Math.floor((t - first) / 1000), (buckets.get(Math.floor((t - first) / 1000)) ?? 0) + 1)
const full = [...buckets.entries()].filter(([s]) => s > 0 && s < Math.floor((last - first) / 1000)).map(([, n]) => n)
const slow = [...buckets.entries()].filter(([s, n]) => s > 0 && s < Math.floor((last - first) / 1000) && n < rate * 0.9).sort((a, b) => a[0] - b[0])
const achieved = ok.length / ((last - first) / 1000)

console.log(head)
console.log(
  (databaseUrl ? `${set.describe()}, with ${fmt(subscribes)} subscribe requests in the backlog at UPSTREAM_SUBSCRIBE_RATE_PER_SEC=${subscribeRate}. ` : '') +
  `Relay: \`node dist/relay/main.js\`, ANONYMOUS_EVENTS=forward, ` +
    (upstream ? `forwarding with an API key to the sandbox of a second relay process (SANDBOX_LATENCY_MS=${args.latency}), ` : `no API key (built-in sandbox in the same process, SANDBOX_LATENCY_MS=${args.latency}), `) +
    `UPSTREAM_RATE_PER_SEC=${rate}, UPSTREAM_CONCURRENCY=16 (default). The ${fmt(count)} events were written into the ${databaseUrl ? "database" : "SQLite file"} with the relay's own ` +
    `store code before it started. Upstream calls are read from GET /sandbox/requests every 200 ms (the sandbox keeps only 2,000).\n`,
)
console.log(
  table(
    ['measure', 'value'],
    [
      ['backlog', `${fmt(count)} events`],
      ['drained', run.drained ? 'yes' : `NO, ${fmt(run.m['esputnik_relay_jobs{state="queued"}'])} still queued after ${fmt(limitMs / 1000)} s`],
      ['drain time, relay start → queue empty', `${fmt((drainedAt - started) / 1000, 1)} s`],
      ['first → last upstream call', `${fmt((last - first) / 1000, 1)} s`],
      ['ideal at the cap', `${fmt(count / rate, 1)} s`],
      ['achieved rate', `${fmt(achieved, 1)} /s = ${fmt((achieved / rate) * 100, 1)} % of ${rate}`],
      ['calls per whole second (min / median / max)', `${percentile(full, 0)} / ${percentile(full, 50)} / ${percentile(full, 100)}`],
      ['most calls in any 1 s window (sliding, sandbox receive times)', `${window.max} (cap ${rate}) ${window.max > rate ? 'OVER THE CAP' : 'within the cap'}, from +${fmt((window.at - first) / 1000, 2)} s`],
      ['1 s windows over the cap (sliding, count of calls that end one)', String(overCap(times, rate))],
      ['whole seconds under 90 % of the cap (+s: calls)', slow.length ? slow.map(([sec, n]) => `+${sec}: ${n}`).slice(0, 12).join(', ') + (slow.length > 12 ? ` … (${slow.length})` : '') : 'none'],
      ['Generate event calls (2xx / other)', `${fmt(ok.length)} / ${fmt(eventCalls.length - ok.length)}`],
      ['events delivered twice / never', `${twice} / ${never}`],
      ['store after (queued / sent / dead)', `${counts.queued} / ${counts.sent} / ${counts.dead}`],
      ['recorded calls the poller missed', String(calls.missed)],
      ['relay CPU (share of one core)', set.nodes.length > 1 ? nodesCpu.map((c) => `${Math.round(c * 100)} %`).join(' + ') : `${Math.round(run.relayCpu * 100)} %`],
      ['event-loop stalls > 50 ms: relay / upstream (of them off CPU)', [...set.nodes, upstream].filter(Boolean).map((p) => { const s = loopStalls(p.log); return `${s.count} (${s.offCpu}), longest ${s.longest} ms` }).join(' / ')],
    ],
  ),
)
if (databaseUrl) {
  console.log(`\nPer budget, at the receiver (the sandbox's receive times of the calls of all ${set.nodes.length} nodes together; the caps are the account's):\n`)
  console.log(
    table(
      ['budget', 'cap (setting)', 'calls (2xx)', 'busiest sliding 1 s', '1 s windows over the cap', 'share of the cap used'],
      perBudget.map((b) => [b.budget, `${b.cap} (${b.setting})`, `${fmt(b.calls)} (${fmt(b.ok)})`, `${b.window.max} of ${b.cap}`, String(b.over), `${fmt(b.share * 100, 1)} % (${fmt(b.achieved, 1)}/s)`]),
    ),
  )
}
const over = perBudget.some((b) => b.window.max > b.cap)
console.log(`\nGoal: ≥ 95 % of the cap, never over it. Measured ${perBudget.map((b) => `${b.budget} ${fmt(b.share * 100, 1)} %, peak ${b.window.max}/${b.cap}`).join('; ')}.`)
if (over || never || !run.drained) process.exitCode = 1
