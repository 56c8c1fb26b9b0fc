import { MAX_KEY_VALUE_LENGTH } from '../../wire/locators.js'
import { BANNED_KEY_CHARACTERS, MAX_EVENT_TYPE_KEY_LENGTH, MAX_PARAM_NAME_LENGTH } from '../../wire/custom-events.js'
import { isEventType } from '../../wire/schema.js'
import type { AnyWireEvent, CustomParams, EventDataMap, EventType, ProductData } from '../../wire/types.js'
import type { EventJob } from '../store/types.js'
import { MappingError } from './errors.js'
import type { Locators } from './locators.js'
import type { Operation } from './operation.js'

/**
 * Generate event v2 (`POST /api/v2/event`, docs/esputnik-api.md "Generate
 * event v2"): one wire event and its contact's locators become one call.
 * The mapping is pure and checks eSputnik's rules before anything is sent.
 */

export const PATH_GENERATE_EVENT = '/api/v2/event'

/** eSputnik's limits (docs/esputnik-api.md, "Generate event v2"); the eventTypeKey's and a param name's are the wire check's too. */
export { BANNED_KEY_CHARACTERS, MAX_EVENT_TYPE_KEY_LENGTH, MAX_KEY_VALUE_LENGTH, MAX_PARAM_NAME_LENGTH }
export const MAX_BODY_BYTES = 20 * 1024

/** A param's value is text: eSputnik's definition takes a string or an object (schema `EventParameter`), never a number. */
export interface EventParam {
  name: string
  value: string
}

export interface GenerateEventBody {
  eventTypeKey: string
  keyValue: string
  params: EventParam[]
}

export interface MapOptions {
  /** keyValue when no locator is known (`ANONYMOUS_EVENTS=forward`): the visitor id. */
  anonymousKey?: string
  /** Add `occurredAt` (ISO 8601 of the event's ts): replayed history reaches eSputnik later than it happened. */
  occurredAt?: boolean
}

/** eSputnik's own keyValue priority (docs/esputnik-api.md, "Identifiers"). */
const KEY_PRIORITY = ['contactId', 'externalCustomerId', 'email', 'phone'] as const
/** Params order: ids first, then phone and email, as eSputnik's examples of the seven web events list them. */
const PARAM_ORDER = ['contactId', 'externalCustomerId', 'phone', 'email'] as const

const json = (value: unknown) => JSON.stringify(value)

/** `{productId, price, isInStock?, ...properties}` as in eSputnik's productViewed example. */
const product = (p: ProductData) => ({
  productId: p.productId,
  price: p.price,
  ...(p.isInStock === undefined ? {} : { isInStock: p.isInStock }),
  ...p.properties,
})

const currency = (code: string | undefined): EventParam[] => (code ? [{ name: 'currencyCode', value: code }] : [])

type Builder<T extends EventType> = (data: EventDataMap[T], url: string | undefined) => EventParam[]

/** The params of the seven web events (docs/esputnik-api.md, "The seven web events"). */
const BUILDERS: { [T in EventType]: Builder<T> } = {
  pageViewed: (_data, url) => {
    if (!url) throw new MappingError('pageViewed needs the page url for page.location')
    return [{ name: 'page', value: json({ location: url }) }]
  },
  productViewed: (d) => [{ name: 'product', value: json(product(d)) }, ...currency(d.currencyCode)],
  productCategoryViewed: (d) => [{ name: 'category', value: json({ productCategoryId: d.productCategoryId }) }],
  cartUpdated: (d) => [
    {
      name: 'products',
      value: json(
        d.products.map((p) => ({
          productId: p.productId,
          quantity: p.quantity,
          price: p.price,
          ...(p.name === undefined ? {} : { name: p.name }),
          ...(p.category === undefined ? {} : { category: p.category }),
          ...(p.discount === undefined ? {} : { discount: p.discount }),
        })),
      ),
    },
    ...currency(d.currencyCode),
    { name: 'recycleStateId', value: d.recycleStateId },
  ],
  productAddedToWishlist: (d) => [{ name: 'product', value: json(product(d)) }, ...currency(d.currencyCode)],
  productImpressions: (d) => [
    { name: 'recomVariantId', value: d.recomVariantId },
    { name: 'products', value: json(d.products.map((p) => ({ productId: p.productId }))) },
  ],
  searchRequest: (d) => [
    { name: 'search', value: d.search },
    // 0 or 1 as text: the definition's EventParameter value is a string or an object, not a number.
    ...(d.isFound === undefined ? [] : [{ name: 'isFound', value: String(d.isFound) }]),
  ],
}

/** A custom event's params in the order given: text as it is, a number or boolean as text, an object or list as JSON text. */
export const customParams = (data: CustomParams): EventParam[] =>
  Object.entries(data).map(([name, value]) => ({ name, value: typeof value == 'object' ? json(value) : String(value) }))

/** The params of an event: the seven's builders, or a custom event's own. */
function paramsOf(event: AnyWireEvent): EventParam[] {
  if (!isEventType(event.type)) return customParams(event.data as CustomParams)
  const build = BUILDERS[event.type] as Builder<EventType>
  return build(event.data as EventDataMap[EventType], event.url)
}

