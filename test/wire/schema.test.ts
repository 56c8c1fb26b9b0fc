import { describe, expect, it } from 'vitest'
import { checkEventData } from '../../src/wire/schema.js'

describe('checkEventData', () => {
  it.each<[unknown, number]>([
    [true, 1],
    [false, 0],
    [1, 1],
    [0, 0],
  ])('stores isInStock %s as %i, the int eSputnik takes', (given, stored) => {
    expect(checkEventData('productViewed', { productId: 'a', price: 1, isInStock: given })).toEqual({ productId: 'a', price: 1, isInStock: stored })
  })

  it.each<[unknown, number]>([
    [true, 1],
    [false, 0],
  ])('stores isFound %s as %i', (given, stored) => {
    expect(checkEventData('searchRequest', { search: 'mug', isFound: given })).toEqual({ search: 'mug', isFound: stored })
  })

  it.each([2, -1, 'true', null, 0.5])('refuses isInStock %j with the values it takes', (given) => {
    expect(() => checkEventData('productViewed', { productId: 'a', price: 1, isInStock: given })).toThrow('isInStock must be 0, 1, true or false')
  })

  it('keeps only the fields its schema names', () => {
    expect(checkEventData('productCategoryViewed', { productCategoryId: 'Mugs', recycleStateId: 'x', extra: 1 })).toEqual({ productCategoryId: 'Mugs' })
  })
})
