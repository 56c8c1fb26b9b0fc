// Bad input: fast-check makes malformed and hostile bodies (wrong types, huge
// strings, deep nesting, __proto__/constructor keys, invalid UTF-8 bytes,
// truncated JSON, wrong content types) and each goes to POST /v1/e over real
// HTTP. No answer may be a 5xx, the relay must not crash (same PID, /healthz
// and a valid batch still work after), and the store may grow only by the
// events the relay said it accepted.
//
// The relay forwards what it accepts to its built-in sandbox. Each body
// carries a tag of its own (lib/ids.mjs) in its event's properties, so the
// upstream record is counted by body: no tag of a refused body may reach it,
// no tag may be delivered twice, and the 2xx calls must equal the events the
// store marks sent.
import fc from 'fast-check'
import { idMaker } from '../lib/ids.mjs'
import { quietRow, RELAY_IDLE_POLL_MS, waitUntilQuiet } from '../lib/quiet.mjs'
import { startNodes } from '../lib/nodes.mjs'
import { metrics, tempDir } from '../lib/relay.mjs'
import { fmt } from '../lib/report.mjs'
import { collectUpstream, deliveries, UPSTREAM_POLL_MS } from '../lib/upstream.mjs'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const RAW = '\u0000raw\u0000' // marks where raw text goes into a JSON body
/** Where each body's own tag goes, replaced after sampling; as long as a tag (16 characters), so bodies keep their sizes. */
const TAG = 'fTAG_PLACEHOLDER'

const validBatch = (n) => ({
  v: 1,
  visitor: `vfuzz-${String(n).padStart(8, '0')}`,
  currencyCode: 'USD',
  events: [{ id: `efuzz-${String(n).padStart(8, '0')}`, type: 'productViewed', ts: 1_790_000_000_000, url: 'https://shop.example.com/p/1', data: { productId: 'p1', price: 1, properties: { color: 'green', ref: TAG } } }],
})
/** The body with its placeholder replaced by `tag` (a Buffer byte for byte: latin1 maps each byte to one character and back). */
const tagged = (body, tag) =>
  typeof body == 'string' ? body.replaceAll(TAG, tag) : Buffer.from(body.toString('latin1').replaceAll(TAG, tag), 'latin1')
const PATHS = [
  [], ['v'], ['visitor'], ['currencyCode'], ['sent'], ['events'], ['events', 0], ['events', 0, 'id'], ['events', 0, 'type'],
  ['events', 0, 'ts'], ['events', 0, 'url'], ['events', 0, 'data'], ['events', 0, 'data', 'productId'], ['events', 0, 'data', 'price'],
  ['events', 0, 'data', 'isInStock'], ['events', 0, 'data', 'properties'], ['events', 0, 'data', 'properties', 'color'],
]
const PROTO = [
  '{"__proto__":{"polluted":1,"isAdmin":true}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"__proto__":null}',
  '{"prototype":{"x":1},"__proto__":[]}',
  '{"toString":1,"valueOf":"x","hasOwnProperty":null}',
]
const CONTENT_TYPES = [
  'text/plain', 'application/json', 'text/plain;charset=UTF-8', 'application/json; charset=utf-16', 'APPLICATION/JSON',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'text/html', 'text/xml',
  'application/json-patch+json', 'image/png', '', 'text/plain; charset=latin1', ';;;', 'text/plain; charset="\u00ff"',
]

/** Raw JSON text that JSON.stringify cannot make: deep nesting, odd numbers, prototype keys. */
const rawText = fc.oneof(
  fc.integer({ min: 100, max: 40_000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
  fc.integer({ min: 100, max: 12_000 }).map((d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d)),
  fc.constantFrom('1e400', '-1e400', '-0', '9007199254740993', '1e-400', '0.1e999', '123456789012345678901234567890'),
  fc.constantFrom(...PROTO),
  fc.constantFrom('"\\ud800"', '"\\udfff\\ud800"', '"\\u0000"', '"\\u202e\\u200b"', '"a\\u0000b"'),
)
/** A JSON value that is wrong almost anywhere. */
const hostile = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 2, arbitrary: fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 3, arbitrary: rawText.map((text) => ({ [RAW]: text })) },
)

