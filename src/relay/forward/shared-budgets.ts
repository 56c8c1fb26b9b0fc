import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import type { BudgetLedger, BudgetTx, HeldSlot } from '../store/budget-ledger.js'
import { accountRate, shareSlots, wantOf } from './budget-shares.js'
import type { Pacer } from './pacer.js'
import { createSlotPacer, type SlotPacer } from './slot-pacer.js'

/**
 * The account's budgets, shared by every relay node on one PostgreSQL
 * database, so that together they never send more than a budget's rate in
 * any 1 s at eSputnik, and use it when work is waiting.
 *
 * A budget of `rate` calls a second is `rate` slots, rows in the database.
 * A node holds some of them under a lease and paces its calls on them in
 * memory (slot-pacer.ts): a slot carries its next call only one window after
 * its last call ended, so the rule of the one-process pacer (pacer.ts),
 * which counts a call until it has ended, holds for the whole cluster. Every
 * `tickMs` each node, in one short transaction: renews its leases, says how
 * many slots it can use (all it can get while its calls wait for slots, else
 * what it used in the last window and a quarter more), gives back the idle
 * slots above its share (with the time each is free from), and takes free
 * ones up to its share. Shares are water-filling over what the live nodes
 * want (budget-shares.ts).
 *
 * Why slots under leases, not a ledger row per call and not one elected
 * sender: a row per call puts two commits per call on one hot row (700 a
 * second at 350/s, each waiting for a WAL flush) between every call and
 * eSputnik; one sender per budget idles every other node and stalls the
 * budget for a lease whenever the sender dies. Here the database sees a few
 * statements per node per tick, whatever the rate, calls never wait for it,
 * and a node that dies stalls nothing: the others go on with their slots,
 * and its slots come back when their lease ends (a window after it, every
 * call it made on them has been received). Nodes with different settings:
 * the smallest setting among the live nodes is the account's, logged at boot
 * and whenever it or the node count changes.
 */
export interface SharedBudgets<B extends string> {
  readonly node: string
  /** One per budget: what the forwarder's calls wait on. */
  readonly pacers: Record<B, Pacer>
  /** Calls a second this node can count on for a budget: the account's rate over the live nodes (its own setting before the first tick). */
  fairRate(budget: B): number
  /** Joins at once, then ticks every `tickMs`. */
  start(): void
  /** Stops ticking, gives every idle slot back and leaves (call once no call is in flight). */
  stop(): Promise<void>
}

export interface SharedBudgetsOptions<B extends string> {
  ledger: BudgetLedger
  /** This node's setting of each budget, calls per second. */
  rates: Record<B, number>
  /** The environment variable of each budget's setting, for the log. */
  settingOf: (budget: B) => string
  /** 1 s plus the guard. */
  windowMs: number
  /** UPSTREAM_TIMEOUT_MS. */
  timeoutMs: number
  /** Slots created now (a new budget) carry no call before this long. @defaultValue windowMs */
  startDelayMs?: number
  /** @defaultValue 500 */
  tickMs?: number
  /** @defaultValue host name, PID and a random part */
  node?: string
  log: { info(fields: object, message: string): void; error(fields: object, message: string): void }
  /** This node's monotonic clock. @defaultValue performance.now */
  now?: () => number
}

/** How long a tick's lease lasts, past the longest call: ticks that fail for this long stop the node's calls. */
export const leaseFor = (timeoutMs: number, tickMs: number) => timeoutMs + 6 * tickMs

interface Outcome {
  rate: number
  nodes: number
  held: HeldSlot[]
  got: HeldSlot[]
  /** Its share is more than it holds: another node has yet to give slots back. */
  short: boolean
}

/** While a node holds less than its share, it looks again this soon rather than a whole tick later, up to SHORT_TICKS times in a row. */
const SHORT_TICK_MS = 100
const SHORT_TICKS = 20

