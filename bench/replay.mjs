#!/usr/bin/env node
// npm run bench:replay — a replay: 10,000 held events of 100 visitors who all
// subscribe at once, eSputnik the sandbox of a second relay process with
// 20 ms latency. Per REPLAY_MODE: the time from the subscribes until every
// event is upstream, the calls made, and the busiest sliding second of each
// budget at the receiver against its cap.
//
//   --visitors N    visitors (default 100)
//   --events N      held events per visitor (default 100)
//   --recent N      of them, how many are younger than REPLAY_LIVE_MINUTES (default 10: "most older")
//   --modes LIST    REPLAY_MODE values to run, in order (default live,auto)
//   --latency MS    SANDBOX_LATENCY_MS of the upstream (default 20)
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { idMaker, wireEvent } from './lib/ids.mjs'
import { distSnapshot, startRelayProcess, startUpstream, tempDir } from './lib/relay.mjs'
import { commandLine, fmt, header, progress, table } from './lib/report.mjs'
import { openStore } from './lib/store.mjs'
import { collectUpstream, maxInWindow } from './lib/upstream.mjs'

const { values: args } = parseArgs({
  options: {
    visitors: { type: 'string', default: '100' },
    events: { type: 'string', default: '100' },
    recent: { type: 'string', default: '10' },
    modes: { type: 'string', default: 'live,auto' },
    latency: { type: 'string', default: '20' },
  },
})
const visitors = Number(args.visitors)
const perVisitor = Number(args.events)
const recent = Number(args.recent)
const modes = args.modes.split(',')
const total = visitors * perVisitor
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** The relay's defaults, which the run keeps: the caps each budget is checked against. */
const BUDGETS = [
  { budget: 'events', path: '/api/v2/event', cap: 300, setting: 'UPSTREAM_RATE_PER_SEC' },
  { budget: 'past', path: '/api/v2/past_events', cap: 50, setting: 'UPSTREAM_PAST_RATE_PER_SEC' },
  { budget: 'subscribe', path: '/api/v1/contact/subscribe', cap: 100, setting: 'UPSTREAM_SUBSCRIBE_RATE_PER_SEC' },
]
const DAY = 86_400_000

/** Held history straight into the relay's file with its own store code: per visitor, the old part three days back, the rest in the last ten minutes. */
async function writeHistory(dbPath, ids) {
  const { createSqliteStore } = await import(pathToFileURL(join(distSnapshot(), 'relay', 'store', 'sqlite.js')).href)
  const store = createSqliteStore({ path: dbPath })
  const now = Date.now()
  const people = []
  try {
    for (let v = 0; v < visitors; v++) {
      const visitor = ids.visitor()
      const events = Array.from({ length: perVisitor }, (_, i) => {
        const old = i < perVisitor - recent
        const ts = old ? now - 3 * DAY + i * 60_000 : now - 10 * 60_000 + (i - (perVisitor - recent)) * 10_000
        return wireEvent(ids.next(), i, ts)
      })
      await store.insertEvents({ visitor, events, receivedAt: now, anonymous: 'hold' })
      people.push({ visitor, events })
    }
  } finally {
    await store.close()
  }
  return people
}

/**
 * The first time each event reached the upstream and was taken (Generate
 * event 2xx, or ACCEPTED in a Past events call), read from the collected
 * calls as they come: `update()` reads only the calls collected since.
 */
function arrivals(calls, ids) {
  const first = new Map()
  let read = 0
  const take = (id, at) => first.has(id) || first.set(id, at)
  return {
    first,
    update() {
      for (; read < calls.length; read++) {
        const c = calls[read]
        if (c.status < 200 || c.status >= 300) continue
        if (c.path == '/api/v2/past_events') {
          const results = c.reply?.results
          c.body.events.forEach((e, i) => (!results || results[i]?.status == 'ACCEPTED') && ids.find(e).forEach((id) => take(id, c.at)))
        } else if (c.path == '/api/v2/event') ids.find(c.body).forEach((id) => take(id, c.at))
      }
      return first.size
    },
  }
}

