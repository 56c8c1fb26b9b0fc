import type { FastifyInstance, FastifyRequest } from 'fastify'

/**
 * The shop's order backend, as a real shop's would be: *Place order* posts
 * the cart here, the shop numbers the order and hands it to the relay's
 * `POST /v1/server/orders` with the visitor's `sc` cookie (the relay fills in
 * the contact and the cart from that visitor); the account page's *Mark as
 * delivered* sends the same order again with status DELIVERED. The demo
 * keeps its orders in memory, and takes the page's prices at their word.
 */

export interface OrdersRouteOptions {
  /** The relay's SERVER_TOKEN: the demo runs the relay in-process and calls it over HTTP, as a shop's backend would. */
  serverToken: string
  /** The relay's cookie name (the SDK's `cookieName`). @defaultValue `sc` */
  cookieName?: string
}

interface Line {
  productId: string
  quantity: number
  price: number
  name?: string
  category?: string
}

interface Order {
  orderId: string
  visitorId?: string
  totalCost: number
  shipping: number
  date: string
  items: Line[]
}

/** Orders kept in memory; the oldest go first. */
const MAX_ORDERS = 1000
/** What the cart page shows: free shipping from $40, else $4.90. */
const shippingOf = (subtotal: number) => (subtotal >= 40 || !subtotal ? 0 : 4.9)
const cents = (n: number) => Math.round(n * 100) / 100

function linesOf(body: unknown): Line[] | undefined {
  const items = (body as { items?: unknown } | undefined)?.items
  if (!Array.isArray(items) || !items.length || items.length > 100) return undefined
  const lines = items.map((i: Record<string, unknown> | null) => ({
    productId: String(i?.productId ?? ''),
    quantity: Number(i?.quantity),
    price: Number(i?.price),
    ...(typeof i?.name == 'string' ? { name: i.name } : {}),
    ...(typeof i?.category == 'string' ? { category: i.category } : {}),
  }))
  return lines.every((l) => l.productId && Number.isInteger(l.quantity) && l.quantity > 0 && l.price >= 0) ? lines : undefined
}

/** The visitor id as the shop's backend sees it: the first-party cookie the SDK wrote. */
function visitorOf(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key == name) return decodeURIComponent(value.join('='))
  }
}

/** This server's own origin: the relay answers on it. */
function ownOrigin(app: FastifyInstance): string {
  const address = app.server.address()
  if (!address || typeof address == 'string') throw new Error('the demo server is not listening')
  const host = address.address == '0.0.0.0' || address.address == '::' ? '127.0.0.1' : address.address
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
}

export async function ordersRoutes(app: FastifyInstance, o: OrdersRouteOptions) {
  const orders = new Map<string, Order>()
  const cookieName = o.cookieName ?? 'sc'

  async function send(order: Order, status: 'INITIALIZED' | 'DELIVERED') {
    const { orderId, visitorId, totalCost, shipping, date, items } = order
    const res = await fetch(`${ownOrigin(app)}/v1/server/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${o.serverToken}` },
      body: JSON.stringify({ orders: [{ orderId, status, totalCost, shipping, currencyCode: 'USD', date, items, ...(visitorId ? { visitorId } : {}) }] }),
    })
    const answer = (await res.json()) as { orders?: { accepted: boolean; held?: boolean; reason?: string }[]; error?: string }
    return { ok: res.ok && answer.orders?.[0]?.accepted === true, held: answer.orders?.[0]?.held ?? false, reason: answer.orders?.[0]?.reason ?? answer.error }
  }

  app.post<{ Body: unknown }>('/demo/orders', async (request, reply) => {
    const items = linesOf(request.body)
    if (!items) return reply.code(400).send({ error: 'The cart is empty or has a line the shop does not sell.' })
    const subtotal = cents(items.reduce((sum, l) => sum + l.price * l.quantity, 0))
    const shipping = shippingOf(subtotal)
    const visitorId = visitorOf(request, cookieName)
    const order: Order = { orderId: `KL-${Date.now().toString(36).toUpperCase()}`, totalCost: cents(subtotal + shipping), shipping, date: new Date().toISOString(), items, ...(visitorId ? { visitorId } : {}) }
    const sent = await send(order, 'INITIALIZED')
    if (!sent.ok) return reply.code(502).send({ error: `The relay refused the order: ${sent.reason}` })
    orders.set(order.orderId, order)
    if (orders.size > MAX_ORDERS) orders.delete(orders.keys().next().value!)
    return { orderId: order.orderId, totalCost: order.totalCost, held: sent.held }
  })

  app.post<{ Params: { id: string } }>('/demo/orders/:id/delivered', async (request, reply) => {
    const order = orders.get(request.params.id)
    if (!order) return reply.code(404).send({ error: 'The shop has no such order (it forgets its orders when it restarts).' })
    const sent = await send(order, 'DELIVERED')
    if (!sent.ok) return reply.code(502).send({ error: `The relay refused the update: ${sent.reason}` })
    return { orderId: order.orderId, status: 'DELIVERED' }
  })
}
