import type { Job } from '../store/types.js'
import { appTokens } from './app-tokens.js'
import { eventV2 } from './event-v2.js'
import type { Operation, OperationContext } from './operation.js'
import { orderEvent } from './order-event.js'
import { addOrders } from './orders.js'
import { pastEvents } from './past-events.js'
import { subscribeContact } from './subscribe.js'

/**
 * Every upstream operation the relay makes, in the order they are asked
 * whether they carry a job: the first that accepts it does. A narrower
 * operation goes before a broader one that would also take its jobs (e.g. a
 * batch method for old history before the live event). A new operation is a
 * new module listed here; the forwarder needs no change.
 */
export const OPERATIONS: readonly Operation[] = [pastEvents, eventV2, subscribeContact, appTokens, orderEvent, addOrders]

/** The operation that carries `job`, or undefined when none does. */
export function operationFor(job: Job, context: OperationContext, operations: readonly Operation[] = OPERATIONS): Operation | undefined {
  return operations.find((operation) => operation.accepts(job, context))
}
