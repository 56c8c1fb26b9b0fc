// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createStorage } from '../../src/sdk/storage.js'

afterEach(() => {
  vi.unstubAllGlobals()
  localStorage.clear()
})

/** A localStorage whose writes fail as `failing` says, the way browsers fail them. */
function stubLocalStorage(failing: (key: string) => DOMException | undefined) {
  const data: Record<string, string> = {}
  vi.stubGlobal('localStorage', {
    length: 0,
    getItem: (key: string) => data[key] ?? null,
    setItem(key: string, value: string) {
      const error = failing(key)
      if (error) throw error
      data[key] = value
    },
    removeItem: (key: string) => delete data[key],
  })
  return data
}

describe('createStorage', () => {
  it('keeps values in localStorage, where the next page load finds them', () => {
    createStorage().set('esputnik:q:1', 'batch')
    expect(localStorage.getItem('esputnik:q:1')).toBe('batch')
    expect(createStorage().keys()).toContain('esputnik:q:1')
  })

  it('falls back to memory when localStorage is blocked, and still works', () => {
    vi.stubGlobal('localStorage', undefined)
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError')
      },
    })
    const kv = createStorage()
    kv.set('a', '1')
    kv.set('b', '2')
    kv.remove('a')
    expect(kv.get('b')).toBe('2')
    expect(kv.get('a')).toBeFalsy()
    expect(kv.keys()).toEqual(['b'])
  })

  it('skips a write localStorage refuses for quota, without throwing, and keeps the rest', () => {
    const data = stubLocalStorage((key) => (key == 'big' ? new DOMException('full', 'QuotaExceededError') : undefined))
    const kv = createStorage()
    expect(() => kv.set('big', 'x')).not.toThrow()
    kv.set('small', 'y')
    expect(kv.get('big')).toBeNull()
    expect(data.small).toBe('y')
  })
})
