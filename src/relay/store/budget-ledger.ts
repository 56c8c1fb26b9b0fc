/**
 * The account's upstream budgets as the relay nodes on one PostgreSQL
 * database share them (forward/shared-budgets.ts says how): per budget, a
 * row per live node (its setting and what it wants) and a row per slot (who
 * holds it, until when, and from when it may carry its next call). Every
 * time here is ms on the database's clock, so the nodes' own clocks never
 * meet.
 */

/** A slot this node holds: its lease, and when it may carry its next call. */
export interface HeldSlot {
  slot: number
  leaseUntil: number
  freeAt: number
}

export interface LiveNode {
  node: string
  rate: number
  want: number
}

/** The statements of one tick, all in one transaction. */
export interface BudgetTx {
  /** The database's clock now (clock_timestamp, not the transaction's start). */
  clock(): Promise<number>
  /** Deletes every node row whose lease ended before `now`. */
  forgetDead(now: number): Promise<void>
  /** Writes this node's row for a budget: its setting, what it wants, and until when it counts as alive. */
  heartbeat(budget: string, node: string, rate: number, want: number, aliveUntil: number): Promise<void>
  liveNodes(budget: string): Promise<LiveNode[]>
  /** Makes sure slots 0 … count − 1 of the budget exist; new ones are free from `freeAt`. */
  addSlots(budget: string, count: number, freeAt: number): Promise<void>
  /** Gives slots back, each free from its `freeAt`. */
  release(budget: string, node: string, slots: { slot: number; freeAt: number }[]): Promise<void>
  /** Renews every slot this node holds until `leaseUntil`; returns them. */
  renew(budget: string, node: string, leaseUntil: number): Promise<HeldSlot[]>
  /**
   * Takes up to `count` slots below `below` that nobody holds, or whose lease
   * ended before `now`: these are free one window after their lease ended
   * (every call on them was received by then), the others from the time
   * their holder gave. Returns them.
   */
  acquire(budget: string, node: string, count: number, below: number, now: number, leaseUntil: number, windowMs: number): Promise<HeldSlot[]>
  /** Deletes this node's rows (its slots were given back first). */
  leave(node: string): Promise<void>
}

export interface BudgetLedger {
  /** Runs `work` in one transaction that no other node's tick runs beside. */
  transaction<T>(work: (tx: BudgetTx) => Promise<T>): Promise<T>
}
