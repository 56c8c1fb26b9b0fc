import type { Operation, OperationContext } from '../esputnik/operation.js'
import { operationFor } from '../esputnik/registry.js'
import type { Job } from '../store/types.js'

/** One call to make: up to `operation.maxBatch` jobs and their items, in the same order. */
export interface Call {
  operation: Operation
  jobs: Job[]
  items: unknown[]
  /** What the items were built with; the call is made with it too. */
  context: OperationContext
}

export interface Plan {
  calls: Call[]
  /** Jobs no call is made for: no operation carries them, or eSputnik would refuse their body. */
  refused: { job: Job; reason: string }[]
}

/** A call being filled, with the bytes its body will have so far. */
type OpenCall = Call & { bytes: number }

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value))

/**
 * Pure: the calls that carry claimed jobs. Each job goes to the first
 * operation that accepts it and becomes its item; the items of one operation
 * (and batch key) are cut into calls of at most `maxBatch` (and, where the
 * operation says, `maxBodyBytes`), and the calls keep the claim order of
 * their first job (oldest first).
 */
export function planCalls(jobs: Job[], operations: readonly Operation[], context: OperationContext): Plan {
  const open = new Map<string, OpenCall>()
  const calls: OpenCall[] = []
  const refused: Plan['refused'] = []
  for (const job of jobs) {
    const operation = operationFor(job, context, operations)
    if (!operation) {
      refused.push({ job, reason: `no upstream operation carries this ${job.kind} job` })
      continue
    }
    let item: unknown
    try {
      item = operation.toItem(job, context)
    } catch (error) {
      refused.push({ job, reason: (error as Error).message })
      continue
    }
    const key = `${operation.name}\n${operation.batchKey?.(item) ?? ''}`
    // A comma between items; the body's own bytes (`{"events":[]}`) are counted when a call opens.
    const size = operation.maxBodyBytes ? bytesOf(item) + 1 : 0
    let call = open.get(key)
    if (!call || call.jobs.length >= operation.maxBatch || (operation.maxBodyBytes && call.bytes + size > operation.maxBodyBytes)) {
      call = { operation, jobs: [], items: [], context, bytes: operation.maxBodyBytes ? bytesOf(operation.toBody([])) : 0 }
      open.set(key, call)
      calls.push(call)
    }
    call.jobs.push(job)
    call.items.push(item)
    call.bytes += size
  }
  return { calls: calls.map(({ bytes: _bytes, ...call }) => call), refused }
}

/** The two halves of a call, for finding the item eSputnik refused a whole batch for. */
export function splitCall(call: Call): [Call, Call] {
  const half = Math.ceil(call.jobs.length / 2)
  const part = (from: number, to?: number): Call => ({ ...call, jobs: call.jobs.slice(from, to), items: call.items.slice(from, to) })
  return [part(0, half), part(half)]
}
