import type { FastifyInstance, FastifyRequest } from 'fastify'
import { PATHS } from '../../../wire/types.js'
import type { TelegramUpdateResult } from '../../store/telegram-types.js'
import type { IngestOptions } from '../options.js'
import { isWebhookSecret } from './codes.js'
import { readUpdate } from './updates.js'
import { welcomeReply } from './welcome.js'

/** Telegram's updates are small; a long message with its entities stays far below this. */
export const MAX_UPDATE_BYTES = 256 * 1024

export interface TelegramWebhookOptions extends IngestOptions {
  appUuid: string
  secret: string
}

function parseJson(_request: FastifyRequest, body: string, done: (err: Error | null, body?: unknown) => void) {
  try {
    done(null, JSON.parse(body))
  } catch (error) {
    done(Object.assign(new Error(`body is not valid JSON: ${(error as Error).message}`), { statusCode: 400 }))
  }
}

/** The metric label of what an update did. */
const outcomeOf = (r: TelegramUpdateResult) => (r.token == 'held' ? 'held' : r.outcome)

/**
 * `POST /v1/telegram/webhook`, the URL the shop gives setWebhook with its
 * `secret_token`. A request without that secret in
 * `X-Telegram-Bot-Api-Secret-Token` is refused with 401 before its body is
 * read. Telegram retries any answer but 2xx, so every update is answered 200
 * once its effect is committed (a duplicate, a used or expired code, a group
 * chat, an edited message: no call), and only a body that is no update gets
 * 400. A store that cannot commit answers 5xx, so Telegram sends it again.
 */
export async function telegramWebhookRoute(app: FastifyInstance, o: TelegramWebhookOptions) {
  app.removeContentTypeParser(['application/json', 'text/plain'])
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string', bodyLimit: MAX_UPDATE_BYTES }, parseJson)
  app.addHook('onRequest', async (request, reply) => {
    if (isWebhookSecret(request.headers['x-telegram-bot-api-secret-token'], o.secret)) return
    return reply.code(401).send({ error: 'X-Telegram-Bot-Api-Secret-Token is missing or wrong' })
  })
  app.post<{ Body: unknown }>(PATHS.telegramWebhook, { bodyLimit: MAX_UPDATE_BYTES }, async (request, reply) => {
    const update = readUpdate(request.body) // a ValidationError becomes 400 with its reason
    if (update.kind == 'ignored') {
      o.metrics.telegramUpdates.inc({ outcome: 'ignored' })
      return reply.code(200).send()
    }
    const { updateId, chatId, action } = update
    const result = await o.store.applyTelegramUpdate({ appUuid: o.appUuid, updateId, chatId, action, at: o.now() })
    if (result.token == 'queued') o.onQueued()
    o.metrics.telegramUpdates.inc({ outcome: outcomeOf(result) })
    // Neither the chat nor the visitor: what happened is enough to follow the flow.
    request.log.info({ updateId, outcome: result.outcome, reason: result.reason, token: result.token }, 'telegram update')
    const welcome = o.config.telegramWelcomeText
    const greets = result.outcome == 'bound' || (result.outcome == 'again' && action.kind == 'start')
    if (welcome && greets) return reply.code(200).send(welcomeReply(welcome, chatId, result.locators))
    return reply.code(200).send()
  })
}
