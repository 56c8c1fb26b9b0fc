import { parseArgs } from 'node:util'
import { checkErase, type EraseField } from '../../wire/erase.js'
import type { EraseResponse } from '../../wire/server-types.js'
import { erasePerson } from '../ingest/server-erase.js'
import type { Store } from '../store/types.js'

/** `esputnik-relay erase`: the CLI's side of `POST /v1/server/erase`, on the relay's store. */

export const ERASE_USAGE = `erase --visitor ID | --email E | --phone P | --external-customer-id X | --contact-id C [--json]
                                    remove what the relay holds about one person (see README, "Erasing a person")`

const OPTIONS: Record<string, EraseField> = {
  visitor: 'visitorId',
  email: 'email',
  phone: 'phone',
  'external-customer-id': 'externalCustomerId',
  'contact-id': 'contactId',
}

export interface EraseIo {
  out: (line: string) => void
  err: (line: string) => void
  now?: () => number
}

const plural = (n: number, word: string) => `${n} ${word}${n == 1 ? '' : 's'}`

function formatErased({ erased }: EraseResponse): string {
  const jobs = Object.entries(erased.jobs).map(([kind, s]) => `  ${kind}: ${s.held} held, ${s.queued} queued, ${s.sent} sent, ${s.dead} dead`)
  const tables = Object.entries(erased.tables).map(([table, n]) => `  ${table}: ${n}`)
  return [
    `Erased ${plural(erased.visitors, 'visitor')} and ${plural(erased.links, 'link')}; jobs kept as ids only, by the state they were in:`,
    ...jobs,
    ...tables,
    'A running relay’s sandbox keeps its recordings in memory: POST /v1/server/erase removes those too.',
  ].join('\n')
}

/** Which person the arguments name, or the reason they name none (exit 2). */
function readArgs(args: string[]): { body: Record<string, string>; json: boolean } | string {
  let values: Record<string, string | boolean | undefined>
  try {
    const options = Object.fromEntries(Object.keys(OPTIONS).map((name) => [name, { type: 'string' as const }]))
    ;({ values } = parseArgs({ args, options: { ...options, json: { type: 'boolean' } }, allowPositionals: false }))
  } catch (error) {
    return (error as Error).message
  }
  const named = Object.keys(OPTIONS).filter((name) => values[name] !== undefined)
  if (named.length != 1) return `erase needs exactly one of ${Object.keys(OPTIONS).map((n) => `--${n}`).join(', ')}`
  return { body: { [OPTIONS[named[0]!]!]: values[named[0]!] as string }, json: values.json === true }
}

export async function eraseCommand(args: string[], io: EraseIo, store: Store): Promise<number> {
  const read = readArgs(args)
  if (typeof read == 'string') {
    io.err(`esputnik-relay: ${read}\n\nUsage: esputnik-relay ${ERASE_USAGE}`)
    return 2
  }
  let erase
  try {
    erase = checkErase(read.body)
  } catch (error) {
    io.err(`esputnik-relay: ${(error as Error).message}`)
    return 2
  }
  const answer = await erasePerson({ store, now: io.now ?? Date.now }, erase)
  io.out(read.json ? JSON.stringify(answer.erased, null, 2) : formatErased(answer))
  return 0
}
