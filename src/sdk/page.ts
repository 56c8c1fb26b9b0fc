/** The only module that reads the page: its address, privacy signal and lifecycle. */

export const isBrowser = (): boolean => typeof window != 'undefined' && typeof document != 'undefined'

export const currentUrl = (): string => location.href

/** A Secure cookie on https pages only: http would refuse it. */
export const isSecurePage = (): boolean => location.protocol == 'https:'

export const hasGPC = (): unknown => (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl

/**
 * `leave` runs when the page may be going away: on `pagehide` (bfcache too),
 * and when it becomes hidden, the last moment mobile browsers reliably give
 * (a tab switched away from may never come back). `online` runs when the
 * network returns.
 */
export function onPageEvents(leave: () => void, online: () => void): void {
  addEventListener('pagehide', leave)
  // visibilitychange bubbles from document to window.
  addEventListener('visibilitychange', () => document.hidden && leave())
  addEventListener('online', online)
}
