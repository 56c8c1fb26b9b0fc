import type { Config } from '../ops/config.js'
import type { RelayMetrics } from '../ops/metrics.js'
import type { Store } from '../store/types.js'

/**
 * What every route that takes input shares: the settings it reads, its deps,
 * and the limits of its bodies. The routes import this module, and only
 * index.ts imports the routes.
 */

/** The SDK's keepalive fetch caps bodies at 64 KB, so nothing bigger is a real batch. */
export const MAX_BATCH_BYTES = 64 * 1024

/** Subscribe and identify bodies are a form's worth of fields. */
export const MAX_REQUEST_BYTES = 16 * 1024

/** Identify calls one visitor id may post per minute: a page load a second, and more. */
export const IDENTIFY_RATE_PER_VISITOR = 60

/** The settings the ingest routes read. */
export type IngestConfig = Pick<
  Config,
  | 'allowedOrigins'
  | 'ingestRatePerMinute'
  | 'anonymousEvents'
  | 'crawlerFilter'
  | 'heldMaxPerVisitor'
  | 'heldTtlMs'
  | 'subscribeRatePerMinute'
  | 'subscribeRatePerVisitor'
  | 'identifySecret'
  | 'identifyTrust'
  | 'serverToken'
  | 'visitorCookie'
  | 'visitorCookieDomain'
  | 'logLevel'
  | 'customEventTypes'
  | 'replayMode'
  | 'replayLiveMs'
  | TelegramSetting
>

/** The settings of the Telegram routes (ingest/telegram/). */
export type TelegramSetting =
  | 'telegramAppUuid'
  | 'telegramBotUsername'
  | 'telegramWebhookSecret'
  | 'telegramWelcomeText'
  | 'telegramLinkTtlMs'
  | 'telegramBrowserLinks'

export interface IngestOptions {
  config: IngestConfig
  store: Store
  metrics: RelayMetrics
  now: () => number
  /** Called after jobs were queued (or held history released), so the forwarder stops idling. */
  onQueued: () => void
}
