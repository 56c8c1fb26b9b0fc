import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import type { RecordedRequest } from '../../src/relay/sandbox/recorder.js'
import type { ServerOrdersResponse } from '../../src/wire/server-types.js'
import { upstreamBodyErrors } from '../support/openapi.js'
import { waitFor, type TestRelay } from './helpers.js'
import { SERVER_TOKEN } from './identity-helpers.js'

/** What the order tests share: the backend's call, the browser's purchase, and readers of what the sandbox recorded. */

export const ITEMS = [
  { productId: 'sku-1001', quantity: 2, price: 18.5, name: 'Sencha Kagoshima', category: 'tea' },
  { productId: 'sku-3001', quantity: 1, price: 15.5 },
]

/** An order as the shop's backend posts it; `who` names the visitor or the contact. */
export const backendOrder = (orderId: string, who: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  orderId,
  status: 'INITIALIZED',
  totalCost: 52.5,
  currencyCode: 'USD',
  date: new Date().toISOString(),
  items: ITEMS,
  ...who,
  ...extra,
})

/** `POST /v1/server/orders` as a shop's backend makes it. */
export async function postOrders(relay: Pick<TestRelay, 'url'>, orders: unknown[], token = SERVER_TOKEN): Promise<{ status: number; body: ServerOrdersResponse }> {
  const res = await fetch(`${relay.url}/v1/server/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ orders }),
  })
  return { status: res.status, body: (await res.json()) as ServerOrdersResponse }
}

/** The SDK's `purchased()` as a raw /v1/e beacon: an orderCreated event of the fixed wire format. */
export const purchaseBeacon = (visitor: string, orderId: string, recycleStateId: string) => ({
  v: 1,
  visitor,
  currencyCode: 'USD',
  events: [{ id: randomUUID(), type: 'orderCreated', ts: Date.now(), url: 'https://shop.example.com/thanks', data: { orderId, totalCost: 52.5, items: ITEMS, recycleStateId } }],
})

type Param = { name: string; value: unknown }
export interface SentOrderEvent {
  eventTypeKey: string
  keyValue: string
  /** Params by name. */
  named: Record<string, unknown>
}

const isOk = (r: RecordedRequest) => r.status >= 200 && r.status < 300

/** The order events (orderCreated…orderCancelled) the sandbox accepted, oldest first. */
export async function orderEvents(relay: TestRelay): Promise<SentOrderEvent[]> {
  return (await relay.recorded('/api/v2/event'))
    .filter((r) => isOk(r) && /^order[A-Z]/.test((r.body as { eventTypeKey: string }).eventTypeKey))
    .map((r) => {
      const body = r.body as { eventTypeKey: string; keyValue: string; params: Param[] }
      return { eventTypeKey: body.eventTypeKey, keyValue: body.keyValue, named: Object.fromEntries(body.params.map((p) => [p.name, p.value])) }
    })
}

/** Every order of the Add orders calls the sandbox answered 200, oldest first. */
export async function addedOrders(relay: TestRelay): Promise<Record<string, unknown>[]> {
  return (await relay.recorded('/api/v1/orders')).filter(isOk).flatMap((r) => (r.body as { orders: Record<string, unknown>[] }).orders)
}

/** Waits until `read` has at least `count` items, and returns them. */
export const atLeast = <T>(read: () => Promise<T[]>, count: number, what: string, timeoutMs?: number) =>
  waitFor(async () => {
    const list = await read()
    return list.length >= count && list
  }, what, timeoutMs)

/**
 * Waits until the sandbox's record has not grown for `quietMs` (longer than the
 * forwarder's poll and retry delays in these tests: 20 ms and 20–100 ms), so
 * a test can say nothing more went upstream.
 */
export async function untilQuiet(relay: TestRelay, quietMs = 600): Promise<RecordedRequest[]> {
  let last = await relay.recorded()
  let since = Date.now()
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    const now = await relay.recorded()
    if (now.length != last.length) {
      last = now
      since = Date.now()
    } else if (Date.now() - since >= quietMs) return now
  }
}

/** Every body eSputnik's sandbox accepted validates against eSputnik's own definition. */
export async function expectValidUpstream(relay: TestRelay): Promise<void> {
  const recorded = (await relay.recorded()).filter(isOk)
  expect(recorded.length).toBeGreaterThan(0)
  for (const r of recorded) expect(upstreamBodyErrors(r.path, r.body), `POST ${r.path}`).toEqual([])
}
