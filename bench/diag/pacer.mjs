#!/usr/bin/env node
// The relay's pacer on its own (from the dist/ copy): 16 takers, as the
// forwarder's concurrency, while random busy-waits of up to 80 ms stall the
// event loop every ~100 ms. Prints the most takes in any 1 s window, to tell
// whether a cap excess at the receiver comes from the pacer or from after it.
//
//   node bench/diag/pacer.mjs [--rate 300] [--seconds 8]
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { distSnapshot } from '../lib/relay.mjs'
import { maxInWindow } from '../lib/upstream.mjs'

const { values: args } = parseArgs({ options: { rate: { type: 'string', default: '300' }, seconds: { type: 'string', default: '8' } } })
const { createPacer } = await import(pathToFileURL(join(distSnapshot(), 'relay', 'forward', 'pacer.js')).href)
const rate = Number(args.rate)
const pacer = createPacer({ ratePerSec: rate, guardMs: 20, startDelayMs: 0 })
const signal = new AbortController().signal
const times = []
let stop = false
const taker = async () => {
  while (!stop) {
    const done = await pacer.take(signal)
    times.push(performance.now())
    done()
  }
}
const stalls = setInterval(() => {
  const until = performance.now() + Math.random() * 80
  while (performance.now() < until);
}, 97)
const t0 = performance.now()
const takers = Array.from({ length: 16 }, taker)
await new Promise((r) => setTimeout(r, Number(args.seconds) * 1000))
stop = true
clearInterval(stalls)
const seconds = (performance.now() - t0) / 1000
console.log(`pacer at ${rate}/s, ${seconds.toFixed(1)} s with event-loop stalls: ${times.length} takes, ${(times.length / seconds).toFixed(1)}/s, most in any 1 s window ${maxInWindow(times).max}`)
await Promise.race([Promise.all(takers), new Promise((r) => setTimeout(r, 100))])
process.exit(0)
