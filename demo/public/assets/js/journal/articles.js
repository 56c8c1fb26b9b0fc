// The journal's content. Each article ends with the products it talks about.

export const TOPICS = {
  brewing: 'Brewing',
  green: 'Green tea',
  black: 'Black tea',
  gear: 'Gear',
}

export const ARTICLES = [
  {
    slug: 'first-flush-explained', topic: 'black', minutes: 5, products: ['2001', '1003'], color: '#b4533c',
    title: 'First flush, explained',
    excerpt: 'Why the first Darjeeling picking of the year tastes of spring, and how not to drown it in milk.',
    body: [
      'Darjeeling gardens pick four times a year. The first flush, in March and April, is the lightest and brightest: the bushes wake from winter with a burst of young shoots, and the leaves carry a floral, almost grape-like note that tea tasters call muscatel.',
      'Brew it cooler than a breakfast black, at 85–90 °C, for three minutes. A glass cup shows off the pale gold liquor, and that is half the pleasure.',
      'Skip the milk. First flush has little body to stand up to it, and all the delicate aromas sit on top of the cup where milk would smother them.',
    ],
  },
  {
    slug: 'sencha-at-seventy-degrees', topic: 'green', minutes: 4, products: ['2002', '3001'], color: '#6f8f3d',
    title: 'Sencha at seventy degrees',
    excerpt: 'Boiling water makes green tea bitter. A thermometer, or a little patience, makes it sweet.',
    body: [
      'Japanese sencha is steamed, not pan-fired, which keeps its colour and its grassy sweetness, and also makes it easy to scald. At 100 °C the leaves release their tannins in a rush and the cup turns bitter.',
      'Let the kettle rest for five minutes after it boils, or pour the water into your cup first and then into the pot: every transfer costs about ten degrees.',
      'One minute for the first infusion, thirty seconds for the second, a minute again for the third. Good sencha gives at least three cups.',
    ],
  },
  {
    slug: 'the-case-for-a-gooseneck', topic: 'gear', minutes: 3, products: ['3004', '3002'], color: '#59626c',
    title: 'The case for a gooseneck kettle',
    excerpt: 'A thin spout is not just for coffee people. It is how you pour onto leaves without churning them.',
    body: [
      'A gooseneck gives a slow, narrow stream that you can aim. For tea that means wetting the leaves evenly in a small pot, instead of a flood that pushes them to one side.',
      'The built-in thermometer is the real win: green and white teas want 70–80 °C, and guessing gets old fast.',
    ],
  },
  {
    slug: 'a-cup-for-every-tea', topic: 'brewing', minutes: 6, products: ['1001', '1002', '1003'], color: '#4f6d8a',
    title: 'A cup for every tea',
    excerpt: 'Stoneware holds heat, enamel goes everywhere, glass shows you the colour. Which one when?',
    body: [
      'Thick stoneware is for strong black teas and long mornings: it soaks up heat and gives it back slowly.',
      'Enamel is for the garden, the train and the campsite: light, unbreakable, and it looks better with every chip.',
      'Glass is for teas you want to watch: a blooming jasmine, the pale gold of a first flush, the jade of a good sencha.',
    ],
  },
  {
    slug: 'earl-grey-without-the-perfume', topic: 'black', minutes: 4, products: ['2003', '3003'], color: '#34527a',
    title: 'Earl Grey without the perfume',
    excerpt: 'Real bergamot oil is citrus, not soap. Here is how to tell, and how to brew it for a rainy afternoon.',
    body: [
      'Bergamot is a bitter orange grown mostly in Calabria. Its cold-pressed oil smells of lemon peel and flowers; the cheap synthetic version smells of hand soap.',
      'Our Earl Grey Cream adds a little vanilla, which rounds off the citrus. Four minutes at a full boil, and a splash of milk is welcome here.',
    ],
  },
]

export const articleBySlug = (slug) => ARTICLES.find((a) => a.slug == slug)
