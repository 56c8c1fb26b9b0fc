import type { FastifyInstance } from 'fastify'
import { buildApp, type AppDeps } from './app.js'
import { loadConfig, type Config } from './ops/config.js'

export interface StartRelayOptions {
  /** Environment variables as the relay reads them; default none (sandbox, SQLite at data/relay.db). */
  env?: Record<string, string | undefined>
  /** Overrides after the environment is read, e.g. `{ sqlitePath, retryBaseMs: 20 }`. */
  config?: Partial<Config>
  deps?: AppDeps
  /** Default: PORT / HOST of the config; pass 0 for a free port. */
  port?: number
  host?: string
}

export interface RunningRelay {
  app: FastifyInstance
  /** e.g. `http://127.0.0.1:41234`; the SDK's endpoint, and `${url}/sandbox` for the sandbox. */
  url: string
  close(): Promise<void>
}

/** Starts a relay in this process (tests, the demo, e2e): build, listen, and hand back its URL. */
export async function startRelay(options: StartRelayOptions = {}): Promise<RunningRelay> {
  const warnings: string[] = []
  const config = { ...loadConfig(options.env ?? {}, { onWarning: (line) => warnings.push(line) }), ...options.config }
  const app = await buildApp(config, options.deps)
  for (const line of warnings) app.log.warn(`UNKNOWN_SETTINGS=warn: ${line}`)
  try {
    await app.listen({ port: options.port ?? config.port, host: options.host ?? config.host })
  } catch (error) {
    await app.close()
    throw error
  }
  const address = app.server.address()
  const port = typeof address == 'object' && address ? address.port : config.port
  const host = options.host ?? config.host
  const shown = host == '0.0.0.0' || host == '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  return { app, url: `http://${shown}:${port}`, close: () => app.close() }
}
