// @vitest-environment happy-dom
import Cookies from 'js-cookie'
import { describe, expect, it, vi } from 'vitest'
import { reloadPage } from './support/page.js'
import { waitFor, waitUntilQuiet } from './support/relay-stub.js'
import { useTrackers } from './support/trackers.js'

const { env, track } = useTrackers()
const relay = () => env.relay

describe('consent', () => {
  it('pending keeps events in memory, sets no cookie and sends nothing until optIn', async () => {
    const tracker = track({ consent: 'pending' })
    tracker.productViewed({ productId: 'a', price: 1 })
    // Ten flush intervals (20 ms): a granted tracker would have sent by then.
    await waitUntilQuiet(() => relay().received.length, 200)
    expect(relay().received).toHaveLength(0)
    expect(Cookies.get('sc')).toBeUndefined()
    expect(tracker.visitorId).toBe('')
    expect(Object.keys(localStorage)).toEqual([])
    tracker.optIn()
    await waitFor(() => relay().events().length == 1)
    expect(Cookies.get('sc')).toBe(tracker.visitorId)
  })

  it('denied sends nothing and stores no id', async () => {
    const tracker = track({ consent: 'denied' })
    expect(tracker.productViewed({ productId: 'a', price: 1 })).toBe('')
    await tracker.flush()
    expect(relay().received).toHaveLength(0)
    expect(Cookies.get('sc')).toBeUndefined()
    expect(tracker.visitorId).toBe('')
  })

  it('optOut forgets the visitor and what was waiting, and sends nothing after', async () => {
    relay().failNext(503, 1000)
    const tracker = track()
    tracker.productViewed({ productId: 'a', price: 1 })
    await waitFor(() => relay().received.length == 1)
    tracker.optOut()
    expect(Cookies.get('sc')).toBeUndefined()
    // Only the choice itself stays, so the next page honours it.
    expect(Object.keys(localStorage).filter((key) => key.startsWith('esputnik:'))).toEqual(['esputnik:consent'])
    tracker.productViewed({ productId: 'b', price: 1 })
    await tracker.flush()
    expect(relay().received).toHaveLength(1)
  })

  it('remembers an optOut on the next page load, over the site passing consent granted', async () => {
    track().optOut()
    reloadPage()
    const next = track({ consent: 'granted', autoPageViews: true })
    expect(next.productViewed({ productId: 'a', price: 1 })).toBe('')
    await next.flush()
    expect(relay().received).toHaveLength(0)
    expect(Cookies.get('sc')).toBeUndefined()
    expect(next.visitorId).toBe('')
  })

  it('remembers an optIn on the next page load, over the site passing consent pending', async () => {
    track({ consent: 'pending' }).optIn()
    reloadPage()
    const next = track({ consent: 'pending' })
    const id = next.productViewed({ productId: 'a', price: 1 })
    await waitFor(() => relay().events().some((e) => e.id == id))
    expect(next.visitorId).toBe(Cookies.get('sc'))
  })

  it("lets the site's consent denied win over an earlier optIn", async () => {
    track().optIn()
    reloadPage()
    const next = track({ consent: 'denied' })
    expect(next.productViewed({ productId: 'a', price: 1 })).toBe('')
    expect(next.visitorId).toBe('')
  })

  it('with respectGPC, the Global Privacy Control signal counts as denied', async () => {
    vi.stubGlobal('navigator', Object.assign(Object.create(navigator), { globalPrivacyControl: true }))
    const tracker = track({ respectGPC: true })
    tracker.productViewed({ productId: 'a', price: 1 })
    await tracker.flush()
    expect(relay().received).toHaveLength(0)
    expect(Cookies.get('sc')).toBeUndefined()
  })
})
