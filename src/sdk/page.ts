/** The only module that reads the page (location, lifecycle). */

export const isBrowser = (): boolean => typeof window != 'undefined' && typeof document != 'undefined'

export const currentUrl = (): string => location.href

export const isSecurePage = (): boolean => location.protocol == 'https:'

export const hostname = (): string => location.hostname

export const hasGPC = (): boolean => (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true

/**
 * Calls `leave` when the page may be about to go away: `pagehide` (also fired
 * for bfcache) and the page becoming hidden, the last moment mobile browsers
 * reliably give (a tab switched away from may never come back).
 */
export function onLeave(leave: () => void): void {
  addEventListener('pagehide', leave)
  document.addEventListener('visibilitychange', () => document.visibilityState == 'hidden' && leave())
}

export const onOnline = (online: () => void): void => addEventListener('online', online)
