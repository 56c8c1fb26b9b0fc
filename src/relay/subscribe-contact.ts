import type { SubscribePayload } from './store/types.js'

/**
 * A stored subscribe request → eSputnik's Subscribe contact body
 * (`POST /api/v1/contact/subscribe`, seed 002), and its answer → contactId. Pure.
 */

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
