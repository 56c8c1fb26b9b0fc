/** A loopback port nothing listens on right now (another process may still take it before you bind). */
export function freePort(): Promise<number>
