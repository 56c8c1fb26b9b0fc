import type { FastifyInstance } from 'fastify'
import { isBearer } from '../auth.js'
import type { IngestOptions } from '../options.js'
import { linkBot, serverTelegramLinkRoute } from './link.js'
import { serverTelegramTokensRoute } from './server-tokens.js'
import { telegramWebhookRoute } from './webhook.js'

export { telegramLinkRoute } from './link.js'

/** The shop's backend's Telegram routes, in a context of their own that checks `Authorization: Bearer <SERVER_TOKEN>` first. */
async function serverRoutes(app: FastifyInstance, o: IngestOptions & { serverToken: string; appUuid: string }) {
  // Checked before the body is read: an unauthenticated caller learns nothing, not even a 400.
  app.addHook('onRequest', async (request, reply) => {
    if (isBearer(request.headers.authorization, o.serverToken)) return
    return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'Authorization: Bearer <SERVER_TOKEN> is missing or wrong' })
  })
  serverTelegramTokensRoute(app, o)
  const bot = linkBot(o)
  if (bot) serverTelegramLinkRoute(app, { ...o, bot })
}

/**
 * The Telegram routes but the browsers' link (which lives with the other
 * browser routes, index.ts of ingest/): the webhook when TELEGRAM_APP_UUID,
 * TELEGRAM_BOT_USERNAME and TELEGRAM_WEBHOOK_SECRET are set (ops/telegram-settings.ts
 * refuses a partial set at boot); the backend's routes when SERVER_TOKEN and
 * TELEGRAM_APP_UUID are (its link route only with the webhook that gets the `/start`).
 */
export async function telegramRoutes(app: FastifyInstance, o: IngestOptions) {
  const { telegramAppUuid: appUuid, telegramWebhookSecret: secret, serverToken } = o.config
  if (appUuid && secret && linkBot(o)) await app.register(telegramWebhookRoute, { ...o, appUuid, secret })
  if (appUuid && serverToken) await app.register(serverRoutes, { ...o, serverToken, appUuid })
}
