import { productArt } from '../art.js'
import { CATEGORIES, PRODUCTS, RECOMMENDED, productById, productsIn } from '../catalog.js'
import { mountLayout, subscribeForm } from '../layout.js'
import { track } from '../track.js'
import { grid } from '../ui.js'

mountLayout()

const recommended = RECOMMENDED.ids.map(productById)
const hero = productById('3002')

document.querySelector('main').innerHTML = `
  <section class="hero">
    <div class="wrap hero-grid">
      <div>
        <p class="eyebrow">Spring harvest is in</p>
        <h1>Slow mornings,<br>good tea.</h1>
        <p class="lead">Single-estate loose leaf, stoneware made by hand and the tools to brew it well, shipped from our shelf to yours.</p>
        <div class="hero-actions"><a class="btn btn-large" href="/c/tea">Shop the new teas</a><a class="btn btn-ghost btn-large" href="/journal">Read the journal</a></div>
      </div>
      <div class="hero-art" aria-hidden="true">${productArt(hero)}${productArt(productById('1001'))}</div>
    </div>
  </section>
  <section class="wrap section" aria-labelledby="recommended">
    <div class="section-head"><h2 id="recommended">Recommended for you</h2><span class="muted small">Picked from what tea lovers like you brew</span></div>
    <div data-recommended>${grid(recommended)}</div>
  </section>
  <section class="wrap section">
    <div class="section-head"><h2>Shop by category</h2></div>
    <div class="categories">${CATEGORIES.map(
      (c) => `<a class="category-tile" href="/c/${c.id}" style="--tint:${c.tint}">
        <span class="category-art">${productArt(productsIn(c.id)[0])}</span>
        <span><b>${c.name}</b><span class="muted small">${productsIn(c.id).length} products</span></span></a>`,
    ).join('')}</div>
  </section>
  <section class="wrap section">
    <div class="newsletter">
      <div><h2>Ten percent off your first order</h2><p>Join the Tea Club for new harvests, brewing notes and a welcome code.</p></div>
      ${subscribeForm('home', { withName: true, button: 'Join the Tea Club' })}
    </div>
  </section>
  <section class="wrap section">
    <div class="section-head"><h2>Bestsellers</h2><a href="/search?q=tea" class="small">See all tea →</a></div>
    ${grid([...PRODUCTS].sort((a, b) => b.reviews - a.reviews).slice(0, 4))}
  </section>`

// An impression counts when the block is really seen, as eSputnik's
// recommendation reports expect: half of it on screen, once per page view.
const block = document.querySelector('[data-recommended]')
const seen = new IntersectionObserver((entries) => {
  if (!entries.some((e) => e.isIntersecting)) return
  seen.disconnect()
  track('productImpressions', { recomVariantId: RECOMMENDED.recomVariantId, products: recommended.map((p) => ({ productId: p.id })) })
}, { threshold: 0.5 })
seen.observe(block)