export function createSharedBudgets<B extends string>(o: SharedBudgetsOptions<B>): SharedBudgets<B> {
  const now = o.now ?? (() => performance.now())
  const tickMs = o.tickMs ?? 500
  const leaseMs = leaseFor(o.timeoutMs, tickMs)
  const node = o.node ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`
  const names = Object.keys(o.rates) as B[]
  const pacers = Object.fromEntries(names.map((b) => [b, createSlotPacer({ windowMs: o.windowMs, timeoutMs: o.timeoutMs, now })])) as Record<B, SlotPacer>
  const seen = new Map<B, string>()
  const fair = new Map<B, number>()
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let failing = false
  let shortTicks = 0
  let stopped = false

  /** One budget's part of a tick. Local times go to the database late (`+ err`), leases come back early. */
  async function tickBudget(tx: BudgetTx, b: B, db: number, toDb: (t: number) => number): Promise<Outcome> {
    const pacer = pacers[b]
    const mine = o.rates[b]
    await tx.heartbeat(b, node, mine, wantOf(pacer.demand(), mine), db + leaseMs)
    const live = await tx.liveNodes(b)
    const rate = accountRate(live)
    const target = shareSlots(rate, live).get(node) ?? 0
    await tx.addSlots(b, mine, db + (o.startDelayMs ?? o.windowMs))
    pacer.retireFrom(rate)
    const given = pacer.yieldSlots(pacer.held().usable - target)
    await tx.release(b, node, given.map(({ slot, freeAt }) => ({ slot, freeAt: toDb(freeAt) })))
    const held = await tx.renew(b, node, db + leaseMs)
    const usable = held.filter((h) => h.slot < rate).length
    const got = await tx.acquire(b, node, target - usable, rate, db, db + leaseMs, o.windowMs)
    return { rate, nodes: live.length, held, got, short: usable + got.length < target }
  }

  /** Resolves true when some budget's share is not all here yet. */
  async function tick(): Promise<boolean> {
    let offset = 0
    let err = 0
    const outcomes = await o.ledger.transaction(async (tx) => {
      const t0 = now()
      const db = await tx.clock()
      const t1 = now()
      offset = db - (t0 + t1) / 2
      err = (t1 - t0) / 2
      await tx.forgetDead(db)
      const list: [B, Outcome][] = []
      for (const b of names) list.push([b, await tickBudget(tx, b, db, (t) => t + offset + err)])
      return list
    })
    const free = (t: number) => t - offset + err
    const lease = (t: number) => t - offset - err
    for (const [b, { rate, nodes, held, got }] of outcomes) {
      const pacer = pacers[b]
      const known = new Set(pacer.slotIds())
      for (const h of held) {
        // Held in the database but not here: given back in a tick whose commit failed. Free a window from now at the latest.
        if (known.has(h.slot)) pacer.renew(h.slot, lease(h.leaseUntil))
        else pacer.grant(h.slot, now() + o.windowMs, lease(h.leaseUntil))
        known.delete(h.slot)
      }
      for (const slot of known) pacer.drop(slot)
      for (const g of got) pacer.grant(g.slot, free(g.freeAt), lease(g.leaseUntil))
      fair.set(b, nodes ? rate / nodes : o.rates[b])
      report(b, rate, nodes)
    }
    return outcomes.some(([, outcome]) => outcome.short)
  }

  function report(b: B, rate: number, nodes: number) {
    const key = `${rate}/${nodes}`
    if (seen.get(b) == key) return
    seen.set(b, key)
    const setting = o.settingOf(b)
    o.log.info(
      { budget: b, ratePerSec: rate, nodes, own: o.rates[b], node },
      `${b}: ${rate} calls/s for the account, shared by ${nodes} relay node${nodes == 1 ? '' : 's'} on this database ` +
        `(the smallest ${setting} of the nodes running; this node's is ${o.rates[b]})`,
    )
  }

  function schedule(delay: number) {
    if (stopped) return
    timer = setTimeout(() => {
      let next = tickMs
      running = tick().then(
        (short) => {
          if (failing) o.log.info({ node }, 'the shared budgets are renewed again')
          failing = false
          shortTicks = short ? shortTicks + 1 : 0
          if (short && shortTicks <= SHORT_TICKS) next = Math.min(tickMs, SHORT_TICK_MS)
        },
        (error: unknown) => {
          if (!failing) o.log.error({ err: error, node }, 'could not renew the shared budgets; calls stop when their slots’ leases end, until the database answers')
          failing = true
        },
      )
      void running.finally(() => schedule(next))
    }, delay)
    timer.unref()
  }

  return {
    node,
    pacers,
    fairRate: (b) => fair.get(b) ?? o.rates[b],
    start() {
      if (timer && !stopped) return
      stopped = false
      schedule(0)
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
      try {
        await o.ledger.transaction(async (tx) => {
          const t0 = now()
          const db = await tx.clock()
          const t1 = now()
          const offset = db - (t0 + t1) / 2
          const err = (t1 - t0) / 2
          for (const b of names) {
            const given = pacers[b].yieldSlots(Infinity)
            await tx.release(b, node, given.map(({ slot, freeAt }) => ({ slot, freeAt: freeAt + offset + err })))
          }
          await tx.leave(node)
        })
      } catch (error) {
        o.log.error({ err: error, node }, 'could not give the shared budgets back; the other nodes get them when their leases end')
      }
    },
  }
}
