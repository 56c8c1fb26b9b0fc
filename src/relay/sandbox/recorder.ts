/** What the sandbox does to the calls it gets, besides answering them as eSputnik would. */
export interface SandboxFaults {
  /** The next `count` upstream calls answer this status. */
  status?: number
  count: number
  /** Added before every sandbox answer. */
  latencyMs: number
  /** The next `resets` calls get their connection reset. */
  resets: number
  /** The next this many orders sent to Add orders come back in its `failedOrders`, as eSputnik refuses an order. */
  failedOrders?: number
  /**
   * Past events get this status in `results` instead of their own: those
   * whose JSON contains `match` (every one without it), the next `count` of
   * them (all without it). E.g. `{status: 'EVENT_SEGMENTATION_DISABLED'}`,
   * or `{status: 'OCCURRED_TIME_TOO_DEPTH', match: 'bad-one', count: 1}`.
   */
  pastStatus?: { status: string; match?: string; count?: number }
  /** A Past events call carrying an event whose JSON contains this is refused as a whole with 400, as a batch eSputnik cannot read. */
  pastRefuse?: string
}

export interface RecordedRequest {
  seq: number
  /** Milliseconds since the epoch when the request arrived. */
  at: number
  method: string
  path: string
  /** 0 when the connection was reset on purpose. */
  status: number
  authorized: boolean
  body: unknown
  reply: unknown
}

export interface RequestFilter {
  /** Only requests with a larger seq. */
  since?: number
  /** Only requests to this path, e.g. `/api/v2/event`. */
  path?: string
}

export interface Recorder {
  add(request: Omit<RecordedRequest, 'seq'>): RecordedRequest
  /** Oldest first. */
  list(filter?: RequestFilter): RecordedRequest[]
  /** Forgets the requests `test` picks (an erase); returns how many. */
  remove(test: (request: RecordedRequest) => boolean): number
  clear(): void
}

/** Keeps the newest `limit` requests so a long-running sandbox stays small. */
export function createRecorder(limit = 2000): Recorder {
  let items: RecordedRequest[] = []
  let seq = 0
  return {
    add(request) {
      const item = { seq: ++seq, ...request }
      items.push(item)
      if (items.length > limit) items = items.slice(-limit)
      return item
    },
    list: ({ since = 0, path } = {}) => items.filter((r) => r.seq > since && (!path || r.path == path)),
    remove(test) {
      const before = items.length
      items = items.filter((r) => !test(r))
      return before - items.length
    },
    clear() {
      items = []
    },
  }
}

/** Counts hits in the last second; true once more than `perSec` arrived (eSputnik's 429). */
export function createWindowCounter(perSec: number, now: () => number) {
  let hits: number[] = []
  return {
    isOver(): boolean {
      const t = now()
      hits = hits.filter((h) => h > t - 1000)
      hits.push(t)
      return hits.length > perSec
    },
  }
}

export interface Faults {
  /** What to do to the next request: consumes one reset or one status fault. */
  take(): { reset: boolean; status?: number; latencyMs: number }
  set(plan: Partial<SandboxFaults>): SandboxFaults
  get(): SandboxFaults
  /** Whether the next order of an Add orders call is to be refused: consumes one of `failedOrders`. */
  takeFailedOrder(): boolean
  /** The status `pastStatus` gives this past event (its JSON text), consuming one of its `count`; undefined: its own. */
  takePastStatus(eventText: string): string | undefined
}

export function createFaults(initial: SandboxFaults): Faults {
  let plan = { ...initial }
  return {
    take() {
      if (plan.resets > 0) {
        plan.resets--
        return { reset: true, latencyMs: plan.latencyMs }
      }
      if (plan.status && plan.count > 0) {
        plan.count--
        return { reset: false, status: plan.status, latencyMs: plan.latencyMs }
      }
      return { reset: false, latencyMs: plan.latencyMs }
    },
    set(next) {
      plan = { count: 0, latencyMs: 0, resets: 0, ...next }
      if (plan.status && next.count === undefined) plan.count = 1
      return { ...plan }
    },
    get: () => ({ ...plan }),
    takeFailedOrder() {
      if (!plan.failedOrders) return false
      plan.failedOrders--
      return true
    },
    takePastStatus(eventText) {
      const rule = plan.pastStatus
      if (!rule || (rule.match !== undefined && !eventText.includes(rule.match))) return undefined
      if (rule.count !== undefined) {
        if (rule.count <= 0) return undefined
        plan.pastStatus = { ...rule, count: rule.count - 1 }
      }
      return rule.status
    },
  }
}
