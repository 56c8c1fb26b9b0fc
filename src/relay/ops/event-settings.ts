import { checkCustomType, type CustomTypes } from '../../wire/custom-events.js'

/**
 * CUSTOM_EVENT_TYPES: `*`, or comma-separated eventTypeKeys, each one that
 * eSputnik would take as a custom event (src/wire/custom-events.ts), so a typo
 * such as `quiz?` fails at boot rather than refusing every such event.
 */
export function customEventTypes(raw: string): CustomTypes {
  if (raw.trim() == '*') return '*'
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean)
  for (const type of list) {
    try {
      checkCustomType(type, '*')
    } catch (error) {
      throw new Error(`${(error as Error).message} (in the list)`)
    }
  }
  return list
}
