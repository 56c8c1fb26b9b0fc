import { BANNED_KEY_CHARACTERS, MAX_EVENT_TYPE_KEY_LENGTH, MAX_KEY_VALUE_LENGTH, MAX_PARAM_NAME_LENGTH } from '../esputnik/event-v2.js'

/**
 * `POST /api/v2/past_events` as the sandbox answers it (docs/esputnik-api.md,
 * "Past events"; schemas `BatchPastEventsV2` and `EventsMigrationResults`).
 * Written apart from esputnik/past-events.ts, so the sandbox catches the
 * mapping's mistakes; only the documented limits are the same constants.
 *
 * A body eSputnik could not read as a batch (not a list of at most 500
 * events, an event without eventTypeKey or keyValue, a broken rule of a key
 * or a param) is a 400 for the whole call: the sandbox's reading of
 * eSputnik's validation, which the relay must survive by splitting the call.
 * Otherwise each event gets a status in `results`, in order: a missing or
 * malformed `occurred`, one in the future, or a status the test asked for
 * (faults `pastStatus`), else ACCEPTED.
 */

/** "You can send up to 500 events per a request". */
const MAX_EVENTS = 500
/** `2023-03-22T14:30` as the definition shows it, seconds and milliseconds allowed. */
const OCCURRED = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?$/
/** An `occurred` in the minute after now is not in the future: it has no seconds. */
const FUTURE_SLACK_MS = 60_000

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v == 'object' && v !== null && !Array.isArray(v)

function eventProblem(event: unknown, i: number): string | undefined {
  if (!isObj(event)) return `events[${i}] must be an object`
  const { eventTypeKey, keyValue, params } = event
  if (typeof eventTypeKey != 'string' || !eventTypeKey || eventTypeKey.length > MAX_EVENT_TYPE_KEY_LENGTH) {
    return `events[${i}].eventTypeKey is required, at most ${MAX_EVENT_TYPE_KEY_LENGTH} characters`
  }
  if (BANNED_KEY_CHARACTERS.test(eventTypeKey)) return `events[${i}].eventTypeKey contains a forbidden character`
  if (typeof keyValue != 'string' || !keyValue || keyValue.length > MAX_KEY_VALUE_LENGTH) {
    return `events[${i}].keyValue is required, at most ${MAX_KEY_VALUE_LENGTH} characters`
  }
  if (params === undefined) return
  if (!Array.isArray(params)) return `events[${i}].params must be a list of {name, value}`
  const names = new Set<string>()
  for (const p of params) {
    if (!isObj(p) || typeof p.name != 'string' || !p.name || p.name.length > MAX_PARAM_NAME_LENGTH) {
      return `events[${i}]: each param needs a name of 1 to ${MAX_PARAM_NAME_LENGTH} characters`
    }
    if (typeof p.value != 'string' && !isObj(p.value)) return `events[${i}].params ${p.name}: value must be a string or an object`
    if (names.has(p.name)) return `events[${i}]: param names must be unique: ${p.name} repeats`
    names.add(p.name)
  }
}

/** The message of a 400 for the whole call, or undefined when each event is answered on its own. */
export function checkPastEvents(body: unknown): string | undefined {
  if (!isObj(body) || !Array.isArray(body.events)) return 'The body must be {"events": [...]}'
  if (body.events.length == 0 || body.events.length > MAX_EVENTS) return `events must hold 1 to ${MAX_EVENTS} events`
  for (const [i, event] of body.events.entries()) {
    const problem = eventProblem(event, i)
    if (problem) return problem
  }
}

/** The status of one event whose shape is fine. */
export function occurredStatus(occurred: unknown, now: number): string | undefined {
  if (occurred === undefined || occurred === '') return 'OCCURRED_DATE_IS_REQUIRED'
  if (typeof occurred != 'string' || !OCCURRED.test(occurred)) return 'INCORRECT_OCCURRED_DATE_FORMAT'
  const at = Date.parse(`${occurred}Z`)
  if (Number.isNaN(at)) return 'INCORRECT_OCCURRED_DATE_FORMAT'
  if (at > now + FUTURE_SLACK_MS) return 'OCCURRED_TIME_IN_FUTURE'
}

export interface PastEventsAnswer {
  results: { status: string }[]
  successCount: number
  errorCount: number
}

/**
 * The 200 answer to a batch that passed checkPastEvents. `injected` is the
 * status a test asked for this event (it is handed the event's JSON text), if any.
 */
export function answerPastEvents(body: unknown, now: number, injected: (eventText: string) => string | undefined): PastEventsAnswer {
  const events = (body as { events: Obj[] }).events
  const results = events.map((event) => ({ status: injected(JSON.stringify(event)) ?? occurredStatus(event.occurred, now) ?? 'ACCEPTED' }))
  const successCount = results.filter((r) => r.status == 'ACCEPTED').length
  return { results, successCount, errorCount: results.length - successCount }
}
