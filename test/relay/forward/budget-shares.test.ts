import { describe, expect, it } from 'vitest'
import { accountRate, shareSlots, wantOf } from '../../../src/relay/forward/budget-shares.js'

const nodes = (...list: [string, number][]) => list.map(([node, want]) => ({ node, rate: 300, want }))

describe('sharing a budget among the nodes on one database', () => {
  it.each([
    ['two nodes with work waiting split it evenly', 300, nodes(['a', 300], ['b', 300]), { a: 150, b: 150 }],
    ['an odd slot goes to one of them', 301, nodes(['a', 301], ['b', 301]), { a: 150, b: 151 }],
    ['an idle node lends all of it to the busy one', 300, nodes(['a', 300], ['b', 0]), { a: 300, b: 0 }],
    ['a node keeps what it uses; the busy one gets the rest', 300, nodes(['a', 300], ['b', 40]), { a: 260, b: 40 }],
    ['what nobody wants goes round all of them', 300, nodes(['a', 40], ['b', 0]), { a: 170, b: 130 }],
    ['three busy nodes', 350, nodes(['a', 350], ['b', 350], ['c', 350]), { a: 116, b: 117, c: 117 }],
    ['fewer slots than nodes: some get none, none more than one', 1, nodes(['a', 1], ['b', 1]), { a: 0, b: 1 }],
  ])('%s', (_, rate, list, expected) => {
    const shares = shareSlots(rate, list)
    expect(Object.fromEntries(shares)).toEqual(expected)
    expect([...shares.values()].reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(rate)
  })

  it('takes the smallest setting among the live nodes as the account’s', () => {
    expect(accountRate([{ node: 'a', rate: 300, want: 0 }, { node: 'b', rate: 200, want: 0 }])).toBe(200)
  })

  it('asks for everything while calls wait for a slot, else for what it used and a quarter more', () => {
    expect(wantOf({ hungry: true, recentStarts: 3 }, 300)).toBe(300)
    expect(wantOf({ hungry: false, recentStarts: 40 }, 300)).toBe(50)
    expect(wantOf({ hungry: false, recentStarts: 0 }, 300)).toBe(0)
    expect(wantOf({ hungry: false, recentStarts: 290 }, 300)).toBe(300)
  })
})
