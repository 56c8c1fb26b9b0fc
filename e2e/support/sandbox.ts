import { expect, type APIRequestContext } from '@playwright/test'

// What the relay's built-in sandbox recorded (GET /sandbox/requests): the
// requests that would have reached eSputnik. Specs poll it, never sleep.

/** One recorded call (src/relay/sandbox/recorder.ts). */
export interface SandboxRequest {
  seq: number
  at: number
  method: string
  path: string
  /** 0 when the connection was reset on purpose. */
  status: number
  body: unknown
  reply: unknown
}

export interface EventParam {
  name: string
  value: string | number
}

/** A Generate event v2 body as eSputnik takes it. */
export interface GenerateEvent {
  eventTypeKey: string
  keyValue: string
  params: EventParam[]
}

export interface SubscribeContactBody {
  contact: { channels: { type: string; value: string }[]; firstName?: string; lastName?: string; externalCustomerId?: string }
  groups?: string[]
  formType?: string
}

/** A Generate event v2 call the sandbox accepted, with its params decoded. */
export interface SentEvent extends GenerateEvent {
  seq: number
  /** Params by name; JSON text (the form of eSputnik's web event examples) parsed back. */
  named: Record<string, unknown>
}

export const EVENT_PATH = '/api/v2/event'
export const SUBSCRIBE_PATH = '/api/v1/contact/subscribe'
const LOCATORS = ['contactId', 'externalCustomerId', 'email', 'phone']

const isOk = (r: SandboxRequest) => r.status >= 200 && r.status < 300

const decode = (value: unknown) => {
  if (typeof value != 'string' || !/^\s*[[{]/.test(value)) return value
  try {
    return JSON.parse(value) as unknown
  } catch {
    return value
  }
}

export async function sandboxRequests(request: APIRequestContext, since = 0): Promise<SandboxRequest[]> {
  const res = await request.get(`/sandbox/requests?since=${since}`)
  expect(res.ok(), 'GET /sandbox/requests').toBe(true)
  return ((await res.json()) as { requests: SandboxRequest[] }).requests
}

/** The newest seq so far: later checks can look only at what came after. */
export async function lastSeq(request: APIRequestContext): Promise<number> {
  return (await sandboxRequests(request)).at(-1)?.seq ?? 0
}

/** Generate event calls eSputnik would have accepted (2xx), oldest first. */
export function sentEvents(requests: SandboxRequest[]): SentEvent[] {
  return requests
    .filter((r) => r.path == EVENT_PATH && isOk(r))
    .map((r) => {
      const body = r.body as GenerateEvent
      return { ...body, seq: r.seq, named: Object.fromEntries(body.params.map((p) => [p.name, decode(p.value)])) }
    })
}

/** The events sent for a contact: any of its locators (email, externalCustomerId, contactId) among the params. */
export function eventsOf(requests: SandboxRequest[], ...locators: string[]): SentEvent[] {
  const wanted = new Set(locators.map(String))
  return sentEvents(requests).filter((e) => LOCATORS.some((name) => e.named[name] !== undefined && wanted.has(String(e.named[name]))))
}

/** Accepted Subscribe contact calls for this email. */
export function subscribesOf(requests: SandboxRequest[], email: string): SandboxRequest[] {
  return requests.filter(
    (r) => r.path == SUBSCRIBE_PATH && isOk(r) && (r.body as SubscribeContactBody).contact?.channels?.some((c) => c.value == email),
  )
}

/** One line per event, so a failed wait shows what did arrive. */
export function describeEvents(events: SentEvent[]): string {
  if (!events.length) return '(no events for this contact yet)'
  const detail = (e: SentEvent) => {
    const { contactId: _c, externalCustomerId: _x, email: _e, phone: _p, occurredAt: _o, ...rest } = e.named
    return JSON.stringify(rest)
  }
  return events.map((e) => `#${e.seq} ${e.eventTypeKey} ${detail(e)}`).join('\n')
}

/**
 * Polls the sandbox until `predicate` holds for what it recorded, and returns
 * the requests. On timeout the failure shows `describe` of the last poll.
 */
export async function waitForSandbox(
  request: APIRequestContext,
  predicate: (requests: SandboxRequest[]) => boolean,
  { timeout = 20_000, message = 'requests to reach the sandbox', describe = (rs: SandboxRequest[]) => describeEvents(sentEvents(rs)) } = {},
): Promise<SandboxRequest[]> {
  let last: SandboxRequest[] = []
  await expect
    .poll(
      async () => {
        last = await sandboxRequests(request)
        return predicate(last) ? 'arrived' : describe(last)
      },
      { timeout, message, intervals: [100, 250, 500] },
    )
    .toBe('arrived')
  return last
}

/** Waits until the contact's events satisfy `predicate`; returns them, oldest first. */
export async function waitForEventsOf(
  request: APIRequestContext,
  locators: string[],
  predicate: (events: SentEvent[]) => boolean,
  options: { timeout?: number; message?: string } = {},
): Promise<SentEvent[]> {
  const requests = await waitForSandbox(request, (rs) => predicate(eventsOf(rs, ...locators)), {
    ...options,
    describe: (rs) => describeEvents(eventsOf(rs, ...locators)),
  })
  return eventsOf(requests, ...locators)
}

/** Waits for eSputnik's Subscribe contact for this email and returns the contactId it answered. */
export async function waitForSubscribe(request: APIRequestContext, email: string): Promise<{ contactId: string; body: SubscribeContactBody }> {
  const requests = await waitForSandbox(request, (rs) => subscribesOf(rs, email).length > 0, {
    message: `Subscribe contact for ${email}`,
    describe: (rs) => rs.filter((r) => r.path == SUBSCRIBE_PATH).map((r) => `${r.status} ${JSON.stringify(r.body)}`).join('\n') || '(no Subscribe contact yet)',
  })
  const first = subscribesOf(requests, email)[0]!
  return { contactId: String((first.reply as { id: number | string }).id), body: first.body as SubscribeContactBody }
}

/** Makes the sandbox answer the next `count` calls with `status` (needs SANDBOX_CONTROL on). */
export async function failUpstream(request: APIRequestContext, status: number, count: number): Promise<void> {
  expect((await request.post('/sandbox/faults', { data: { status, count } })).ok(), 'POST /sandbox/faults').toBe(true)
}

export async function clearUpstreamFaults(request: APIRequestContext): Promise<void> {
  expect((await request.delete('/sandbox/faults')).ok(), 'DELETE /sandbox/faults').toBe(true)
}

/** Events of one type whose params include `params` (decoded values compared deeply by JSON). */
export function withType(events: SentEvent[], type: string, params: Record<string, unknown> = {}): SentEvent[] {
  return events.filter(
    (e) => e.eventTypeKey == type && Object.entries(params).every(([k, v]) => JSON.stringify(e.named[k]) == JSON.stringify(v)),
  )
}

/** productViewed or productAddedToWishlist events of one product. */
export function withProduct(events: SentEvent[], type: string, productId: string): SentEvent[] {
  return events.filter((e) => e.eventTypeKey == type && (e.named.product as { productId?: string } | undefined)?.productId == productId)
}

/** A cartUpdated's lines as `productId×quantity`, e.g. `['2002×1', '3001×2']`. */
export const cartLines = (e: SentEvent): string[] =>
  (e.named.products as { productId: string; quantity: number }[]).map((p) => `${p.productId}×${p.quantity}`)

/** A pageViewed's page.location. */
export const locationOf = (e: SentEvent): string => (e.named.page as { location: string }).location
