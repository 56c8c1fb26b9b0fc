// The shop's own memory: cart, wishlist and who is signed in. A real shop
// keeps these on its server; the demo keeps them in localStorage under
// `demo:` keys (the SDK's own keys start with `esputnik:`, and stay its own).

const read = (key, fallback) => {
  try {
    return JSON.parse(localStorage.getItem(key)) ?? fallback
  } catch {
    return fallback
  }
}

const write = (key, value) => {
  try {
    if (value === undefined) localStorage.removeItem(key)
    else localStorage.setItem(key, JSON.stringify(value))
  } catch {
    // storage blocked: the page still works for this visit
  }
  // The header's counters listen for this.
  dispatchEvent(new CustomEvent('demo:change', { detail: key }))
}

/** [{id, qty}] */
export const cart = {
  lines: () => read('demo:cart', []),
  count: () => cart.lines().reduce((n, line) => n + line.qty, 0),
  /** Adds `qty` of a product (or takes away, with a negative qty); a line at 0 goes. */
  add(id, qty = 1) {
    const lines = cart.lines()
    const line = lines.find((l) => l.id == id)
    if (line) line.qty += qty
    else lines.push({ id, qty })
    write('demo:cart', lines.filter((l) => l.qty > 0))
  },
  remove: (id) => write('demo:cart', cart.lines().filter((l) => l.id != id)),
  clear: () => write('demo:cart', []),
}

/** [id] */
export const wishlist = {
  ids: () => read('demo:wishlist', []),
  has: (id) => wishlist.ids().includes(id),
  add: (id) => wishlist.has(id) || write('demo:wishlist', [...wishlist.ids(), id]),
  remove: (id) => write('demo:wishlist', wishlist.ids().filter((x) => x != id)),
}

/** {email?, externalCustomerId?} while signed in. */
export const account = {
  user: () => read('demo:user', null),
  signIn: (user) => write('demo:user', user),
  signOut: () => write('demo:user', undefined),
}

/** The address the newsletter form took, to thank rather than ask again. */
export const newsletter = {
  email: () => read('demo:subscribed', null),
  subscribed: (email) => write('demo:subscribed', email),
  forget: () => write('demo:subscribed', undefined),
}

/** [{orderId, totalCost, placedAt, delivered?}], newest last: the orders this browser placed. */
export const orders = {
  list: () => read('demo:orders', []),
  add: (order) => write('demo:orders', [...orders.list(), order].slice(-10)),
  delivered: (orderId) => write('demo:orders', orders.list().map((o) => (o.orderId == orderId ? { ...o, delivered: true } : o))),
}

export const intro = {
  isDismissed: () => read('demo:intro-dismissed', false),
  dismiss: () => write('demo:intro-dismissed', true),
}
