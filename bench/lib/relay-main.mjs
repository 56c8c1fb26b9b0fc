// `node dist/relay/main.js` with tuning overrides, for the reliability runs
// only: settings with no environment variable (the forwarder's 60 s lease)
// come as JSON in BENCH_CONFIG, e.g. {"leaseMs":3000}, so a short run need
// not wait a minute for the leases a killed process left. Everything else is
// the built relay's own startRelay, from the same dist/ copy.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const dist = process.env.BENCH_DIST
const { startRelay } = await import(pathToFileURL(join(dist, 'relay', 'start.js')).href)
const relay = await startRelay({ env: process.env, config: JSON.parse(process.env.BENCH_CONFIG || '{}') })
// As serve() does: SIGTERM closes (calls in flight finish), a second one exits.
let closing = false
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    if (closing) process.exit(1)
    closing = true
    relay.close().then(() => process.exit(0), () => process.exit(1))
  })
}
