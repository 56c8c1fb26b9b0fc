#!/usr/bin/env node
// npm run bench:ingest — autocannon against the built relay on SQLite:
// the most req/s and the latency for single-event and 20-event batches, then
// a run at 70 % of that most, and a check that every 202 followed a commit.
//
//   --duration S        seconds per measured run (default 10)
//   --connections LIST  autocannon connections tried for the max (default 10,50;
//                       the best is the max, and the 70 % run is paced from it)
//   --anonymous MODE    hold (default: events of unknown visitors are held, so
//                       nothing is forwarded and ingest is measured alone) or
//                       forward (queued; the relay also forwards to its own
//                       sandbox at UPSTREAM_RATE_PER_SEC meanwhile)
//   --sync MODE         SQLITE_SYNCHRONOUS: NORMAL (default) or FULL
//   --probe on|off      preload lib/loop-probe.cjs into the relay (default on):
//                       event-loop stalls over --probe-ms, and whether the relay
//                       had the CPU during them (off CPU: a busy shared host,
//                       or a blocking fsync)
//   --probe-ms N        the probe's threshold (default 20 ms: WAL checkpoints show)
//   --sqlite-dir DIR    where the SQLite file goes (default a temp dir on disk;
//                       /dev/shm takes the disk's fsync out, for comparison)
//   --log-level L       LOG_LEVEL (default info, the relay's default; its
//                       beacons write no access lines below debug)
//   --pin on|off        taskset: the relay on CPU 1, this generator on CPU 0
//                       (default off), so the two do not take turns on the
//                       same core; on a 2-core machine that is all of it
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { batchBody, idMaker, wireEvent } from './lib/ids.mjs'
import { fire, summary } from './lib/load.mjs'
import { paced } from './lib/paced.mjs'
import { LOOP_PROBE, loopStalls, metrics, onExit, startRelayProcess, tempDir, withCpu } from './lib/relay.mjs'
import { commandLine, fmt, header, progress, table } from './lib/report.mjs'
import { openStore } from './lib/store.mjs'

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10,50' },
    anonymous: { type: 'string', default: 'hold' },
    sync: { type: 'string', default: 'NORMAL' },
    'log-level': { type: 'string', default: 'info' },
    probe: { type: 'string', default: 'on' },
    'probe-ms': { type: 'string', default: '20' },
    'sqlite-dir': { type: 'string' },
    pin: { type: 'string', default: 'off' },
  },
})
const duration = Number(args.duration)
const connectionList = args.connections.split(',').map(Number)
const pct = (x) => (Number.isFinite(x) ? `${Math.round(x * 100)} %` : '–')
const GOALS = { singleReqPerSec: 5000, batchedEventsPerSec: 25000, p99AtSeventy: 20 }

const head = await header('Relay ingest (bench:ingest)', commandLine('bench/ingest.mjs'))
const dir = tempDir('ingest')
const relay = await startRelayProcess({
  dir,
  env: {
    ANONYMOUS_EVENTS: args.anonymous,
    SQLITE_SYNCHRONOUS: args.sync,
    // The per-IP limit would cap a one-IP load generator; the schema's highest value.
    INGEST_RATE_PER_MINUTE: '1000000',
    LOG_LEVEL: args['log-level'],
    ...(args.probe == 'on' ? { ...LOOP_PROBE, LOOP_PROBE_MS: args['probe-ms'] } : {}),
    ...(args['sqlite-dir'] ? { SQLITE_PATH: join(mkdtempSync(join(args['sqlite-dir'], 'esputnik-bench-')), 'relay.db') } : {}),
  },
})
if (args['sqlite-dir']) onExit(() => rmSync(dirname(relay.dbPath), { recursive: true, force: true }))
if (args.pin == 'on') {
  // -a: every thread (libuv's pool, V8's GC helpers) of each process.
  execFileSync('taskset', ['-a', '-p', '-c', '1', String(relay.pid)], { stdio: 'ignore' })
  execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' })
}
progress(`bench:ingest: relay pid ${relay.pid} at ${relay.url}, store ${relay.dbPath}${args.pin == 'on' ? ', relay on CPU 1, generator on CPU 0' : ''}`)
const ids = idMaker('i')
const acked = []
const rows = []

/** Stalls the probe logged since the last call: the relay's own, or the host's (no CPU meanwhile). */
let stallsSeen = { count: 0, offCpu: 0, total: 0 }
function stallsSince() {
  if (args.probe != 'on') return {}
  const all = loopStalls(relay.log)
  const d = { stalls: all.count - stallsSeen.count, offCpu: all.offCpu - stallsSeen.offCpu, stallMs: all.total - stallsSeen.total }
  stallsSeen = all
  return d
}

/** The most req/s: closed-loop autocannon at each connection count; the best one counts. */
async function max(label, events) {
  let best
  for (const connections of connectionList) {
    progress(`bench:ingest: ${label}: ${events} event(s)/request, ${connections} connections, as fast as it goes, ${duration} s`)
    const out = await withCpu(relay.pid, () => fire({ url: relay.url, ids, events, connections, duration }))
    for (const id of out.acked) acked.push(id)
    const s = { label: `${label}, max, ${connections} conn.`, tool: 'autocannon', events, ...summary(out, events), relayCpu: out.relayCpu, generatorCpu: out.generatorCpu, ...stallsSince() }
    rows.push(s)
    if (!best || s.reqPerSec > best.reqPerSec) best = s
  }
  return best
}

