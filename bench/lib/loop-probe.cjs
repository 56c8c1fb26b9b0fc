// Preloaded into a relay process (NODE_OPTIONS=--require) by the benches: a
// 10 ms timer that notes every event-loop stall over 50 ms (LOOP_PROBE_MS), with how much CPU
// the process got meanwhile, and GC pauses over 50 ms. A stall with little
// CPU means the process was not running: another process or the host had the
// core, or it waited in a blocking call (an fsync); one with full CPU is the
// relay's own work. One JSON line each on stderr.
const { PerformanceObserver, performance } = require('node:perf_hooks')
const { writeSync } = require('node:fs')
const OVER = Number(process.env.LOOP_PROBE_MS) || 50 // report stalls and GC pauses longer than this
const line = (o) => writeSync(2, `${JSON.stringify({ probe: 1, ...o })}\n`)
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.duration > OVER) line({ gc: Math.round(e.duration) })
}).observe({ entryTypes: ['gc'] })
line({ loaded: true })
let last = performance.now()
let cpu = process.cpuUsage()
setInterval(() => {
  const now = performance.now()
  const used = process.cpuUsage(cpu)
  const stall = now - last - 10
  if (stall > OVER) line({ stall: Math.round(stall), cpu: Math.round((used.user + used.system) / 1000), wall: Math.round(now - last), at: Math.round(now) })
  last = now
  cpu = process.cpuUsage()
}, 10).unref()
