import type { AnyWireEvent } from '../../wire/types.js'
import { MappingError } from '../esputnik/errors.js'
import { checkSendable } from '../esputnik/event-v2.js'

/**
 * Splits checked events into those eSputnik would take and those it would
 * refuse whatever contact they join (esputnik/event-v2.ts checkSendable):
 * the refused are answered in `rejected` with the reason, instead of being
 * stored to become dead letters the site never hears of.
 */
export function keepSendable(events: AnyWireEvent[]): { events: AnyWireEvent[]; refused: { id: string; reason: string }[] } {
  const kept: AnyWireEvent[] = []
  const refused: { id: string; reason: string }[] = []
  for (const event of events) {
    try {
      checkSendable(event)
      kept.push(event)
    } catch (error) {
      if (!(error instanceof MappingError)) throw error
      refused.push({ id: event.id, reason: `${event.type.slice(0, 100)}: ${error.message}` })
    }
  }
  return { events: kept, refused }
}
