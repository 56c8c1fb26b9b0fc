import { productById } from '../catalog.js'
import { mountLayout } from '../layout.js'
import { wishlist } from '../state.js'
import { grid } from '../ui.js'

mountLayout()
const main = document.querySelector('main')

function render() {
  const products = wishlist.ids().map(productById).filter(Boolean)
  main.innerHTML = `<div class="wrap"><h1>Your wishlist</h1>
    ${
      products.length
        ? `<p class="muted">Saved for later. We will let you know when a sold-out favourite is back.</p>${grid(products)}
           <p><button class="link-button" data-clear>Clear the wishlist</button></p>`
        : '<div class="empty-state"><p class="lead">Nothing saved yet. Tap ♡ on a product to keep it here.</p><a class="btn" href="/c/mugs">Find a favourite mug</a></div>'
    }</div>`
}

main.addEventListener('click', (event) => {
  if (!event.target.closest('[data-clear]')) return
  for (const id of wishlist.ids()) wishlist.remove(id)
  render()
})
render()
