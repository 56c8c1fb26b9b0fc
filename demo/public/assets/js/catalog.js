// The shop's catalogue. A real shop has it in a database and in the product
// feed it gives eSputnik; the productId and productCategoryId sent with each
// event must be the ids of that feed, or eSputnik cannot match them.

export const CURRENCY = 'USD'

export const CATEGORIES = [
  { id: 'mugs', name: 'Mugs & Cups', blurb: 'Stoneware, enamel and glass, made to be held with both hands.', tint: '#e7eef3' },
  { id: 'tea', name: 'Loose-leaf Tea', blurb: 'Single-estate leaves, packed in small batches the week they ship.', tint: '#eef1e4' },
  { id: 'accessories', name: 'Tea Things', blurb: 'Infusers, pots and kettles for a slower cup.', tint: '#f4ebe3' },
]

// art: which drawing of art.js, and its colours; size: what the label says.
export const PRODUCTS = [
  {
    id: '1001', slug: 'nordic-stoneware-mug', category: 'mugs', name: 'Nordic Stoneware Mug', price: 18, inStock: true,
    size: '350 ml', rating: 4.8, reviews: 212, art: { kind: 'mug', color: '#4f6d8a', accent: '#e9e4da' },
    text: 'A heavy, matte stoneware mug with a glossy inside and a thumb-sized handle. Keeps tea hot through a long email.',
  },
  {
    id: '1002', slug: 'speckled-enamel-mug', category: 'mugs', name: 'Speckled Enamel Camp Mug', price: 14.5, inStock: true,
    size: '300 ml', rating: 4.6, reviews: 98, art: { kind: 'enamel', color: '#f3efe6', accent: '#2f3b4c' },
    text: 'Enamel on steel with a navy rim: light enough for a backpack, tough enough for a campfire.',
  },
  {
    id: '1003', slug: 'double-wall-glass-cup', category: 'mugs', name: 'Double-Wall Glass Cup', price: 22, inStock: true,
    size: '250 ml', rating: 4.7, reviews: 143, art: { kind: 'glass', color: '#c98b3c', accent: '#ffffff' },
    text: 'Borosilicate glass with an air gap between two walls, so the tea seems to float and the outside stays cool.',
  },
  {
    id: '1004', slug: 'handmade-sage-mug', category: 'mugs', name: 'Handmade Ceramic Mug, Sage', price: 26, inStock: false,
    size: '320 ml', rating: 4.9, reviews: 57, art: { kind: 'mug', color: '#8fa58a', accent: '#f1ede4' },
    text: 'Thrown on the wheel in a two-person studio; every glaze drip is its own. The next batch comes out of the kiln soon.',
  },
  {
    id: '2001', slug: 'darjeeling-first-flush', category: 'tea', name: 'Darjeeling First Flush', price: 16.9, inStock: true,
    size: '100 g tin', rating: 4.8, reviews: 176, art: { kind: 'tin', color: '#b4533c', accent: '#f3e3c6' },
    text: 'Spring leaves from a Himalayan estate: bright, floral and a little muscatel. Best without milk.',
  },
  {
    id: '2002', slug: 'sencha-kagoshima', category: 'tea', name: 'Sencha Kagoshima', price: 13.5, inStock: true,
    size: '80 g pouch', rating: 4.7, reviews: 121, art: { kind: 'pouch', color: '#6f8f3d', accent: '#eef3df' },
    text: 'Steamed green tea from southern Japan, deep green in the cup, with a sweet grassy finish. Brew at 70 °C.',
  },
  {
    id: '2003', slug: 'earl-grey-cream', category: 'tea', name: 'Earl Grey Cream', price: 11.9, inStock: true,
    size: '100 g tin', rating: 4.5, reviews: 264, art: { kind: 'tin', color: '#34527a', accent: '#f0e6cf' },
    text: 'Ceylon black tea with bergamot and a soft vanilla note. The one for a rainy afternoon.',
  },
  {
    id: '2004', slug: 'jasmine-silver-needle', category: 'tea', name: 'Jasmine Silver Needle', price: 24, inStock: false,
    size: '50 g pouch', rating: 4.9, reviews: 44, art: { kind: 'pouch', color: '#d9cfe3', accent: '#5b4a72' },
    text: 'White tea buds scented seven times with fresh jasmine blossoms. This year’s harvest sold out in a week.',
  },
  {
    id: '3001', slug: 'mesh-tea-infuser', category: 'accessories', name: 'Stainless Mesh Infuser', price: 8.5, inStock: true,
    size: 'fits any mug', rating: 4.6, reviews: 309, art: { kind: 'infuser', color: '#9aa3ad', accent: '#59626c' },
    text: 'A fine-mesh basket wide enough for the leaves to open, with a lid that doubles as a drip tray.',
  },
  {
    id: '3002', slug: 'cast-iron-teapot', category: 'accessories', name: 'Cast Iron Teapot, 0.8 l', price: 54, inStock: true,
    size: '0.8 l', rating: 4.8, reviews: 88, art: { kind: 'teapot', color: '#2f3a38', accent: '#c9a86a' },
    text: 'Enamelled inside, hobnail pattern outside, with a removable steel infuser. Holds heat for a second pot.',
  },
  {
    id: '3003', slug: 'bamboo-coaster-set', category: 'accessories', name: 'Bamboo Coaster Set of 4', price: 12, inStock: true,
    size: '4 × 10 cm', rating: 4.4, reviews: 71, art: { kind: 'coasters', color: '#d2a86e', accent: '#a87c45' },
    text: 'Carbonised bamboo in a little stand. Water rings are now someone else’s problem.',
  },
  {
    id: '3004', slug: 'gooseneck-kettle', category: 'accessories', name: 'Gooseneck Pour-over Kettle', price: 69, inStock: false,
    size: '1 l', rating: 4.7, reviews: 132, art: { kind: 'kettle', color: '#e4e0d8', accent: '#2b2b2b' },
    text: 'A slow, precise pour and a built-in thermometer for green and white teas. Back in stock next month.',
  },
]

export const productBySlug = (slug) => PRODUCTS.find((p) => p.slug == slug)
export const productById = (id) => PRODUCTS.find((p) => p.id == id)
export const categoryById = (id) => CATEGORIES.find((c) => c.id == id)
export const productsIn = (category) => PRODUCTS.filter((p) => p.category == category)

/** What the home page's "Recommended for you" shows, and the recommendation variant eSputnik reports on (r{recomId}v{variantId}). */
export const RECOMMENDED = { recomVariantId: 'r12v3', ids: ['2001', '1003', '3002', '2002'] }

/** Case-insensitive match on name, category and description: the "nothing found" case is a real one. */
export function searchProducts(query) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (!words.length) return []
  return PRODUCTS.filter((p) => {
    const text = `${p.name} ${categoryById(p.category).name} ${p.text}`.toLowerCase()
    return words.every((w) => text.includes(w))
  })
}