/** Open loop at 70 % of the max, evenly spread (lib/paced.mjs says why not autocannon's rate). */
async function seventy(label, events, maxReqPerSec) {
  const rate = Math.round(maxReqPerSec * 0.7)
  progress(`bench:ingest: ${label}: ${events} event(s)/request, paced at ${rate} req/s, ${duration} s`)
  const out = await withCpu(relay.pid, () => paced({
    url: relay.url,
    rate,
    seconds: duration,
    makeBody() {
      const list = []
      for (let i = 0; i < events; i++) list.push(wireEvent(ids.next(), i))
      return { body: batchBody(ids.visitor(), list), ids: list.map((e) => e.id) }
    },
    onAck(list, text) {
      if (!text.startsWith(`{"accepted":${events},"rejected":[]`)) partial++
      for (const id of list) acked.push(id)
    },
  }))
  rows.push({ label: `${label}, 70 % of max`, tool: 'paced', events, rate, ...out, eventsPerSec: out.reqPerSec * events, partial: 0, ...stallsSince() })
  return out
}
let partial = 0

// Warm up: JIT, SQLite page cache, connection pool. Its acks are checked too.
await fire({ url: relay.url, ids, events: 1, connections: 10, duration: 2 }).then((o) => o.acked.forEach((id) => acked.push(id)))
stallsSince()
const single = await max('single', 1)
await seventy('single', 1, single.reqPerSec)
const batch = await max('20-event', 20)
await seventy('20-event', 20, batch.reqPerSec)

const before = await metrics(relay.url)
// The check: SIGKILL (no shutdown hook gets to flush anything), then every
// acknowledged id must be in the file.
await relay.kill9()
const store = openStore(relay.dbPath)
const stored = store.ids()
const counts = store.counts()
store.close()
const missing = acked.filter((id) => !stored.has(id))

console.log(head)
console.log(`Relay: \`node dist/relay/main.js\`, SQLite in ${args['sqlite-dir'] ? args['sqlite-dir'] : 'a temp dir on disk'} (synchronous=${args.sync}), ANONYMOUS_EVENTS=${args.anonymous}, ` +
  `no API key (built-in sandbox), INGEST_RATE_PER_MINUTE=1000000, LOG_LEVEL=${args['log-level']} (logs to a file in the temp dir). autocannon 8.0.0 in the bench process${args.pin == 'on' ? ' (pinned to CPU 0, the relay to CPU 1)' : ''}, ` +
  `${duration} s per run, one fresh body per request (text/plain, like the SDK). Max: autocannon closed loop (latency at saturation). ` +
  `70 %: open loop (bench/lib/paced.mjs), requests due evenly, sent on a 1 ms tick over 64 keep-alive sockets, latency counted from when each was due ` +
  `(so it includes up to ~1 ms of tick). Every request is a new visitor (the relay holds at most 1,000 events per visitor).\n`)
console.log(
  table(
    ['run', 'generator', 'target req/s', 'req/s (2xx)', 'events/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms', '2xx', 'non-2xx', 'errors', 'timeouts', 'relay CPU', 'generator CPU', `relay stalls > ${args['probe-ms']} ms (off CPU) / ms`, 'generator: ticks > 10 ms late / longest pause ms'],
    rows.map((r) => [r.label, r.tool, r.rate ? fmt(r.rate) : 'max', fmt(r.reqPerSec), fmt(r.eventsPerSec), fmt(r.p50, 1), fmt(r.p99, 1), fmt(r.p999, 1), fmt(r.max), fmt(r.ok), fmt(r.non2xx), fmt(r.errors), fmt(r.timeouts), pct(r.relayCpu), pct(r.generatorCpu), r.stalls === undefined ? '–' : `${r.stalls} (${r.offCpu}) / ${fmt(r.stallMs)}`, r.tool == 'paced' ? `${r.lateTicks} / ${fmt(r.generatorMaxLagMs, 1)}` : '–']),
  ),
)
console.log()
console.log(
  table(
    ['commit check (after SIGKILL)', 'value'],
    [
      ['event ids acknowledged with 202', fmt(acked.length)],
      ['acknowledged ids missing from the store', fmt(missing.length)],
      ['202 answers not accepting every event', fmt(rows.reduce((n, r) => n + r.partial, partial))],
      ['rows in the store (held/queued/sent/dead)', `${fmt(counts.total)} (${counts.held}/${counts.queued}/${counts.sent}/${counts.dead})`],
      ['held events dropped by the per-visitor cap (metric)', fmt(before['esputnik_relay_events_held_dropped_total{reason="cap"}'] ?? 0)],
      ['duplicates seen by the relay (metric; must be 0: ids are unique)', fmt(before.esputnik_relay_events_duplicate_total ?? 0)],
      ['rows beyond the acknowledged (answer lost to the timeout or the kill)', fmt(counts.total - (acked.length - missing.length))],
    ],
  ),
)
const paced70 = rows.filter((r) => r.rate)
console.log()
console.log(
  table(
    ['goal', 'target', 'measured'],
    [
      ['single-event req/s', `≥ ${fmt(GOALS.singleReqPerSec)}`, fmt(single.reqPerSec)],
      ['batched events/s', `≥ ${fmt(GOALS.batchedEventsPerSec)}`, fmt(batch.eventsPerSec)],
      ['p99 at 70 % (single / 20-event)', `≤ ${GOALS.p99AtSeventy} ms`, paced70.map((r) => `${fmt(r.p99, 1)} ms`).join(' / ')],
    ],
  ),
)
if (missing.length) {
  console.log(`\nFAIL: ${missing.length} acknowledged ids are not in the store, e.g. ${missing.slice(0, 5).join(', ')}`)
  process.exitCode = 1
}
