import type { Locators } from '../esputnik/locators.js'

/**
 * The rules of links, shared by every Store so they all decide alike. Pure.
 *
 * A visitor may be linked more than once: a second device of the same contact
 * is another visitor, but one browser may be re-identified as someone else
 * (a shared computer, a new log-in). Each link starts at its `since`, and an
 * event belongs to the link in force when it happened, so a new link never
 * moves earlier history.
 */

/** The identifier a link is about, in eSputnik's matching order for Subscribe contact. */
const PRIMARY = ['externalCustomerId', 'email', 'phone'] as const

export function primaryOf(locators: Locators | undefined): string | undefined {
  const key = PRIMARY.find((k) => locators?.[k])
  return key && `${key}:${locators![key]}`
}

/**
 * The link an event at `ts` belongs to: the latest one that began at or
 * before it. An event from before the first link is the visitor's anonymous
 * history, which joins the first contact. `links` are sorted by `since`.
 */
export function pickLink<T extends { since: number }>(links: T[], ts: number): T | undefined {
  let found = links[0]
  for (const link of links) if (link.since <= ts) found = link
  return found
}

/**
 * Whether linking to `next` says nothing new over `current`: the same contact,
 * and no contactId `current` lacks. A repeated identify, or a subscribe
 * answered 409 (no contactId) after one answered 200, keeps the first link.
 */
export function isSameLink(current: Locators | undefined, next: Locators): boolean {
  if (!current || primaryOf(current) != primaryOf(next)) return false
  return next.contactId === undefined || next.contactId === current.contactId
}

/**
 * The locators a subscribe or identify links to: externalCustomerId if
 * given, else the email, else the phone (only the identifier the contact is
 * matched by, and for identify the one the signature covers), plus eSputnik's
 * contactId when its answer carried one.
 */
export function locatorsOf(input: { externalCustomerId?: string; email?: string; phone?: string }, contactId?: string): Locators {
  const { externalCustomerId, email, phone } = input
  return {
    ...(contactId ? { contactId } : {}),
    ...(externalCustomerId ? { externalCustomerId } : email ? { email } : phone ? { phone } : {}),
  }
}
