/**
 * The identifiers eSputnik finds a contact by, as the relay keeps them on a
 * visitor's link and puts them into a call (docs/esputnik-api.md,
 * "Identifiers"). Generate event v2 takes its keyValue from them in this
 * order: contactId, externalCustomerId, email, phone.
 */
export interface Locators {
  contactId?: string
  externalCustomerId?: string
  email?: string
  phone?: string
}
