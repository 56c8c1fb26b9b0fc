import { setTimeout as delay } from 'node:timers/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../ops/config.js'
import { answerOrders, checkOrdersCall } from './orders.js'
import { answerPastEvents, checkPastEvents } from './past-events.js'
import { renderPage } from './page.js'
import { mentionsAny } from './forget.js'
import { createFaults, createRecorder, createWindowCounter, type Faults, type Recorder, type SandboxFaults } from './recorder.js'
import { checkGenerateEvent, checkSubscribe, checkTokens } from './rules.js'

/**
 * A local stand-in for eSputnik under `/sandbox`, answering like it does
 * (200, 400 with a message, 401, 409, 415, 429) and recording every request.
 */

/** The settings the sandbox reads: SANDBOX_CONTROL enables the fault and reset endpoints (never on in production), SANDBOX_FAIL_* etc. the first faults. */
export type SandboxConfig = Pick<
  Config,
  'sandboxControl' | 'sandboxFailStatus' | 'sandboxFailCount' | 'sandboxLatencyMs' | 'sandboxResetCount' | 'anonymousEvents'
>

export interface SandboxOptions {
  config: SandboxConfig
  now?: () => number
}

/** A line for the page: why the events of a new visitor do not show yet. */
const HELD_NOTE =
  'Events of visitors not linked to a contact yet are held (ANONYMOUS_EVENTS=hold); set ANONYMOUS_EVENTS=forward to see them here at once.'

export interface Sandbox {
  recorder: Recorder
  faults: Faults
  plugin: (app: FastifyInstance) => Promise<void>
  /** Forgets what it recorded of a person (see forget.ts); returns the requests forgotten. */
  forget(identifiers: string[]): number
}

interface RawBody {
  text: string
  json?: unknown
  error?: string
}

const DUPLICATE_WINDOW_MS = 60_000

const hasBasicAuth = (header: string | undefined) => {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '')
  const decoded = m ? Buffer.from(m[1]!, 'base64').toString() : ''
  return decoded.includes(':') && decoded.slice(decoded.indexOf(':') + 1) != ''
}

type Answer = { status: number; reply: unknown }
type Check = (json: unknown, bytes: number) => string | undefined

/** eSputnik's order as far as it shows: limits and auth first, then the body. */
function decide(
  injected: number | undefined,
  limit: { isOver(): boolean },
  authorized: boolean,
  raw: RawBody,
  check: Check,
  succeed: (json: unknown) => Answer,
): Answer {
  if (injected) return { status: injected, reply: `Injected fault ${injected}` }
  if (limit.isOver()) return { status: 429, reply: 'Too Many Requests' }
  if (!authorized) return { status: 401, reply: 'Unauthorized: use Basic auth with the API key as password' }
  if (raw.error == 'media') return { status: 415, reply: 'Unsupported Media Type: send application/json' }
  if (raw.error) return { status: 400, reply: raw.error }
  const problem = check(raw.json, Buffer.byteLength(raw.text))
  return problem ? { status: 400, reply: problem } : succeed(raw.json)
}

