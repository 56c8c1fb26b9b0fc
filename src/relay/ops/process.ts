import { startRelay } from '../start-relay.js'
import { ConfigError } from './config.js'

/**
 * Runs the relay as a process: reads the environment, listens, and on
 * SIGTERM/SIGINT stops accepting, finishes the calls to eSputnik in flight and
 * closes the store. A second signal exits at once.
 */
export async function serve(env: Record<string, string | undefined> = process.env): Promise<void> {
  let relay
  try {
    relay = await startRelay({ env })
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    process.stderr.write(`esputnik-relay: ${error.message}\n`)
    process.exit(1)
  }
  const { app, url } = relay
  // The boot line (app.ts, at listen) says what runs; this says loudly what does not reach eSputnik.
  if (!app.relay.config.apiKey) app.log.warn(`no ESPUTNIK_API_KEY: events go to the built-in sandbox; see ${url}/sandbox`)

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) {
      app.log.warn(`${signal} again: exiting now; unsent events stay in the store`)
      process.exit(1)
    }
    closing = true
    app.log.info(`${signal}: finishing calls in flight, then closing`)
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}
