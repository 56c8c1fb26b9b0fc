import { describe, expect, it } from 'vitest'
import { isSameLink, locatorsOf, pickLink, primaryOf } from '../../../src/relay/store/links.js'

describe('link rules', () => {
  const links = [{ since: 10, name: 'alice' }, { since: 20, name: 'bob' }]

  it.each([
    [5, 'alice'],
    [10, 'alice'],
    [19, 'alice'],
    [20, 'bob'],
    [99, 'bob'],
  ])('gives an event at %i to the link of %s (history before the first link joins the first)', (ts, name) => {
    expect(pickLink(links, ts)?.name).toBe(name)
  })

  it('gives no link to a visitor that has none', () => {
    expect(pickLink([], 5)).toBeUndefined()
  })

  it.each([
    [{ externalCustomerId: 'c-1', email: 'a@b.co' }, 'externalCustomerId:c-1'],
    [{ contactId: '7', email: 'a@b.co', phone: '380501234567' }, 'email:a@b.co'],
    [{ phone: '380501234567' }, 'phone:380501234567'],
    [{}, undefined],
  ])('names %j by its primary identifier %s', (locators, primary) => {
    expect(primaryOf(locators)).toBe(primary)
  })

  it.each<[object | undefined, object, boolean]>([
    [undefined, { email: 'a@b.co' }, false],
    [{ email: 'a@b.co' }, { email: 'a@b.co' }, true],
    [{ contactId: '7', email: 'a@b.co' }, { email: 'a@b.co' }, true],
    [{ email: 'a@b.co' }, { contactId: '7', email: 'a@b.co' }, false],
    [{ contactId: '7', email: 'a@b.co' }, { contactId: '8', email: 'a@b.co' }, false],
    [{ email: 'a@b.co' }, { email: 'c@d.co' }, false],
  ])('from %j, linking to %j is the same link: %s', (current, next, same) => {
    expect(isSameLink(current, next)).toBe(same)
  })

  it.each([
    [{ externalCustomerId: 'c-1', email: 'a@b.co', phone: '380501234567' }, undefined, { externalCustomerId: 'c-1' }],
    [{ email: 'a@b.co', phone: '380501234567' }, '100001', { contactId: '100001', email: 'a@b.co' }],
    [{ phone: '380501234567' }, undefined, { phone: '380501234567' }],
  ])('links %j (contactId %s) to %j', (input, contactId, locators) => {
    expect(locatorsOf(input, contactId)).toEqual(locators)
  })
})
