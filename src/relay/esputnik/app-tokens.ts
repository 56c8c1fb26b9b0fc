import type { TokensJob } from '../store/types.js'
import { MappingError } from './errors.js'
import type { Locators } from './locators.js'
import type { Operation } from './operation.js'

/**
 * Add application tokens (`POST /api/v1/apps/{app_uuid}/tokens`,
 * docs/esputnik-api.md "App tokens (Telegram)"): a Telegram chat's id goes to
 * the bot's app in eSputnik as the token of a contact. Many tokens a call;
 * tokens of two apps never share one (the app is in the path).
 */

export const appTokensPath = (appUuid: string) => `/api/v1/apps/${encodeURIComponent(appUuid)}/tokens`

/** One token of the body (schema AppToken): `contactId` is an integer. */
export interface AppToken {
  token: string
  contactId?: number
  externalCustomerId?: string
  phone?: string
  email?: string
}

export interface AppTokensItem {
  appUuid: string
  token: AppToken
}

/** The call: the app it goes to, and the body `{tokens}`. */
export interface AppTokensCall {
  appUuid: string
  body: { tokens: AppToken[] }
}

/** No limit is documented; a call this size stays far below any body limit (a token is ~100 bytes). */
export const MAX_TOKENS_PER_CALL = 100

/**
 * Pure: the token with the one identifier eSputnik finds the contact by, in
 * its lookup order contactId → externalCustomerId → phone → email. Only one
 * goes: eSputnik would create a contact with the others when the first does
 * not match, and the relay's link names one contact.
 */
export function buildAppToken(chatId: string, locators: Locators | null): AppToken {
  const contactId = Number(locators?.contactId)
  if (locators?.contactId && Number.isSafeInteger(contactId)) return { token: chatId, contactId }
  for (const key of ['externalCustomerId', 'phone', 'email'] as const) {
    const value = locators?.[key]
    if (value) return { token: chatId, [key]: value }
  }
  throw new MappingError('the token has no contact: no contactId, externalCustomerId, phone or email')
}

/** Every tokens job, up to MAX_TOKENS_PER_CALL a call per app, on the `tokens` budget; 429/5xx retried, 400/404 dead letters. */
export const appTokens: Operation<AppTokensItem, AppTokensCall, TokensJob> = {
  name: 'app-tokens',
  budget: 'tokens',
  scope: 'Apps',
  maxBatch: MAX_TOKENS_PER_CALL,
  accepts: (job): job is TokensJob => job.kind == 'tokens',
  toItem: (job) => ({ appUuid: job.tokens.appUuid, token: buildAppToken(job.tokens.chatId, job.locators) }),
  batchKey: (item) => item.appUuid,
  toBody: (items) => ({ appUuid: items[0]!.appUuid, body: { tokens: items.map((i) => i.token) } }),
  send: (client, call) => client.post(appTokensPath(call.appUuid), call.body),
}
