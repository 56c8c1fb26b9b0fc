import { afterEach } from 'vitest'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AppDeps } from '../../src/relay/app.js'
import type { Config } from '../../src/relay/ops/config.js'
import type { Locators } from '../../src/relay/esputnik/locators.js'
import type { RecordedRequest, SandboxFaults } from '../../src/relay/sandbox/recorder.js'
import type { Store } from '../../src/relay/store/types.js'
import { startRelay, type RunningRelay } from '../../src/relay/start-relay.js'
import type { EventBatch, EventDataMap, EventType, WireEvent } from '../../src/wire/types.js'

export const tempDir = () => mkdtempSync(join(tmpdir(), 'esputnik-relay-'))

/**
 * Polls `check` until it returns a truthy value (an array must be non-empty);
 * fails with `what` after the deadline. Tests wait on conditions, never on bare sleeps.
 */
type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>

export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 8000): Promise<Truthy<Awaited<T>>> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value && !(Array.isArray(value) && value.length == 0)) return value as Truthy<Awaited<T>>
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, 15))
  }
}

export function wireEvent<T extends EventType>(type: T, data: EventDataMap[T], extra: Partial<WireEvent> = {}): WireEvent {
  return { id: randomUUID(), type, ts: 1_732_379_999_000, url: 'https://shop.example.com/p/1', data, ...extra } as WireEvent
}

/**
 * Links a visitor straight in the store, from the start of time (so no event
 * counts as history from before the link) and replaying what is held.
 */
export const linkTo = (store: Store, visitor: string, locators: Locators) =>
  store.linkVisitor({ visitor, locators, since: 0, heldAfter: 0, at: Date.now() })

/** A batch as the SDK posts it (no `sent`). */
export const batchOf = (visitor: string, events: WireEvent[]): EventBatch => ({ v: 1, visitor, events })

export interface TestRelay extends RunningRelay {
  dir: string
  /** POST /v1/e with a JSON body as text/plain, like the SDK. */
  send(batch: unknown, headers?: Record<string, string>): Promise<Response>
  /** POST a JSON body as text/plain to any path, e.g. `/v1/subscribe`. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>
  /** Requests the sandbox recorded, oldest first. */
  recorded(path?: string): Promise<RecordedRequest[]>
  /** Generate event calls the sandbox answered 200. */
  delivered(): Promise<RecordedRequest[]>
  faults(plan: Partial<SandboxFaults>): Promise<void>
  /** Closes the relay; removes its folder unless `keep`. */
  stop(keep?: boolean): Promise<void>
}

/**
 * A real relay on a loopback port, forwarding to its own sandbox over HTTP,
 * with a SQLite file in a temp folder and short retry/poll times.
 */
export async function startTestRelay(
  options: { env?: Record<string, string>; config?: Partial<Config>; dir?: string; deps?: AppDeps } = {},
): Promise<TestRelay> {
  const dir = options.dir ?? tempDir()
  const relay = await startRelay({
    env: {
      LOG_LEVEL: 'silent',
      SQLITE_PATH: join(dir, 'relay.db'),
      SANDBOX_CONTROL: 'true',
      ANONYMOUS_EVENTS: 'forward',
      ...options.env,
    },
    config: { retryBaseMs: 20, retryMaxMs: 100, idlePollMs: 20, authPauseMs: 600, forwardStartDelayMs: 0, ...options.config },
    deps: options.deps,
    port: 0,
    host: '127.0.0.1',
  })
  const { url } = relay
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers },
      body: typeof body == 'string' ? body : JSON.stringify(body),
    })
  const recorded = async (path?: string) => {
    const res = await fetch(`${url}/sandbox/requests${path ? `?path=${encodeURIComponent(path)}` : ''}`)
    return ((await res.json()) as { requests: RecordedRequest[] }).requests
  }
  let stopped: Promise<unknown> | undefined
  return {
    ...relay,
    dir,
    send: (batch, headers = {}) => post('/v1/e', batch, headers),
    post,
    recorded,
    delivered: async () => (await recorded('/api/v2/event')).filter((r) => r.status == 200),
    async faults(plan) {
      await fetch(`${url}/sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(plan),
      })
    },
    // Safe to call twice: a test may stop a relay itself before the cleanup does.
    async stop(keep = false) {
      stopped ??= relay.close()
      await stopped
      if (!keep) rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * A `start` for a test file: every relay it starts is stopped after each
 * test, so a failing test leaves no server or open database behind.
 */
export function stoppedAfterEach<A extends unknown[]>(starter: (...args: A) => Promise<TestRelay>) {
  let relays: TestRelay[] = []
  afterEach(async () => {
    await Promise.all(relays.map((relay) => relay.stop()))
    relays = []
  })
  return async (...args: A) => {
    const relay = await starter(...args)
    relays.push(relay)
    return relay
  }
}
