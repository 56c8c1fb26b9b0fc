/**
 * What the shop's backend sends to the relay's `/v1/server/*` routes (each
 * with `Authorization: Bearer <SERVER_TOKEN>`) and what they answer; the
 * browser's requests are in types.ts, the orders' body in orders.ts.
 */

/** `POST {relay}/v1/server/identify` from the site's backend, with `Authorization: Bearer <SERVER_TOKEN>`. */
export interface ServerIdentifyRequest {
  visitorId: string
  externalCustomerId?: string
  email?: string
  phone?: string
}

/** `POST {relay}/v1/server/telegram-link`, Bearer SERVER_TOKEN: one of these, answered 200 with a TelegramLinkResponse (types.ts). */
export interface ServerTelegramLinkRequest {
  visitorId?: string
  externalCustomerId?: string
  email?: string
  phone?: string
}

/** `POST {relay}/v1/server/telegram-tokens`, Bearer SERVER_TOKEN: chats of the shop's own bot. */
export interface ServerTelegramTokensRequest {
  tokens: { chatId: string | number; contactId?: string | number; externalCustomerId?: string; email?: string; phone?: string; visitorId?: string }[]
}

/** Its answer: every token, in order, accepted (`held` until its visitor is linked) or refused with the reason. */
export interface ServerTelegramTokensResponse {
  tokens: ({ chatId: string; accepted: true; held: boolean } | { chatId: unknown; accepted: false; reason: string })[]
}

/** `POST {relay}/v1/server/erase`, Bearer SERVER_TOKEN: exactly one of these (checked by src/wire/erase.ts). */
export type EraseRequest = { visitorId: string } | { email: string } | { phone: string } | { externalCustomerId: string } | { contactId: string | number }

/** The answer to an erase, 200: what was removed, counted by kind; zeros when nothing matched. */
export interface EraseResponse {
  erased: {
    /** Visitors that had a link or a job: none is linked now. */
    visitors: number
    links: number
    /** Jobs reduced to their id for dedup, by kind (event, subscribe…) and by the state they were in. */
    jobs: Record<string, { held: number; queued: number; sent: number; dead: number }>
    /** Rows deleted from the other tables that name a visitor or a contact, by table. */
    tables: Record<string, number>
    /** Requests the built-in sandbox had recorded with one of the person's identifiers (0 without a sandbox). */
    sandboxRequests: number
  }
}

/**
 * The answer to `POST {relay}/v1/server/orders` (its body: `{orders: ServerOrder[]}`, src/wire/orders.ts):
 * every order, in order, accepted (`held` until its visitor is linked; `duplicate` when this orderId and
 * status were stored before) or refused with the reason.
 */
export interface ServerOrdersResponse {
  orders: ({ orderId: string; status: string; accepted: true; held: boolean; duplicate?: true } | { orderId?: string; accepted: false; reason: string })[]
}

/** A contact as the shop's backend names it on an event or to the Telegram routes; `contactId` is eSputnik's, as digits. */
export interface ServerContact {
  contactId?: string
  externalCustomerId?: string
  email?: string
  phone?: string
}

/** One event of `POST {relay}/v1/server/events`: for a visitor, or for a contact by its identifiers. */
export type ServerEventInput = {
  id: string
  type: string
  ts: number
  url?: string
  data?: Record<string, unknown>
} & ({ visitorId: string } | { contactId?: string | number; externalCustomerId?: string | number; email?: string; phone?: string })

/** `POST {relay}/v1/server/events`, Bearer SERVER_TOKEN: up to 500 events. */
export interface ServerEventsRequest {
  events: ServerEventInput[]
}

/**
 * Its answer (202, once the accepted events are committed): every event, in
 * order, accepted (`held` until its visitor is linked; a resent id is
 * accepted and stored once) or refused with the reason.
 */
export interface ServerEventsResponse {
  accepted: number
  rejected: { id: string; reason: string }[]
  events: ({ id: string; accepted: true; held: boolean } | { id: string; accepted: false; reason: string })[]
}
