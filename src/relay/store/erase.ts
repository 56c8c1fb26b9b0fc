import { answered, type Statements, type Work } from './dialect.js'
import type { EraseJobRow, PersonalTable } from './erase-dialect.js'
import type { EraseCounts, EraseResult, EraseTarget, ErasedJobs } from './erase-types.js'
import type { JobKind } from './types.js'

/**
 * The erase decision, written once for both stores like decisions.ts (it
 * runs inside one transaction). A contact is found through its identifier
 * on links and on jobs not sent yet: every visitor ever linked to it, and
 * every visitor whose unsent subscribe or order names it (that subscribe
 * would link it), is erased whole, with every link it has. A browser shared with
 * another contact loses that link too; that contact's next identify or
 * subscribe links it again, while keeping it would leave this person's
 * history on the browser.
 */

/** The names under which payloads and locators hold a person's identifiers; chatId is a Telegram chat's. */
const IDENTIFIER_KEYS = new Set(['contactId', 'externalCustomerId', 'email', 'phone', 'chatId'])

/** Every kind, listed in every answer with zeros included: a new JobKind does not compile until it is named here. */
const LISTED_KINDS = Object.keys({ event: 1, subscribe: 1, tokens: 1, order: 1, 'order-event': 1 } satisfies Record<JobKind, 1>)

/**
 * The other tables that name a visitor or a contact (both schemas), each
 * listed in every answer. A chat goes before the link codes it used. Left
 * alone: telegram_updates (a bot's update ids, no chat), the budget tables
 * and meta (no person in them).
 */
export const PERSONAL_TABLES: readonly PersonalTable[] = [
  { table: 'telegram_chats', key: 'chat_id', visitor: 'visitor', locators: 'locators', chat: 'chat_id' },
  { table: 'telegram_codes', key: 'code_hash', visitor: 'visitor', locators: 'locators', chat: 'chat_id' },
  { table: 'visitor_carts', key: 'visitor', visitor: 'visitor' },
  { table: 'order_contexts', key: 'order_id', visitor: 'visitor', locators: 'locators' },
]

const STATES = ['held', 'queued', 'sent', 'dead'] as const

/** The value's text as it stands inside stored JSON (quotes and backslashes escaped). */
const inJson = (value: string) => JSON.stringify(value).slice(1, -1)

function parse(text: string | null): unknown {
  if (text === null) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Every identifier under one of `keys`, at any depth, as text. */
function collect(json: unknown, keys: Set<string>, into: Set<string>): Set<string> {
  if (Array.isArray(json)) for (const item of json) collect(item, keys, into)
  else if (typeof json == 'object' && json !== null) {
    for (const [key, value] of Object.entries(json)) {
      if (keys.has(key) && (typeof value == 'string' || typeof value == 'number')) into.add(String(value))
      else collect(value, keys, into)
    }
  }
  return into
}

/** Whether a row's JSON holds the target's identifier under its own name. */
const holds = (text: string | null, target: { locator: string; value: string }) =>
  collect(parse(text), new Set([target.locator]), new Set()).has(target.value)

/** The jobs a contact's identifier is on, and the visitors they and its links belong to. */
function* findContact(s: Statements, target: Extract<EraseTarget, { locator: string }>, visitors: Set<string>, jobs: Map<number, EraseJobRow>): Work<void> {
  const needle = inJson(target.value)
  for (const link of yield* answered(s.linksMentioning(needle))) if (holds(link.locators, target)) visitors.add(link.visitor)
  for (const job of yield* answered(s.unsentJobsMentioning(needle))) {
    if (!holds(job.payload, target) && !holds(job.locators, target)) continue
    jobs.set(job.seq, job)
    // '' is a job of a contact the shop's backend named, with no visitor.
    if (job.visitor) visitors.add(job.visitor)
  }
}

function countJobs(jobs: Iterable<EraseJobRow>): Record<string, ErasedJobs> {
  const zero = (): ErasedJobs => ({ held: 0, queued: 0, sent: 0, dead: 0 })
  const counts: Record<string, ErasedJobs> = Object.fromEntries(LISTED_KINDS.map((kind) => [kind, zero()]))
  for (const job of jobs) {
    const state = STATES.find((s) => s == job.state) ?? 'sent'
    ;(counts[job.kind] ??= zero())[state]++
  }
  return counts
}

export function* erase(s: Statements, target: EraseTarget, now: number): Work<EraseResult> {
  const visitors = new Set<string>()
  const jobs = new Map<number, EraseJobRow>()
  const identifiers = new Set<string>()
  if ('visitor' in target) {
    visitors.add(target.visitor)
    identifiers.add(target.visitor)
  } else {
    identifiers.add(target.value)
    yield* findContact(s, target, visitors, jobs)
  }
  const list = [...visitors]
  // The same lock as an insert's or a link's: no event of these visitors is stored, or linked, half-way through.
  yield* answered(s.lockVisitors(list))
  const found = new Set<string>()
  for (const visitor of list) {
    for (const link of yield* answered(s.links(visitor))) {
      found.add(visitor)
      collect(parse(link.locators), IDENTIFIER_KEYS, identifiers)
    }
  }
  if (list.length) for (const job of yield* answered(s.jobsOfVisitors(list))) jobs.set(job.seq, job)
  for (const job of jobs.values()) {
    if (job.visitor) found.add(job.visitor)
    collect(parse(job.payload), IDENTIFIER_KEYS, identifiers)
    collect(parse(job.locators), IDENTIFIER_KEYS, identifiers)
  }
  if (jobs.size) yield* answered(s.tombstoneJobs([...jobs.keys()], now))
  const links = list.length ? yield* answered(s.deleteLinks(list)) : 0
  // The chats whose tokens were erased: their bindings and codes go too.
  const chats = new Set<string>()
  for (const job of jobs.values()) collect(parse(job.payload), new Set(['chatId']), chats)
  const tables = yield* erasePersonalRows(s, target, visitors, chats, identifiers)
  for (const visitor of found) identifiers.add(visitor)
  const counts: EraseCounts = { visitors: found.size, links, jobs: countJobs(jobs.values()), tables }
  return { counts, identifiers: [...identifiers] }
}

/**
 * The rows of PERSONAL_TABLES of these visitors, of the target's identifier,
 * or of the chats erased so far (those of the erased token jobs, then of the
 * erased chats); deleted, counted by table.
 */
function* erasePersonalRows(
  s: Statements,
  target: EraseTarget,
  visitors: Set<string>,
  chats: Set<string>,
  identifiers: Set<string>,
): Work<Record<string, number>> {
  const byLocator = 'locator' in target ? target : undefined
  const tables: Record<string, number> = {}
  for (const t of PERSONAL_TABLES) {
    const rows = yield* answered(s.personalRows(t, [...visitors], byLocator ? inJson(byLocator.value) : null, [...chats]))
    const picked = rows.filter(
      (r) => (r.visitor !== null && visitors.has(r.visitor)) || (byLocator && holds(r.locators, byLocator)) || (r.chat !== null && chats.has(r.chat)),
    )
    for (const r of picked) {
      collect(parse(r.locators), IDENTIFIER_KEYS, identifiers)
      if (r.chat !== null) {
        chats.add(r.chat)
        identifiers.add(r.chat)
      }
    }
    tables[t.table] = picked.length ? yield* answered(s.deletePersonalRows(t, picked.map((r) => r.key))) : 0
  }
  return tables
}