const present = (v: string | undefined): v is string => typeof v == 'string' && v.trim() != ''

/** Throws a MappingError naming the first of eSputnik's rules the body breaks. */
export function checkEventBody(body: GenerateEventBody): void {
  const { eventTypeKey, keyValue, params } = body
  if (!eventTypeKey || eventTypeKey.length > MAX_EVENT_TYPE_KEY_LENGTH) {
    throw new MappingError(`eventTypeKey must have 1 to ${MAX_EVENT_TYPE_KEY_LENGTH} characters`)
  }
  if (BANNED_KEY_CHARACTERS.test(eventTypeKey)) throw new MappingError('eventTypeKey contains a banned character')
  if (!keyValue || keyValue.length > MAX_KEY_VALUE_LENGTH) {
    throw new MappingError(`keyValue must have 1 to ${MAX_KEY_VALUE_LENGTH} characters`)
  }
  const names = new Set<string>()
  for (const { name } of params) {
    if (!name || name.length > MAX_PARAM_NAME_LENGTH) throw new MappingError(`param name must have 1 to ${MAX_PARAM_NAME_LENGTH} characters`)
    if (names.has(name)) throw new MappingError(`param ${name} appears twice`)
    names.add(name)
  }
  const bytes = Buffer.byteLength(JSON.stringify(body))
  if (bytes > MAX_BODY_BYTES) throw new MappingError(`body is ${bytes} bytes; eSputnik takes at most ${MAX_BODY_BYTES}`)
}

function buildBody(event: AnyWireEvent, locators: Locators, options: MapOptions): GenerateEventBody {
  const key = KEY_PRIORITY.map((k) => locators[k]).find(present) ?? options.anonymousKey
  if (!present(key)) throw new MappingError('no contact locator and no visitor id to use as keyValue')
  const locatorParams = PARAM_ORDER.filter((k) => present(locators[k])).map((k) => ({ name: k, value: locators[k]! }))
  const when = options.occurredAt ? [{ name: 'occurredAt', value: new Date(event.ts).toISOString() }] : []
  return { eventTypeKey: event.type, keyValue: key, params: [...locatorParams, ...paramsOf(event), ...when] }
}

/** Builds the Generate event v2 body of one event; throws MappingError when eSputnik would refuse it. */
export function mapEvent(event: AnyWireEvent, locators: Locators, options: MapOptions = {}): GenerateEventBody {
  const body = buildBody(event, locators, options)
  checkEventBody(body)
  return body
}

/**
 * The locators that make a body largest. A link carries contactId and one
 * of externalCustomerId, email, phone (store/links.ts locatorsOf), each at
 * most MAX_KEY_VALUE_LENGTH characters without control characters (checked
 * at subscribe and identify, src/wire/requests.ts), so at most 3 bytes of
 * UTF-8 each. A contactId (20 digits at most) would take the keyValue's
 * place, so the largest body has none: the identifier twice, as keyValue and
 * as its param.
 */
const LARGEST_LOCATORS: Locators = { externalCustomerId: '\u0800'.repeat(MAX_KEY_VALUE_LENGTH) }

/**
 * Throws a MappingError, with the reason, when eSputnik would refuse the
 * event's body whatever contact it joins: checked at ingest, so the site (its
 * `onError`) or the backend hears of it instead of a dead letter later. The
 * size counts the largest locators and the `occurredAt` a replay adds.
 */
export function checkSendable(event: AnyWireEvent): void {
  const body = buildBody(event, LARGEST_LOCATORS, { occurredAt: true })
  const bytes = Buffer.byteLength(JSON.stringify(body))
  if (bytes > MAX_BODY_BYTES) {
    throw new MappingError(
      `event is too big: its Generate event body would reach ${bytes} bytes with a contact's identifiers, and eSputnik takes at most ${MAX_BODY_BYTES}`,
    )
  }
  checkEventBody(body)
}

/**
 * Every event job, one event a call, on the `events` budget. Errors are
 * classed as docs/esputnik-api.md "Errors and retries" says (the client's
 * default): 429/408/5xx retried, 401/403 pause it, other 4xx dead letters.
 * An anonymous job (no locators) goes with the visitor id as keyValue;
 * replayed history carries `occurredAt` unless REPLAY_OCCURRED_AT is off.
 */
export const eventV2: Operation<GenerateEventBody, GenerateEventBody, EventJob> = {
  name: 'event-v2',
  budget: 'events',
  scope: 'Events',
  maxBatch: 1,
  accepts: (job): job is EventJob => job.kind == 'event',
  toItem: (job, context) =>
    mapEvent(job.event, job.locators ?? {}, {
      ...(job.locators ? {} : { anonymousKey: job.visitor }),
      occurredAt: job.replay && context.replayOccurredAt,
    }),
  toBody: (items) => items[0]!,
  send: (client, body) => client.post(PATH_GENERATE_EVENT, body),
}
