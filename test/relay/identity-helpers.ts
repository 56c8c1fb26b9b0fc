import { randomUUID } from 'node:crypto'
import { signSubject } from '../../src/relay/ingest/auth.js'
import type { RecordedRequest } from '../../src/relay/sandbox/recorder.js'
import { startTestRelay, waitFor, type TestRelay } from './helpers.js'

/** What the identity tests share: a secret, request builders, and readers of what the sandbox recorded. */

export const SECRET = 'test-identify-secret-0123456789abcdef'
export const SERVER_TOKEN = 'test-server-token-0123456789abcdef'
export const TS = 1_732_379_999_000

export const sign = (subject: string) => signSubject(SECRET, subject)

/** A subscribe as the SDK posts it: what the site passed, plus v, id, ts and visitor. */
export const subscribeBody = (visitor: string, input: object, ts = TS + 60_000) => ({ ...input, v: 1, id: randomUUID(), ts, visitor })
export const identifyBody = subscribeBody

export type Param = { name: string; value: string | number }
export type EventBody = { eventTypeKey: string; keyValue: string; params: Param[] }

export const bodyOf = (r: RecordedRequest) => r.body as EventBody
export const paramOf = (r: RecordedRequest, name: string) => bodyOf(r).params.find((p) => p.name == name)?.value

/**
 * Starts a relay that holds anonymous events, checks signatures with SECRET,
 * and is not rate limited. Its replay goes through Generate event
 * (REPLAY_MODE=live), which these tests read; replay by age, which sends
 * this old history as past events, has its own (test/relay/forward/past-events.test.ts).
 */
export function startIdentityRelay(env: Record<string, string> = {}, options: Parameters<typeof startTestRelay>[0] = {}) {
  return startTestRelay({
    ...options,
    env: {
      ANONYMOUS_EVENTS: 'hold',
      REPLAY_MODE: 'live',
      IDENTIFY_SECRET: SECRET,
      SUBSCRIBE_RATE_PER_MINUTE: '100000',
      SUBSCRIBE_RATE_PER_VISITOR: '100000',
      ...env,
    },
  })
}

/** Waits until the sandbox has answered `count` Generate event calls 200, and returns them in arrival order. */
export const deliveries = (relay: TestRelay, count: number, timeoutMs?: number) =>
  waitFor(async () => {
    const list = await relay.delivered()
    return list.length >= count && list
  }, `${count} deliveries`, timeoutMs)

/** A metric's value, named with its labels as Prometheus prints them: `links_total{source="identify"}`. */
export async function metric(relay: TestRelay, name: string): Promise<number> {
  const text = await (await fetch(`${relay.url}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith(`esputnik_relay_${name} `))
  return Number(line?.split(' ').at(-1) ?? NaN)
}
