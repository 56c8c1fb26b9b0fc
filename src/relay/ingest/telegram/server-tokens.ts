import type { FastifyInstance } from 'fastify'
import { ValidationError } from '../../../wire/schema.js'
import { checkServerTelegramToken, checkServerTelegramTokens, type CheckedTelegramToken } from '../../../wire/telegram.js'
import { PATHS } from '../../../wire/types.js'
import type { ServerTelegramTokensResponse } from '../../../wire/server-types.js'
import { MAX_BATCH_BYTES, type IngestOptions } from '../options.js'
import { ownerOf } from './link.js'

/**
 * `POST /v1/server/telegram-tokens` from the backend of a shop that runs its
 * own bot (its context checks the bearer token): each chat id goes to its
 * contact, or to its visitor's (held until the visitor is linked). Every
 * token is answered accepted or refused with the reason; a bad one costs the
 * others nothing.
 */
export function serverTelegramTokensRoute(app: FastifyInstance, o: IngestOptions & { appUuid: string }) {
  app.post<{ Body: unknown }>(PATHS.serverTelegramTokens, { bodyLimit: MAX_BATCH_BYTES }, async (request, reply) => {
    const items = checkServerTelegramTokens(request.body) // a ValidationError of the envelope becomes 400
    const answers: ServerTelegramTokensResponse['tokens'] = []
    const accepted: { at: number; token: CheckedTelegramToken }[] = []
    for (const item of items) {
      try {
        const token = checkServerTelegramToken(item)
        accepted.push({ at: answers.length, token })
        answers.push({ chatId: token.chatId, accepted: true, held: false })
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        answers.push({ chatId: (item as { chatId?: unknown } | null)?.chatId ?? null, accepted: false, reason: error.message })
      }
    }
    if (accepted.length) {
      const at = o.now()
      const results = await o.store.addTelegramTokens(
        accepted.map(({ token }) => ({ appUuid: o.appUuid, chatId: token.chatId, owner: ownerOf(token.target), at })),
      )
      results.forEach((r, i) => (answers[accepted[i]!.at] = { chatId: accepted[i]!.token.chatId, accepted: true, held: r.token == 'held' }))
      if (results.some((r) => r.token == 'queued')) o.onQueued()
    }
    const answer: ServerTelegramTokensResponse = { tokens: answers }
    return reply.code(202).send(answer)
  })
}
