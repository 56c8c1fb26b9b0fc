/**
 * Pure: how the slots of one budget are shared among the relay nodes on one
 * database (shared-budgets.ts). Every node computes the same answer from the
 * same rows; each then takes or gives back only its own slots.
 */

/** A live node's row for one budget. */
export interface NodeDemand {
  node: string
  /** Its own setting (e.g. UPSTREAM_RATE_PER_SEC). */
  rate: number
  /** Slots it can use now. */
  want: number
}

/**
 * The budget of the account: the smallest setting among the nodes running.
 * So no node is ever part of a cluster that sends faster than it was told;
 * during a rolling change a lower value applies as soon as the first node
 * has it, a higher one once the last node with the old value has stopped.
 */
export function accountRate(nodes: readonly NodeDemand[]): number {
  return nodes.length ? Math.min(...nodes.map((n) => n.rate)) : 0
}

/**
 * What a node asks for: all of it when its calls had to wait for a slot
 * (work is waiting), else the calls it started in the last window and a
 * quarter more, so it keeps what it uses and lends the rest.
 */
export function wantOf(demand: { hungry: boolean; recentStarts: number }, rate: number): number {
  if (demand.hungry) return rate
  return Math.min(rate, Math.ceil(demand.recentStarts * 1.25))
}

/**
 * Slots per node, summing to at most `rate`: water-filling, each node up to
 * its want, no node above an equal split of what is left while others still
 * want more; what nobody wants goes round the nodes in id order, so a node
 * has slots ready when work comes. Ties go by node id.
 */
export function shareSlots(rate: number, nodes: readonly NodeDemand[]): Map<string, number> {
  const order = [...nodes].sort((a, b) => a.want - b.want || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0))
  const shares = new Map<string, number>()
  let left = rate
  order.forEach((n, i) => {
    const give = Math.min(n.want, Math.floor(left / (order.length - i)))
    shares.set(n.node, give)
    left -= give
  })
  const byId = [...shares.keys()].sort()
  for (let i = 0; left > 0 && byId.length; i = (i + 1) % byId.length, left--) {
    const node = byId[i]!
    shares.set(node, shares.get(node)! + 1)
  }
  return shares
}
