import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/relay/app.js'
import { loadConfig } from '../../src/relay/ops/config.js'
import { loginRoute } from './login.js'
import { ordersRoutes } from './orders.js'
import { shopRoutes } from './shop.js'
import { DEMO_TELEGRAM } from './telegram.js'

// This file runs as dist/demo/demo/server/app.js (tsconfig.demo.json): the repository is four folders up.
const ROOT = new URL('../../../../', import.meta.url)
const fromRoot = (path: string) => fileURLToPath(new URL(path, ROOT))

/**
 * The relay's settings for the demo. The environment may tune them, but the
 * demo never forwards to a real eSputnik account: a fake shop's events belong
 * in the sandbox. ANONYMOUS_EVENTS stays `hold`, so a visitor sees their
 * history join the contact when they subscribe or log in.
 */
export function demoRelayEnv(env: Record<string, string | undefined>, secret: string, serverToken = ''): Record<string, string | undefined> {
  return {
    LOG_LEVEL: 'warn',
    SQLITE_PATH: 'data/demo.db',
    // The shop and the relay share an origin, as in production behind a proxy:
    // the relay keeps the SDK's cookie alive past Safari's 7-day cap.
    VISITOR_COOKIE: 'sc',
    // The relay's own default is relative to dist/relay, not to this copy of it.
    SDK_FILE: fromRoot('dist/esputnik-tracker.min.js'),
    // The account page's "Get updates in Telegram": a demo bot, whose updates only a test posts.
    ...DEMO_TELEGRAM,
    // The product page's "Tell me when it's back" is a custom event; the browser may send only the types listed.
    CUSTOM_EVENT_TYPES: 'backInStockRequested',
    // A tour's history is minutes old: what is older than one minute when the visitor subscribes goes as past
    // events (the sandbox lists the call), the rest live (REPLAY_MODE=auto, the default).
    REPLAY_LIVE_MINUTES: '1',
    ...env,
    ESPUTNIK_API_KEY: '',
    ESPUTNIK_BASE_URL: undefined,
    IDENTIFY_SECRET: secret,
    // The shop's own backend (demo/server/orders.ts) calls the relay's /v1/server/* routes with it.
    ...(serverToken ? { SERVER_TOKEN: serverToken } : {}),
  }
}

export interface DemoApp {
  app: FastifyInstance
  /** The secret /demo/login signs with and the relay verifies identify with. */
  secret: string
  /** The relay's SERVER_TOKEN, which the shop's backend routes send. */
  serverToken: string
}

/** The relay (sandbox, SQLite) and the shop on one fastify instance, not listening yet. */
export async function buildDemoApp(env: Record<string, string | undefined>): Promise<DemoApp> {
  // A fresh secret per run unless one is given: a demo signature is only ever used at once.
  const secret = env.IDENTIFY_SECRET || randomBytes(32).toString('hex')
  const serverToken = env.SERVER_TOKEN || randomBytes(32).toString('hex')
  const app = await buildApp(loadConfig(demoRelayEnv(env, secret, serverToken)))
  await app.register(shopRoutes, {
    publicDir: fromRoot('demo/public/'),
    distDir: fromRoot('dist/'),
  })
  await app.register(loginRoute, { secret })
  await app.register(ordersRoutes, { serverToken })
  return { app, secret, serverToken }
}
