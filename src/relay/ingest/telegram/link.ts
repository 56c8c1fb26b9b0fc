import type { FastifyInstance } from 'fastify'
import { checkServerTelegramLink, checkTelegramLink, type TelegramTarget } from '../../../wire/telegram.js'
import { PATHS, type TelegramLinkResponse } from '../../../wire/types.js'
import type { TelegramOwner } from '../../store/telegram-types.js'
import { MAX_REQUEST_BYTES, type IngestOptions } from '../options.js'
import { limitPerVisitor } from '../visitor-limit.js'
import { hashCode, newCode, telegramLinkUrl } from './codes.js'

/**
 * The links that open the shop's bot with a one-time code bound to a
 * visitor (or to a contact the shop's backend names). Whoever holds a
 * visitor id can mint one for it, so a code is one-time, expires after
 * TELEGRAM_LINK_TTL_MINUTES and says nothing of the visitor; visitor ids
 * stay out of the URL and the logs.
 */

/** Links one visitor id may mint per minute: a page that fetches one on load, reloaded often. */
export const TELEGRAM_LINKS_PER_VISITOR = 20

/** The settings a link needs: the bot's name, and the webhook (its secret) that gets the `/start`. */
export interface TelegramLinkOptions extends IngestOptions {
  bot: string
}

/** A link with a new code for `owner`, stored before it is handed out. */
export async function mintTelegramLink(o: TelegramLinkOptions, owner: TelegramOwner): Promise<TelegramLinkResponse> {
  const code = newCode()
  const at = o.now()
  await o.store.addTelegramCode({ codeHash: hashCode(code), owner, at, expiresAt: at + o.config.telegramLinkTtlMs })
  return { url: telegramLinkUrl(o.bot, code) }
}

export const ownerOf = (target: TelegramTarget): TelegramOwner =>
  'visitorId' in target ? { visitor: target.visitorId } : { locators: target.contact }

/** The bot's name when the link and webhook routes exist: TELEGRAM_APP_UUID, TELEGRAM_BOT_USERNAME and TELEGRAM_WEBHOOK_SECRET are set. */
export const linkBot = (o: IngestOptions): string | undefined => {
  const { telegramAppUuid, telegramBotUsername, telegramWebhookSecret } = o.config
  return telegramAppUuid && telegramWebhookSecret ? telegramBotUsername : undefined
}

/**
 * `POST /v1/telegram/link` from the SDK (`tracker.telegramLink()`), in the
 * browsers' context: CORS, the per-IP limit of `/v1/e`, and a limit per
 * visitor. Anonymous and linked visitors alike; TELEGRAM_BROWSER_LINKS=off
 * leaves the route out.
 */
export function telegramLinkRoute(app: FastifyInstance, o: IngestOptions) {
  const bot = linkBot(o)
  if (!bot || !o.config.telegramBrowserLinks) return
  app.post<{ Body: unknown }>(
    PATHS.telegramLink,
    {
      bodyLimit: MAX_REQUEST_BYTES,
      config: { rateLimit: { max: o.config.ingestRatePerMinute, timeWindow: 60_000 } },
      preHandler: limitPerVisitor(app, TELEGRAM_LINKS_PER_VISITOR),
    },
    async (request) => {
      const { visitor } = checkTelegramLink(request.body) // a ValidationError becomes 400 with its reason
      return mintTelegramLink({ ...o, bot }, { visitor })
    },
  )
}

/** `POST /v1/server/telegram-link` from the shop's backend (its context checks the bearer token): a visitor or a contact → `{url}`. */
export function serverTelegramLinkRoute(app: FastifyInstance, o: TelegramLinkOptions) {
  app.post<{ Body: unknown }>(PATHS.serverTelegramLink, { bodyLimit: MAX_REQUEST_BYTES }, async (request) =>
    mintTelegramLink(o, ownerOf(checkServerTelegramLink(request.body))),
  )
}
