import underPressure from '@fastify/under-pressure'
import Fastify, { type FastifyInstance } from 'fastify'
import { createEsputnikClient, type EsputnikClient } from './esputnik/client.js'
import { createForwarder, type Forwarder } from './forward/forwarder.js'
import { ingestRoutes } from './ingest/index.js'
import { sdkScriptRoute } from './ingest/sdk-script.js'
import { serverEraseRoute } from './ingest/server-erase.js'
import { bootFacts, bootLine } from './ops/boot-line.js'
import type { Config } from './ops/config.js'
import { trackConnections } from './ops/drain.js'
import { handleError } from './ops/error-handler.js'
import { answerOversizedBodies } from './ops/oversized-body.js'
import { healthRoutes } from './ops/health.js'
import { createLoggerOptions } from './ops/log.js'
import { createMetrics, type RelayMetrics } from './ops/metrics.js'
import { createSandbox, type Sandbox } from './sandbox/index.js'
import { createPurger, type Purger } from './store/purger.js'
import { openStore } from './store/open.js'
import type { Store } from './store/types.js'

/** The impure parts, injectable so tests need no global mocks. */
export interface AppDeps {
  /** Default: PostgreSQL at `config.databaseUrl` if set, else SQLite at `config.sqlitePath`; closed with the app. An injected store is left open. */
  store?: Store
  fetch?: typeof fetch
  now?: () => number
  random?: () => number
  /** Where log lines go (default stdout); tests read them. */
  logStream?: { write(line: string): void }
}

export interface Relay {
  config: Config
  store: Store
  forwarder: Forwarder
  purger: Purger
  metrics: RelayMetrics
  client: EsputnikClient
  /** Present when there is no API key (or SANDBOX_CONTROL is on). */
  sandbox: Sandbox | undefined
}

declare module 'fastify' {
  interface FastifyInstance {
    relay: Relay
  }
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const
const atLeastWarn = (level: Config['logLevel']) => (LEVELS.indexOf(level) > LEVELS.indexOf('warn') ? level : 'warn')

/** The sandbox lives on this very server, so its URL is known only once listening. */
function ownOrigin(app: FastifyInstance): string {
  const address = app.server.address()
  if (!address || typeof address == 'string') throw new Error('the built-in sandbox is reachable only once the relay listens')
  const host = address.address == '0.0.0.0' ? '127.0.0.1' : address.address == '::' ? '::1' : address.address
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
}

/** The routes as the boot line names them (`POST /v1/e`), the sandbox's as one. */
function collectRoutes(app: FastifyInstance): Set<string> {
  const routes = new Set<string>()
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method == 'HEAD' || method == 'OPTIONS') continue
      routes.add(route.url.startsWith('/sandbox') ? '/sandbox/*' : `${method} ${route.url}`)
    }
  })
  return routes
}

/**
 * The relay as a fastify instance that is not listening yet: the store, the
 * forwarder and purger, the routes that take input, health and metrics, and
 * the sandbox when there is no API key. Each part gets the Config (typed as
 * the slice it reads) and its deps. Forwarding and purging start when it
 * listens (unless `config.autoStart` is false); closing it stops taking
 * requests, lets the calls to eSputnik in flight finish, and closes the store.
 */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<FastifyInstance> {
  const now = deps.now ?? Date.now
  const hops = config.trustProxy
  const app = Fastify({
    logger: { ...createLoggerOptions(config.logLevel), ...(deps.logStream ? { stream: deps.logStream } : {}) },
    // A hop count trusts the n nearest proxies (fastify's types lack the number form).
    trustProxy: typeof hops == 'number' ? (_address: string, i: number) => i < hops : hops,
  })
  const routes = collectRoutes(app)
  const store =
    deps.store ??
    (await openStore(config, {
      owner: true,
      onError: (err) => app.log.error({ err }, 'an idle PostgreSQL connection failed; the pool opens a new one'),
    }))
  const metrics = createMetrics({
    counts: () => store.counts(),
    onCountsError: (err) => app.log.warn({ err }, 'the store did not give /metrics its counts: store_up 0'),
    // Read at scrape time, once the forwarder exists.
    isBreakerOpen: () => forwarder.isBreakerOpen(),
    now,
    defaults: true,
  })
  const sandbox = !config.apiKey || config.sandboxControl ? createSandbox({ config, now }) : undefined
  const client = createEsputnikClient({
    baseUrl: config.baseUrl ?? (() => `${ownOrigin(app)}/sandbox`),
    // The sandbox only checks that some key is sent.
    apiKey: config.apiKey || 'sandbox',
    timeoutMs: config.upstreamTimeoutMs,
    fetch: deps.fetch,
    now,
  })
  const forwarder = createForwarder(config, { store, client, metrics, log: app.log.child({ component: 'forwarder' }), now, random: deps.random })
  const purger = createPurger({
    store,
    dedupMs: config.dedupMs,
    heldTtlMs: config.heldTtlMs,
    everyMs: config.purgeEveryMs,
    chunk: config.purgeChunk,
    now,
    log: app.log.child({ component: 'purger' }),
    onPurged: ({ held }) => metrics.heldDropped.inc({ reason: 'expired' }, held),
  })
  app.decorate('relay', { config, store, forwarder, purger, metrics, client, sandbox })

  app.setErrorHandler(handleError)
  answerOversizedBodies(app)
  // Sheds load with 503 + Retry-After when the event loop stalls, before requests time out in the browser.
  await app.register(underPressure, { maxEventLoopDelay: 1000, retryAfter: 10 })
  await app.register(ingestRoutes, { config, store, metrics, now, onQueued: () => forwarder.wake() })
  await app.register(sdkScriptRoute, { file: config.sdkFile })
  if (config.serverToken) await app.register(serverEraseRoute, { store, now, sandbox, serverToken: config.serverToken })
  // Probes and the sandbox are called many times a second; their access logs would drown the rest.
  const logLevel = atLeastWarn(config.logLevel)
  await app.register(healthRoutes, { store, metrics, now, pauses: () => forwarder.pauses(), isBreakerOpen: () => forwarder.isBreakerOpen(), logLevel })
  if (sandbox) await app.register(sandbox.plugin, { prefix: '/sandbox', logLevel })

  app.addHook('onListen', async () => {
    const facts = bootFacts(config, { sandboxUrl: `${ownOrigin(app)}/sandbox`, routes: [...routes], isStoreInjected: deps.store !== undefined })
    app.log.info({ boot: facts }, `esputnik-relay: ${bootLine(facts)}`)
  })
  if (config.autoStart) {
    app.addHook('onListen', async () => {
      forwarder.start()
      purger.start()
    })
  }
  const drain = trackConnections(app.server)
  app.addHook('preClose', async () => {
    await purger.stop()
    await forwarder.stop()
    drain.closeIdle()
  })
  app.addHook('onClose', async () => {
    if (!deps.store) await store.close()
  })
  return app
}
