/** The page for a product or shelf the catalogue does not have. */
export function notFound(message) {
  document.title = 'Not found · Kettle & Leaf'
  document.querySelector('main').innerHTML = `<section class="wrap empty-state">
    <h1>Not found</h1><p class="lead">${message}</p><a class="btn" href="/">Back to the shop</a></section>`
}
