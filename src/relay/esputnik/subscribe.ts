import { locatorsOf } from '../store/links.js'
import type { SubscribeJob, SubscribePayload } from '../store/types.js'
import { classifyStatus, type ClassifyStatus } from './client.js'
import type { Operation } from './operation.js'

/**
 * Subscribe contact (`POST /api/v1/contact/subscribe`, docs/esputnik-api.md
 * "Subscribe contact"): a stored subscribe request becomes one call, and its
 * success links the request's visitor to the contact.
 */

export const PATH_SUBSCRIBE_CONTACT = '/api/v1/contact/subscribe'

export interface SubscribeContactBody {
  contact: {
    channels: { type: 'email' | 'sms'; value: string }[]
    firstName?: string
    lastName?: string
    externalCustomerId?: string
    fields?: { id: string | number; value: string }[]
  }
  groups?: string[]
  formType?: string
}

const some = <T extends object>(entries: T) =>
  Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as Partial<T>

/** Pure: the body of one stored request; only the fields it was given. */
export function buildSubscribeBody(s: SubscribePayload): SubscribeContactBody {
  const channels: SubscribeContactBody['contact']['channels'] = [
    ...(s.email ? [{ type: 'email' as const, value: s.email }] : []),
    ...(s.phone ? [{ type: 'sms' as const, value: s.phone }] : []),
  ]
  const { firstName, lastName, externalCustomerId, fields, groups, formType } = s
  return {
    contact: { channels, ...some({ firstName, lastName, externalCustomerId, fields }) },
    ...some({ groups, formType }),
  }
}

/**
 * eSputnik's numeric contact id from a 200 answer (`{"id": 123}`); undefined
 * for a 409 (a repeat within a minute) or anything else.
 */
export function contactIdOf(reply: { status: number; body: string }): string | undefined {
  if (reply.status != 200) return
  try {
    const id = (JSON.parse(reply.body) as { id?: unknown }).id
    if ((typeof id == 'number' && Number.isSafeInteger(id)) || (typeof id == 'string' && /^\d{1,20}$/.test(id))) return String(id)
  } catch {}
}

/** 409 is eSputnik's answer to the same request within a minute: it has it, so it is done. */
export const classifySubscribe: ClassifyStatus = (status) => (status == 409 ? 'ok' : classifyStatus(status))

/**
 * Every subscribe job, one a call, on the `subscribe` budget. On success the
 * visitor is linked to the identifier the contact is matched by, plus the
 * contactId of a 200 answer, from the request's own ts on.
 */
export const subscribeContact: Operation<SubscribeContactBody, SubscribeContactBody, SubscribeJob> = {
  name: 'subscribe',
  budget: 'subscribe',
  scope: 'Contacts',
  maxBatch: 1,
  accepts: (job): job is SubscribeJob => job.kind == 'subscribe',
  toItem: (job) => buildSubscribeBody(job.subscribe),
  toBody: (items) => items[0]!,
  send: (client, body) => client.post(PATH_SUBSCRIBE_CONTACT, body, classifySubscribe),
  results: (reply, jobs) =>
    jobs.map((job) => ({ outcome: 'sent', link: { locators: locatorsOf(job.subscribe, contactIdOf(reply)), since: job.subscribe.ts } })),
}
