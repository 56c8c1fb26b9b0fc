// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter, createWebHashHistory, createWebHistory } from 'vue-router'
import { watchRoutes } from '../../src/sdk/spa.js'

/**
 * watchRoutes patches the page's history object and adds window listeners,
 * so every test runs against a pristine page: the patches and listeners of
 * earlier tests are undone here.
 */
const { pushState, replaceState } = History.prototype
const views: string[] = []
const listeners: [string, EventListener][] = []
const watch = (mode: 'history' | 'hash' | false) => {
  const add = window.addEventListener
  window.addEventListener = ((type: string, listener: EventListener) => {
    listeners.push([type, listener])
    add.call(window, type, listener)
  }) as typeof add
  watchRoutes(mode, () => views.push(location.pathname + location.search + location.hash))
  window.addEventListener = add
}

beforeEach(() => {
  ;(window as any).happyDOM.setURL('https://shop.example.com/')
  history.pushState = pushState
  history.replaceState = replaceState
  for (const [type, listener] of listeners.splice(0)) removeEventListener(type, listener)
  views.length = 0
})

describe('watchRoutes in history mode', () => {
  it('counts the page the visitor lands on, then one view per new route', () => {
    watch('history')
    history.pushState({}, '', '/a')
    history.pushState({}, '', '/b?page=2')
    expect(views).toEqual(['/', '/a', '/b?page=2'])
  })

  it('does not count a replaceState that keeps the route, as routers do to save scroll state', () => {
    watch('history')
    history.replaceState({ scroll: 120 }, '')
    history.replaceState({ scroll: 240 }, '', '/')
    expect(views).toEqual(['/'])
  })

  it('counts a replaceState that changes the route (a redirect)', () => {
    watch('history')
    history.replaceState({}, '', '/login')
    expect(views).toEqual(['/', '/login'])
  })

  it('does not count an in-page anchor as a new page', () => {
    watch('history')
    history.pushState({}, '', '/#reviews')
    expect(views).toEqual(['/'])
  })

  it('counts the back button once', () => {
    watch('history')
    history.pushState({}, '', '/a')
    ;(window as any).happyDOM.setURL('https://shop.example.com/')
    dispatchEvent(new PopStateEvent('popstate'))
    dispatchEvent(new PopStateEvent('popstate'))
    expect(views).toEqual(['/', '/a', '/'])
  })

  it('with spa off, counts the landing page only', () => {
    watch(false)
    history.pushState({}, '', '/a')
    expect(views).toEqual(['/'])
  })
})

describe('watchRoutes in hash mode', () => {
  it('treats "", "#" and "#/" as the same root, so a router rewriting / to /#/ adds no view', () => {
    watch('hash')
    history.replaceState({}, '', '/#/')
    history.replaceState({}, '', '/#')
    expect(views).toEqual(['/'])
  })

  it('counts each new hash route, from hashchange too', () => {
    watch('hash')
    ;(window as any).happyDOM.setURL('https://shop.example.com/#/cart')
    dispatchEvent(new HashChangeEvent('hashchange'))
    history.pushState({}, '', '/#/checkout')
    expect(views).toEqual(['/', '/#/cart', '/#/checkout'])
  })

  it('does not count an anchor inside a hash route as a new route', () => {
    watch('hash')
    history.pushState({}, '', '/#/faq')
    history.pushState({}, '', '/#/faq#shipping')
    history.pushState({}, '', '/?ref=mail#/faq')
    expect(views).toEqual(['/', '/#/faq', '/?ref=mail#/faq'])
  })
})

/**
 * A real router, not hand-written history calls: Vue Router replaces the
 * current entry on start and before each navigation to save scroll state, a
 * pattern that makes trackers which count every history call report page
 * views that never happened.
 */
describe('watchRoutes under Vue Router', () => {
  const routes = ['/', '/products', '/products/:id', '/cart'].map((path) => ({ path, component: {} }))

  it('counts exactly one view per navigation with createWebHistory', async () => {
    watch('history')
    const router = createRouter({ history: createWebHistory(), routes })
    await router.push('/products')
    await router.push('/products/42')
    await router.push('/products/42') // same route again: no navigation
    await router.replace('/products/42')
    await router.push('/cart')
    expect(views).toEqual(['/', '/products', '/products/42', '/cart'])
  })

  it('counts the back button once under Vue Router', async () => {
    watch('history')
    const router = createRouter({ history: createWebHistory(), routes })
    await router.push('/products')
    await router.push('/cart')
    const back = new Promise((resolve) => router.afterEach(resolve))
    router.back()
    await back
    expect(views).toEqual(['/', '/products', '/cart', '/products'])
  })

  it('counts exactly one view per navigation with createWebHashHistory, the landing page once', async () => {
    watch('hash')
    const router = createRouter({ history: createWebHashHistory(), routes })
    await router.push('/') // the router's start: it rewrites / to /#/
    await router.push('/products')
    await router.push('/cart')
    expect(location.hash).toBe('#/cart')
    expect(views).toEqual(['/', '/#/products', '/#/cart'])
  })

  it('sees nothing from a router that keeps its routes in memory', async () => {
    watch('history')
    const router = createRouter({ history: createMemoryHistory(), routes })
    await router.push('/products')
    expect(views).toEqual(['/'])
  })
})
