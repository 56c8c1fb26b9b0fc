/**
 * A random id for visitors, events and carts: a UUIDv4 where the page is a
 * secure context (https, localhost); elsewhere the time and about 52 random
 * bits in base 36, which the relay's id rule (`[\w-]{8,64}`) takes as well.
 */
export const randomId = (): string => crypto.randomUUID?.() ?? Date.now().toString(36) + Math.random().toString(36).slice(2)
