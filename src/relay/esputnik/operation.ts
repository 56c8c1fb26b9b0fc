import type { Config } from '../ops/config.js'
import type { Job, LinkRequest } from '../store/types.js'
import type { BudgetName } from './budgets.js'
import type { EsputnikClient, UpstreamReply } from './client.js'

/** The settings that change what an operation sends. */
export type OperationConfig = Pick<Config, 'replayOccurredAt' | 'replayMode'>

/** What an operation may look at besides the job. */
export interface OperationContext extends OperationConfig {
  /** Now, on the relay's clock. */
  now: number
}

/** What became of one item of a call that eSputnik took. */
export type ItemResult =
  /** `link`: the visitor of the job is linked to these locators in the same commit (the forwarder adds the TTL cut). */
  | { outcome: 'sent'; link?: Omit<LinkRequest, 'heldAfter'> }
  | { outcome: 'dead'; reason: string }
  | { outcome: 'retry'; reason: string }
  /** eSputnik cannot take it for now (an account setting): the operation pauses as after a 401, the item waits queued. */
  | { outcome: 'pause'; reason: string }

/**
 * One upstream eSputnik method, end to end: which jobs it carries, how a job
 * becomes (part of) a request body, how the call is made and its errors are
 * classed, and what the answer means for each item. The forwarder knows
 * nothing of any method: it groups claimed jobs by operation, sends up to
 * `maxBatch` of them in one call paced on `budget`, and settles every item.
 *
 * When eSputnik refuses a call of several items as a whole (an UpstreamError
 * with outcome `dead`, e.g. a 400), the forwarder splits it in halves and
 * sends each again, down to single items, so only the bad item becomes a
 * dead letter. An operation whose answer rates each item returns that from
 * `results`.
 */
export interface Operation<Item = unknown, Body = unknown, J extends Job = Job> {
  /** Names the operation in logs, in /readyz and in metric labels, e.g. `event-v2`. */
  readonly name: string
  /** The rate budget its calls are paced on. */
  readonly budget: BudgetName
  /**
   * The group of eSputnik's API reference the method belongs to (Events,
   * Contacts, Orders, Apps): what an API key needs access to for this call,
   * named when eSputnik answers 403 (docs/esputnik-api.md, "Errors and retries").
   */
  readonly scope?: string
  /** Most items in one call; 1 for the methods that take one. */
  readonly maxBatch: number
  /** Most bytes of one call's JSON body; items beyond it go in the next call. Absent: only `maxBatch` counts. */
  readonly maxBodyBytes?: number
  /** Whether this operation carries the job (the registry asks each in its order; the first to accept it does). */
  accepts(job: Job, context: OperationContext): job is J
  /** Pure: the job's item of a request body. Throws a MappingError when eSputnik would refuse it. */
  toItem(job: J, context: OperationContext): Item
  /** Items with different keys never share a call, e.g. tokens of two apps (the app is in the path). Absent: any items may. */
  batchKey?(item: Item): string
  /** Pure: the body of one call that carries these items (1 to `maxBatch`), in this order. */
  toBody(items: Item[]): Body
  /**
   * Makes the call; resolves when eSputnik took it, throws an UpstreamError
   * (with its outcome) when not. How its answers are classed is the
   * `classify` it hands `client.post` (default: classifyStatus).
   */
  send(client: EsputnikClient, body: Body, context: OperationContext): Promise<UpstreamReply>
  /** What became of each item, in the order of `jobs`, once eSputnik took the call. Absent: every item was sent. */
  results?(reply: UpstreamReply, jobs: J[]): ItemResult[]
}
