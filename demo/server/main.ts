import { ConfigError } from '../../src/relay/ops/config.js'
import { buildDemoApp } from './app.js'

// `npm start` (scripts/start.mjs) runs this after building what was stale.
const port = Number(process.env.PORT || 8080)
const host = process.env.HOST || '127.0.0.1'

let demo
try {
  demo = await buildDemoApp(process.env)
  await demo.app.listen({ port, host })
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code
  if (error instanceof ConfigError) process.stderr.write(`esputnik-tracker demo: ${error.message}\n`)
  else if (code == 'EADDRINUSE') process.stderr.write(`esputnik-tracker demo: port ${port} is in use; try PORT=${port + 1} npm start\n`)
  else throw error
  await demo?.app.close()
  process.exit(1)
}

const shown = host == '0.0.0.0' || host == '::' ? '127.0.0.1' : host
const url = `http://${shown}:${port}`
console.log(`esputnik-tracker demo: open ${url}  (sandbox: ${url}/sandbox)`)
console.log('Press Ctrl-C to stop.')

const { app } = demo
let closing = false
function shutdown(signal: string) {
  // A second Ctrl-C exits at once; the store keeps whatever was not forwarded yet.
  if (closing) process.exit(1)
  closing = true
  console.log(`\n${signal}: stopping the demo`)
  app.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
}
process.on('SIGINT', () => shutdown('SIGINT'))
process.on('SIGTERM', () => shutdown('SIGTERM'))