async function run(mode) {
  const dir = tempDir(`replay-${mode}`)
  const ids = idMaker('r')
  const dbPath = join(dir, 'relay.db')
  progress(`bench:replay: ${mode}: writing ${fmt(total)} held events of ${visitors} visitors into ${dbPath}`)
  const people = await writeHistory(dbPath, ids)
  const upstream = await startUpstream({ dir, latencyMs: Number(args.latency) })
  const relay = await startRelayProcess({
    dir,
    env: {
      ...upstream.forwardEnv,
      SQLITE_PATH: dbPath,
      ANONYMOUS_EVENTS: 'hold',
      REPLAY_MODE: mode,
      SUBSCRIBE_RATE_PER_MINUTE: '1000000',
      SUBSCRIBE_RATE_PER_VISITOR: '1000',
      LOG_LEVEL: 'warn',
    },
  })
  const calls = collectUpstream(upstream.url, { paths: BUDGETS.map((b) => b.path) })
  // The pacers' start delay (one window) is over before the subscribes go.
  await sleep(1500)
  progress(`bench:replay: ${mode}: ${visitors} subscribes at once`)
  const started = Date.now()
  const answers = await Promise.all(
    people.map(({ visitor }, i) =>
      fetch(`${relay.url}/v1/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ v: 1, id: ids.next(), ts: Date.now(), visitor, email: `replay-${i}@example.com` }),
      }).then((r) => r.status),
    ),
  )
  if (answers.some((s) => s != 202)) throw new Error(`subscribe answered ${[...new Set(answers)].join(', ')}`)
  const limitMs = Math.max(60_000, (total / 300) * 3000)
  const seen = arrivals(calls.calls, ids)
  while (seen.update() < total && Date.now() - started < limitMs) await sleep(100)
  // Two more collector polls, so a call answered after the last arrival still counts.
  await sleep(500)
  await calls.stop()
  await relay.stop()
  await upstream.stop()
  const store = openStore(dbPath)
  const counts = store.counts()
  store.close()
  seen.update()
  const first = seen.first
  const done = first.size >= total
  const last = Math.max(...first.values())
  const perBudget = BUDGETS.map((b) => {
    const list = calls.calls.filter((c) => c.path == b.path)
    const window = maxInWindow(list.map((c) => c.at))
    return { ...b, calls: list.length, ok: list.filter((c) => c.status >= 200 && c.status < 300).length, peak: window.max }
  })
  const pastEvents = calls.calls.filter((c) => c.path == '/api/v2/past_events').reduce((n, c) => n + c.body.events.length, 0)
  return { mode, done, seconds: (last - started) / 1000, upstream: first.size, perBudget, pastEvents, counts, missed: calls.missed }
}

const head = await header('Replay (bench:replay)', commandLine('bench/replay.mjs'))
const results = []
for (const mode of modes) results.push(await run(mode))

console.log(head)
console.log(
  `${fmt(total)} held events of ${visitors} visitors (${perVisitor - recent} each from three days ago, ${recent} from the last ten minutes), ` +
    `written into the SQLite file with the relay's own store code; then all ${visitors} subscribe at once (\`POST /v1/subscribe\`, in parallel). ` +
    `Relay: \`node dist/relay/main.js\`, ANONYMOUS_EVENTS=hold, default budgets and REPLAY_LIVE_MINUTES (30), ` +
    `forwarding with an API key to the sandbox of a second relay process (SANDBOX_LATENCY_MS=${args.latency}). ` +
    `Time: from the subscribes to the sandbox's receive time of the call that brought the last event (an event counts once it was taken: a 2xx Generate event, or ACCEPTED in a Past events call).\n`,
)
console.log(
  table(
    ['REPLAY_MODE', 'every event upstream after', 'calls: Generate event / Past events (events in them) / Subscribe', ...BUDGETS.map((b) => `busiest 1 s, ${b.budget} (cap)`), 'store after (queued / sent / dead)'],
    results.map((r) => {
      const calls = (name) => r.perBudget.find((b) => b.budget == name)
      return [
        r.mode,
        r.done ? `${fmt(r.seconds, 1)} s` : `NOT ALL: ${fmt(r.upstream)} of ${fmt(total)} after ${fmt(r.seconds, 1)} s`,
        `${fmt(calls('events').calls)} / ${fmt(calls('past').calls)} (${fmt(r.pastEvents)}) / ${fmt(calls('subscribe').calls)}`,
        ...r.perBudget.map((b) => `${b.peak} (${b.cap})${b.peak > b.cap ? ' OVER' : ''}`),
        `${r.counts.queued} / ${r.counts.sent} / ${r.counts.dead}`,
      ]
    }),
  ),
)
const auto = results.find((r) => r.mode == 'auto')
if (auto) console.log(`\nGoal: every event upstream in ≤ 10 s with auto. Measured ${auto.done ? `${fmt(auto.seconds, 1)} s` : 'not all of them'}.`)
const missed = results.reduce((n, r) => n + r.missed, 0)
if (missed) console.log(`\nThe collector missed ${missed} recorded calls (the sandbox keeps 2,000): the call counts are short by that many.`)
if (results.some((r) => !r.done || r.perBudget.some((b) => b.peak > b.cap))) process.exitCode = 1