/** Replaces the value at `path` in a copy of `root`. */
function put(root, path, value) {
  if (!path.length) return value
  const copy = structuredClone(root)
  let at = copy
  for (const key of path.slice(0, -1)) at = at?.[key]
  if (at && typeof at == 'object') at[path[path.length - 1]] = value
  return copy
}
/** JSON text with each {RAW: text} replaced by the text itself. */
const render = (value) => JSON.stringify(value).replace(/\{"\\u0000raw\\u0000":("(?:[^"\\]|\\.)*")\}/g, (_, s) => JSON.parse(s))

const cases = (n) =>
  fc.oneof(
    // Any JSON at all.
    fc.record({ kind: fc.constant('any JSON'), body: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'), type: fc.constant('text/plain') }),
    // A valid batch with one field replaced by something hostile.
    fc.record({
      kind: fc.constant('mutated batch'),
      body: fc.tuple(fc.nat(), fc.constantFrom(...PATHS), hostile).map(([i, path, v]) => render(put(validBatch(n + i), path, v))),
      type: fc.constantFrom('text/plain', 'application/json'),
    }),
    // Invalid UTF-8 bytes inside a string of an otherwise valid batch.
    fc.record({
      kind: fc.constant('invalid UTF-8'),
      body: fc.tuple(fc.nat(), fc.constantFrom('visitor', 'id', 'productId', 'url'), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([i, field, bytes]) => {
        const text = JSON.stringify(validBatch(n + i)).replace(new RegExp(`"${field}":"`), `"${field}":"\u0001`)
        const [a, b] = text.split('\u0001')
        return Buffer.concat([Buffer.from(a), Buffer.from([0xc3, 0x28, 0xff, ...bytes, 0xed, 0xa0, 0x80]), Buffer.from(b)])
      }),
      type: fc.constantFrom('text/plain', 'application/json', 'text/plain;charset=UTF-8'),
    }),
    // Cut short anywhere.
    fc.record({
      kind: fc.constant('truncated'),
      body: fc.tuple(fc.nat(), fc.double({ min: 0, max: 0.999, noNaN: true })).map(([i, f]) => {
        const t = JSON.stringify(validBatch(n + i))
        return t.slice(0, Math.floor(t.length * f))
      }),
      type: fc.constant('text/plain'),
    }),
    // A valid body under a wrong (or odd) content type.
    fc.record({ kind: fc.constant('content type'), body: fc.nat().map((i) => JSON.stringify(validBatch(n + i))), type: fc.constantFrom(...CONTENT_TYPES) }),
    // Too many events, or events that are all wrong.
    fc.record({
      kind: fc.constant('event list'),
      body: fc.tuple(fc.nat(), fc.array(hostile, { minLength: 1, maxLength: 120 })).map(([i, list]) => render({ ...validBatch(n + i), events: list })),
      type: fc.constant('text/plain'),
    }),
    // Prototype keys at the top, in an event, in data and in properties.
    fc.record({
      kind: fc.constant('prototype keys'),
      body: fc.tuple(fc.nat(), fc.constantFrom(...PATHS.slice(1)), fc.constantFrom(...PROTO)).map(([i, path, proto]) => render(put(validBatch(n + i), path, { [RAW]: proto }))),
      type: fc.constant('text/plain'),
    }),
  )

/** Sums the samples of several nodes' /metrics. */
async function metricsOf(urls) {
  const all = await Promise.all(urls.map(metrics))
  return new Proxy({}, { get: (_, key) => all.reduce((a, m) => a + (m[key] ?? 0), 0) })
}

/**
 * `store` 'postgres': two nodes on one database, the bodies dealt to them in
 * turn, each forwarding to its own built-in sandbox; the store and the
 * upstream records are the sum of both.
 */
export async function badInput({ short, seed = 20261123, store = 'sqlite' }) {
  const total = short ? 3000 : 10_000
  const dir = tempDir('bad-input')
  const tags = idMaker('f')
  const set = await startNodes({ store, dir, env: { ANONYMOUS_EVENTS: 'forward', INGEST_RATE_PER_MINUTE: '1000000', LOG_LEVEL: 'error' } })
  const urls = set.urls()
  const collectors = urls.map((url) => collectUpstream(url))
  const upstream = {
    get calls() {
      return collectors.flatMap((c) => c.calls)
    },
    get missed() {
      return collectors.reduce((a, c) => a + c.missed, 0)
    },
    stop: () => Promise.all(collectors.map((c) => c.stop())),
  }
  const pids = set.nodes.map((node) => node.pid)
  const bodies = fc.sample(cases(0), { numRuns: total, seed }).map((c) => {
    const tag = tags.next()
    return { ...c, tag, body: tagged(c.body, tag) }
  })
  /** Tags of bodies whose event the relay took (a 202 that counted it). */
  const acceptedTags = new Set()
  const before = await metricsOf(urls)
  const storeBefore = await set.readStore()
  const rowsBefore = (await storeBefore.counts()).total
  await storeBefore.close()

  const byStatus = new Map()
  const byKind = new Map()
  const fiveXX = []
  let accepted = 0
  let networkErrors = 0
  /** What the client saw instead of an answer, by cause (e.g. ECONNRESET): a lost answer, whoever reset it. */
  const noAnswer = new Map()
  let next = 0
  let bytes = 0
  const t0 = performance.now()
  async function lane() {
    while (next < bodies.length) {
      const url = urls[next % urls.length]
      const c = bodies[next++]
      bytes += Buffer.byteLength(c.body)
      const headers = c.type ? { 'content-type': c.type } : {}
      let status = 0
      try {
        const res = await fetch(`${url}/v1/e`, { method: 'POST', body: c.body, headers, signal: AbortSignal.timeout(10_000) })
        status = res.status
        const text = await res.text()
        if (status == 202) {
          const n = JSON.parse(text).accepted
          accepted += n
          if (n > 0) acceptedTags.add(c.tag)
        }
        if (status >= 500) fiveXX.push({ kind: c.kind, type: c.type, status, body: String(c.body).slice(0, 200), answer: text.slice(0, 200) })
      } catch (error) {
        networkErrors++
        const cause = error?.cause?.code ?? error?.name ?? String(error)
        noAnswer.set(cause, (noAnswer.get(cause) ?? 0) + 1)
      }
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1)
      const k = byKind.get(c.kind) ?? new Map()
      k.set(status, (k.get(status) ?? 0) + 1)
      byKind.set(c.kind, k)
    }
  }
  await Promise.all(Array.from({ length: 8 }, lane))
  const seconds = (performance.now() - t0) / 1000

  // Still alive and still working: health, and one valid batch stored.
  const health = Math.max(...(await Promise.all(urls.map((url) => fetch(`${url}/healthz`).then((r) => r.status, () => 0)))))
  const probe = await fetch(`${urls[0]}/v1/e`, { method: 'POST', body: JSON.stringify(validBatch(999_999_999)), headers: { 'content-type': 'text/plain' } }).then((r) => r.status, () => 0)
  const after = await metricsOf(urls)
  const alive = set.nodes.every((node, i) => node.exited == null && node.pid == pids[i])

  // Forwarding done: nothing queued in the file, then the upstream record
  // still for longer than the forwarder's idle poll plus two collector polls.
  // The sandbox answers 2xx or 4xx (a dead letter, never retried), so no
  // retry delay is pending.
  let queued = -1
  for (let until = Date.now() + 60_000; Date.now() < until && (queued = await set.queued()) > 0; ) await sleep(250)
  const quietMs = 2 * (RELAY_IDLE_POLL_MS + UPSTREAM_POLL_MS)
  const quiet = await waitUntilQuiet(() => upstream.calls.length, { quietMs, timeoutMs: quietMs + 30_000 })
  await upstream.stop()
  await set.stop()
  const reader = await set.readStore()
  const counts = await reader.counts()
  const rowsAfter = counts.total
  const probeStored = (await reader.ids()).has('efuzz-999999999')
  await reader.close()

  const calls = upstream.calls
  const ok2xx = calls.filter((c) => c.status >= 200 && c.status < 300).length
  const perTag = deliveries(calls, tags)
  const twice = [...perTag.values()].filter((n) => n > 1).length
  // Any call at all, failed ones too, carrying the tag of a body the relay refused.
  const refusedUpstream = new Set(calls.flatMap((c) => tags.find(c.body)).filter((t) => !acceptedTags.has(t))).size

  const acceptedMetric = after.esputnik_relay_events_accepted_total - before.esputnik_relay_events_accepted_total
  const duplicates = after.esputnik_relay_events_duplicate_total - before.esputnik_relay_events_duplicate_total
  const probeRows = probeStored ? 1 : 0
  const grew = rowsAfter - rowsBefore - probeRows
  const expected = accepted - duplicates
  const ok =
    fiveXX.length == 0 && networkErrors == 0 && alive && health == 200 && probe == 202 && probeStored && grew == expected &&
    queued == 0 && quiet.quiet && upstream.missed == 0 && refusedUpstream == 0 && twice == 0 && ok2xx == counts.sent
  const statusList = [...byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s || 'no answer'}: ${fmt(n)}`).join(', ')
  return {
    name: `bad input${urls.length > 1 ? `, ${urls.length} nodes on PostgreSQL` : ''}`,
    ok,
    settings: `${set.describe()}${urls.length > 1 ? ', bodies dealt to them in turn' : ''}; ${fmt(total)} fast-check bodies (seed ${seed}), 8 in flight, ${fmt(bytes / 1e6, 1)} MB in ${fmt(seconds, 1)} s; kinds: ${[...byKind.keys()].join(', ')}`,
    rows: [
      ['answers by status', statusList],
      ...[...byKind.entries()].map(([kind, m]) => [`  ${kind}`, [...m.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${n}`).join(', ')]),
      ['5xx answers', fmt(fiveXX.length)],
      ['no answer (connection error), by cause', `${fmt(networkErrors)}${noAnswer.size ? ` (${[...noAnswer].map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}`],
      ['relay crashed or restarted', alive ? `no (same PID${urls.length > 1 ? 's' : ''}, still running)` : 'YES'],
      ['/healthz after / a valid batch after', `${health} / ${probe}${probeStored ? ', stored' : ', NOT stored'}`],
      ['events the relay said it accepted (202 bodies / metric)', `${fmt(accepted)} / ${fmt(acceptedMetric - 1)}`],
      ['of which ids it had already (metric)', fmt(duplicates)],
      ['rows the store gained (without the probe)', `${fmt(grew)} (expected ${fmt(expected)})`],
      ['store after (queued / sent / dead)', `${counts.queued} / ${counts.sent} / ${counts.dead}`],
      quietRow('the upstream record', quiet, `> 2 × (idle poll ${RELAY_IDLE_POLL_MS / 1000} s + ${UPSTREAM_POLL_MS} ms collector poll)`),
      ['upstream calls: 2xx / refused by the sandbox (dead letters)', `${fmt(ok2xx)} / ${fmt(calls.length - ok2xx)}`],
      ['2xx calls = events the store marks sent', `${fmt(ok2xx)} = ${fmt(counts.sent)}`],
      ['accepted bodies\' tags delivered / delivered twice', `${fmt(perTag.size)} of ${fmt(acceptedTags.size)} / ${fmt(twice)}`],
      ['tags of refused bodies seen upstream', fmt(refusedUpstream)],
      ['recorded calls the poller missed', String(upstream.missed)],
    ],
    notes: fiveXX.length ? `5xx examples: ${JSON.stringify(fiveXX.slice(0, 3))}` : '',
  }
}
