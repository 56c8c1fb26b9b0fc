// An open-loop load generator: requests start on an even schedule (rate per
// second, spread over every millisecond), whether or not earlier ones were
// answered. autocannon's own rate option sends each connection's quota for
// the second back to back and then waits for the next second, so at "70 %"
// the relay really sees full-speed bursts; this one does not.
//
// Latency is measured from the moment a request was DUE, so a stall of the
// relay (or of this generator) shows up in the numbers instead of being
// hidden by requests that were never sent (coordinated omission).
//
// Raw keep-alive sockets and a minimal response parser, not node:http: on two
// cores the generator's own CPU is taken from the relay, so it must be cheap
// (node:http costs about three times as much per request here).
import { connect } from 'node:net'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { percentile } from './report.mjs'

const HEADER_END = Buffer.from('\r\n\r\n')

function connection(host, port, onAnswer, onBroken) {
  let socket
  let buf = Buffer.alloc(0)
  let current = null
  const c = {
    get busy() {
      return current !== null
    },
    send(job, bytes) {
      current = job
      socket.write(bytes)
    },
    close: () => socket.destroy(),
  }
  function open() {
    socket = connect({ host, port, noDelay: true })
    socket.on('data', (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk
      for (;;) {
        const end = buf.indexOf(HEADER_END)
        if (end < 0) return
        const head = buf.toString('latin1', 0, end)
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0)
        if (buf.length < end + 4 + length) return
        const status = Number(head.slice(9, 12))
        const body = buf.toString('utf8', end + 4, end + 4 + length)
        buf = buf.subarray(end + 4 + length)
        const job = current
        current = null
        if (job) onAnswer(c, job, status, body)
      }
    })
    socket.on('error', () => {})
    socket.on('close', () => {
      const job = current
      current = null
      buf = Buffer.alloc(0)
      if (job) onBroken(c, job)
      if (!c.closed) open()
    })
  }
  open()
  return c
}

/**
 * Sends `rate * seconds` requests to POST /v1/e, evenly spaced, over at most
 * `sockets` keep-alive connections; `makeBody()` gives `{ body, ids }`, and
 * `onAck(ids, text)` hears each 202.
 */
export async function paced({ url, rate, seconds, sockets = 64, makeBody, onAck }) {
  const { hostname, port } = new URL(url)
  const latencies = []
  const counts = { ok: 0, non2xx: 0, errors: 0, timeouts: 0, lateTicks: 0 }
  const total = Math.round(rate * seconds)
  const waiting = [] // due, not yet on a socket: every socket is busy
  let started = 0
  let settled = 0
  let done
  const finished = new Promise((r) => (done = r))
  const cpu0 = process.cpuUsage()
  // This generator's own pauses (its GC, say) count in the latencies too:
  // measure them, so a table can tell the relay's tail from the generator's.
  const lag = monitorEventLoopDelay({ resolution: 1 })
  lag.enable()
  const t0 = performance.now()

  const request = (body) =>
    Buffer.from(`POST /v1/e HTTP/1.1\r\nhost: ${hostname}:${port}\r\ncontent-type: text/plain;charset=UTF-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)

  function settle(c) {
    if (++settled == total) return done()
    const next = waiting.shift()
    if (next) c.send(next, next.bytes)
  }
  function onAnswer(c, job, status, text) {
    latencies.push(performance.now() - job.due)
    if (status == 202) {
      counts.ok++
      onAck?.(job.ids, text)
    } else counts.non2xx++
    settle(c)
  }
  function onBroken(c, job) {
    counts.errors++
    settle(c)
  }
  const pool = Array.from({ length: sockets }, () => connection(hostname, port, onAnswer, onBroken))

  function start(due) {
    const { body, ids } = makeBody()
    const job = { due, ids, bytes: request(body) }
    const free = pool.find((c) => !c.busy)
    if (free) free.send(job, job.bytes)
    else waiting.push(job)
  }
  // Every millisecond, start whatever the schedule says is due by now.
  const timer = setInterval(() => {
    const elapsed = performance.now() - t0
    const due = Math.min(total, Math.floor((elapsed / 1000) * rate))
    if (due - started > rate / 100) counts.lateTicks++ // over 10 ms behind: this generator lagged
    while (started < due) start(t0 + (started++ / rate) * 1000)
    if (started == total) clearInterval(timer)
  }, 1)
  const guard = setTimeout(() => {
    counts.timeouts = total - settled
    done()
  }, (seconds + 30) * 1000)
  await finished
  clearTimeout(guard)
  clearInterval(timer)
  for (const c of pool) (c.closed = true), c.close()
  lag.disable()
  const cpu = process.cpuUsage(cpu0)
  const wall = (performance.now() - t0) / 1000
  return {
    ...counts,
    sent: started,
    reqPerSec: counts.ok / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    p999: percentile(latencies, 99.9),
    max: latencies.reduce((a, b) => Math.max(a, b), 0),
    wall,
    generatorCpu: (cpu.user + cpu.system) / 1e6 / wall,
    /** The generator's longest event-loop delay, ms. */
    generatorMaxLagMs: lag.max / 1e6,
  }
}
