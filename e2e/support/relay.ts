import { expect } from '@playwright/test'
import type { EventBatch, WireEvent } from '../../src/wire/types.js'

/**
 * The few calls made to the fixture server: Playwright's `request` fixture has
 * them, and so does `createRelayRequests` (fetch) for the WebKit and Firefox runners.
 */
export interface RelayRequests {
  get(path: string): Promise<{ ok(): boolean; json(): Promise<unknown> }>
  post(path: string): Promise<{ ok(): boolean }>
  delete(path: string): Promise<{ ok(): boolean }>
}

/** The fixture server at `origin`, through fetch. */
export function createRelayRequests(origin: string): RelayRequests {
  const call = (method: string) => async (path: string) => {
    const res = await fetch(origin + path, { method })
    const text = await res.text()
    return { ok: () => res.ok, json: async () => JSON.parse(text) as unknown }
  }
  return { get: call('GET'), post: call('POST'), delete: call('DELETE') }
}

/** One POST the fixture server recorded (see e2e/fixture-server.mjs). */
export interface Recorded {
  receivedAt: number
  path: string
  /** What the fixture server answered: 202, or 503 while a failure was injected. */
  status: number
  contentType: string
  body: unknown
}

/** A received event with the batch it came in. */
export interface Received extends WireEvent {
  visitor: string
  receivedAt: number
}

/** Every POST the fixture server has recorded since the last clear, oldest first. */
export async function recorded(request: RelayRequests): Promise<Recorded[]> {
  const res = await request.get('/beacons')
  expect(res.ok()).toBe(true)
  return (await res.json()) as Recorded[]
}

export async function clearRelay(request: RelayRequests): Promise<void> {
  expect((await request.delete('/beacons')).ok()).toBe(true)
}

/** Makes the relay answer 503 to the next `n` posts (they are still recorded, with status 503). */
export async function failNextPosts(request: RelayRequests, n: number): Promise<void> {
  expect((await request.post(`/control/fail?n=${n}`)).ok()).toBe(true)
}

/**
 * Every event the relay accepted (202), in arrival order, repeats included.
 * Posts answered 503 are left out: the SDK saw the failure and must send again.
 */
export async function beacons(request: RelayRequests): Promise<Received[]> {
  const events: Received[] = []
  for (const r of await recorded(request)) {
    if (r.path != '/v1/e' || r.status != 202) continue
    const batch = r.body as EventBatch
    for (const e of batch.events) events.push({ ...e, visitor: batch.visitor, receivedAt: r.receivedAt })
  }
  return events
}

/**
 * The relay's view after its dedup on event id: each id once, at its first arrival.
 * Delivery is at-least-once (a send during unload is repeated by the next page
 * load), so repeats are normal; `repeats` counts them for the report.
 */
export function distinct(events: Received[]): Received[] {
  const seen = new Set<string>()
  return events.filter((e) => {
    if (seen.has(e.id)) return false
    seen.add(e.id)
    return true
  })
}

/** How often each repeated id arrived (ids that arrived once are left out). */
export function repeats(events: Received[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const e of events) counts[e.id] = (counts[e.id] ?? 0) + 1
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 1))
}

/** A short line per distinct event, so a failed wait shows what did arrive. */
export function summary(events: Received[]): string {
  const lines = distinct(events).map((e) => `${e.type} ${JSON.stringify(e.data)} ${e.id.slice(0, 8)}`)
  return lines.length ? lines.join('\n') : '(nothing received)'
}

/**
 * Polls the relay until `predicate` holds for the distinct events received (no
 * sleeps), and returns them. On timeout the failure shows what had arrived.
 */
export async function waitForEvents(
  request: RelayRequests,
  predicate: (events: Received[]) => boolean,
  { timeout = 10_000, message = 'events to reach the relay' } = {},
): Promise<Received[]> {
  let last: Received[] = []
  await expect
    .poll(
      async () => {
        last = distinct(await beacons(request))
        return predicate(last) ? 'arrived' : summary(last)
      },
      { timeout, message, intervals: [100, 250, 500] },
    )
    .toBe('arrived')
  return last
}

/** Events of one type whose data includes `data` (a shallow match). */
export function matching(events: Received[], type: string, data: Record<string, unknown> = {}): Received[] {
  const d = (e: Received) => e.data as unknown as Record<string, unknown>
  return events.filter((e) => e.type == type && Object.entries(data).every(([k, v]) => d(e)[k] === v))
}