export function createSandbox(o: SandboxOptions): Sandbox {
  const now = o.now ?? Date.now
  const recorder = createRecorder()
  const { sandboxControl, sandboxFailStatus, sandboxFailCount, sandboxLatencyMs, sandboxResetCount } = o.config
  const faults = createFaults({
    status: sandboxFailStatus,
    count: sandboxFailStatus === undefined ? 0 : sandboxFailCount,
    latencyMs: sandboxLatencyMs,
    resets: sandboxResetCount,
  })
  // eSputnik's limits: 350/s for events, 100/s for past events, 200/s for everything else (docs/esputnik-api.md, "Rate limits").
  const limits = { event: createWindowCounter(350, now), subscribe: createWindowCounter(200, now), tokens: createWindowCounter(200, now), orders: createWindowCounter(200, now), past: createWindowCounter(100, now) }
  const subscribes = new Map<string, number>()
  const contactIds = new Map<string, number>()
  let nextContactId = 100_001

  function subscribe(json: unknown): Answer {
    const key = JSON.stringify(json)
    const t = now()
    for (const [k, at] of subscribes) if (at <= t - DUPLICATE_WINDOW_MS) subscribes.delete(k)
    if (subscribes.has(key)) return { status: 409, reply: 'Duplicated request' }
    subscribes.set(key, t)
    const contact = (json as { contact: { externalCustomerId?: string; channels: { value: string }[] } }).contact
    const identity = contact.externalCustomerId || contact.channels[0]!.value
    if (!contactIds.has(identity)) contactIds.set(identity, nextContactId++)
    return { status: 200, reply: { id: contactIds.get(identity) } }
  }

  const api =
    (limit: { isOver(): boolean }, check: Check, succeed: (json: unknown) => Answer) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const at = now()
      const raw = (request.body as RawBody | undefined) ?? { text: '' }
      const fault = faults.take()
      const authorized = hasBasicAuth(request.headers.authorization)
      const record = (a: Answer) =>
        recorder.add({ at, method: request.method, path: request.url.replace(/^\/sandbox/, '').split('?')[0]!, status: a.status, authorized, body: raw.json ?? raw.text, reply: a.reply })
      if (fault.latencyMs) await delay(fault.latencyMs)
      if (fault.reset) {
        record({ status: 0, reply: 'connection reset (injected)' })
        reply.hijack()
        request.raw.socket.destroy()
        return
      }
      const answer = decide(fault.status, limit, authorized, raw, check, succeed)
      record(answer)
      return reply.code(answer.status).type(typeof answer.reply == 'string' ? 'text/plain' : 'application/json').send(answer.reply)
    }

  async function plugin(app: FastifyInstance) {
    // Keep the raw text: its size is one of eSputnik's rules, and a malformed body is recorded as sent.
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, text, done) => {
      try {
        done(null, { text, json: JSON.parse(text as string) })
      } catch (error) {
        done(null, { text, error: `Invalid JSON: ${(error as Error).message}` })
      }
    })
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, text, done) => done(null, { text, error: 'media' }))

    app.post('/api/v2/event', api(limits.event, checkGenerateEvent, () => ({ status: 200, reply: '' })))
    app.post('/api/v1/contact/subscribe', api(limits.subscribe, checkSubscribe, subscribe))
    const checkPast: Check = (json) => {
      const refuse = faults.get().pastRefuse
      if (refuse && JSON.stringify(json).includes(refuse)) return `Invalid request: an event carries ${JSON.stringify(refuse)} (injected)`
      return checkPastEvents(json)
    }
    app.post('/api/v2/past_events', api(limits.past, checkPast, (json) => ({ status: 200, reply: answerPastEvents(json, now(), faults.takePastStatus) })))
    app.post('/api/v1/orders', api(limits.orders, checkOrdersCall, (json) => answerOrders(json, () => faults.takeFailedOrder())))
    // eSputnik's definition gives the 200 a string body, nothing per token.
    app.post('/api/v1/apps/:appUuid/tokens', api(limits.tokens, checkTokens, () => ({ status: 200, reply: '' })))

    app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderPage(recorder.list(), o.config.anonymousEvents == 'hold' ? HELD_NOTE : '')))
    app.get<{ Querystring: { since?: string; path?: string } }>('/requests', async (request) => ({
      requests: recorder.list({ since: Number(request.query.since) || 0, path: request.query.path }),
    }))

    if (!sandboxControl) return
    app.delete('/requests', async () => {
      recorder.clear()
      return { cleared: true }
    })
    app.get('/faults', async () => faults.get())
    app.post('/faults', async (request) => faults.set(((request.body as RawBody | undefined)?.json ?? {}) as Partial<SandboxFaults>))
    app.delete('/faults', async () => faults.set({}))
  }

  /** An erase: forgets the person's recorded requests, and the contact ids and repeats it answered for them; returns the requests forgotten. */
  function forget(identifiers: string[]): number {
    const set = new Set(identifiers)
    for (const key of contactIds.keys()) if (set.has(key)) contactIds.delete(key)
    for (const key of subscribes.keys()) if (identifiers.some((id) => key.includes(JSON.stringify(id)))) subscribes.delete(key)
    return recorder.remove((request) => mentionsAny(request, set))
  }

  return { recorder, faults, plugin, forget }
}
