// Product pictures drawn in SVG, so the demo needs no image files and no
// network. One drawing per kind of product, coloured per product.

const shadow = '<ellipse cx="120" cy="200" rx="74" ry="9" fill="#1d2a26" opacity=".10"/>'
const steam = (c) =>
  `<g fill="none" stroke="${c}" stroke-width="4" stroke-linecap="round" opacity=".35">
    <path d="M96 52c-9-10 9-15 0-28"/><path d="M116 48c-9-10 9-15 0-28"/><path d="M136 52c-9-10 9-15 0-28"/></g>`

function mug({ color, accent }) {
  return `${shadow}${steam(color)}
  <path d="M162 92c38 0 38 62 0 62" fill="none" stroke="${color}" stroke-width="15" stroke-linecap="round"/>
  <path d="M60 70h108v90c0 22-16 36-36 36H96c-20 0-36-14-36-36z" fill="${color}"/>
  <ellipse cx="114" cy="70" rx="54" ry="11" fill="${accent}"/>
  <ellipse cx="114" cy="73" rx="47" ry="7" fill="#7b4a28" opacity=".85"/>
  <rect x="72" y="90" width="10" height="84" rx="5" fill="#fff" opacity=".16"/>`
}

// The same dots every time: a drawing must not change between two page loads.
const SPECKLES = [[78, 104], [96, 132], [120, 98], [141, 150], [150, 112], [88, 170], [132, 178], [108, 160], [70, 146], [156, 84], [104, 116], [126, 128]]

function enamel({ color, accent }) {
  const dots = SPECKLES.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="1.8" fill="${accent}" opacity=".45"/>`).join('')
  return `${shadow}${steam(accent)}
  <path d="M164 94c34 0 34 56 0 56" fill="none" stroke="${accent}" stroke-width="9" stroke-linecap="round"/>
  <path d="M62 72h104v96c0 16-10 26-26 26H88c-16 0-26-10-26-26z" fill="${color}" stroke="#d8d2c4" stroke-width="2"/>
  ${dots}
  <ellipse cx="114" cy="72" rx="52" ry="10" fill="${color}" stroke="${accent}" stroke-width="6"/>
  <path d="M64 186c8 8 16 8 24 8h52c8 0 16 0 24-8" fill="none" stroke="${accent}" stroke-width="5"/>`
}

function glass({ color }) {
  return `${shadow}
  <path d="M66 58h108l-8 122c-1 12-10 20-22 20H96c-12 0-21-8-22-20z" fill="#fff" opacity=".5" stroke="#b9cdd6" stroke-width="3"/>
  <path d="M80 104h80l-6 62c-1 9-7 14-16 14h-36c-9 0-15-5-16-14z" fill="${color}" opacity=".9"/>
  <ellipse cx="120" cy="104" rx="40" ry="6" fill="${color}"/>
  <path d="M82 70l6 98" stroke="#fff" stroke-width="5" stroke-linecap="round" opacity=".8"/>
  <ellipse cx="120" cy="58" rx="54" ry="8" fill="none" stroke="#b9cdd6" stroke-width="3"/>`
}

function tin({ color, accent }) {
  return `${shadow}
  <rect x="68" y="78" width="104" height="118" rx="8" fill="${color}"/>
  <rect x="64" y="56" width="112" height="30" rx="8" fill="${color}"/>
  <rect x="64" y="80" width="112" height="6" fill="#000" opacity=".18"/>
  <rect x="82" y="108" width="76" height="62" rx="5" fill="${accent}"/>
  <path d="M120 118c14 6 16 22 0 32c-16-10-14-26 0-32z" fill="${color}" opacity=".85"/>
  <path d="M120 122v26" stroke="${accent}" stroke-width="2"/>
  <rect x="94" y="156" width="52" height="5" rx="2.5" fill="${color}" opacity=".55"/>
  <rect x="76" y="60" width="8" height="132" rx="4" fill="#fff" opacity=".15"/>`
}

function pouch({ color, accent }) {
  return `${shadow}
  <path d="M72 62h96l6 126c-36 10-72 10-108 0z" fill="${color}"/>
  <rect x="70" y="54" width="100" height="16" rx="3" fill="${color}"/>
  <path d="M70 62h100" stroke="#000" stroke-width="2" opacity=".15"/>
  <path d="M90 54v10M150 54v10" stroke="#000" stroke-width="2" opacity=".12"/>
  <rect x="88" y="98" width="64" height="56" rx="28" fill="${accent}"/>
  <path d="M104 134c10-22 26-22 34-8c-10 12-24 14-34 8z" fill="${color}"/>
  <path d="M104 134c12-6 20-8 30-10" stroke="${accent}" stroke-width="2" fill="none"/>
  <rect x="96" y="166" width="48" height="5" rx="2.5" fill="${accent}" opacity=".8"/>`
}

function teapot({ color, accent }) {
  const nubs = []
  for (let row = 0; row < 4; row++) {
    for (let col = 0; col < 7 - (row % 2); col++) nubs.push(`<circle cx="${78 + col * 14 + (row % 2) * 7}" cy="${124 + row * 14}" r="3.2" fill="#fff" opacity=".10"/>`)
  }
  return `${shadow}
  <path d="M72 102Q120 24 168 102" fill="none" stroke="${color}" stroke-width="8" stroke-linecap="round"/>
  <path d="M70 156C52 150 40 130 30 104l11-4c9 20 19 32 33 38z" fill="${color}"/>
  <ellipse cx="35" cy="102" rx="7" ry="4" transform="rotate(-20 35 102)" fill="${color}"/>
  <ellipse cx="120" cy="146" rx="60" ry="50" fill="${color}"/>
  ${nubs.join('')}
  <ellipse cx="120" cy="100" rx="34" ry="9" fill="${color}" stroke="${accent}" stroke-width="3"/>
  <circle cx="120" cy="88" r="7" fill="${accent}"/>
  <path d="M84 186h72" stroke="#000" stroke-width="4" opacity=".2"/>`
}

function infuser({ color, accent }) {
  return `${shadow}
  <defs><pattern id="mesh" width="6" height="6" patternUnits="userSpaceOnUse">
    <path d="M0 0L6 6M6 0L0 6" stroke="${accent}" stroke-width=".8" opacity=".55"/></pattern></defs>
  <ellipse cx="150" cy="176" rx="44" ry="12" fill="${accent}" opacity=".9"/>
  <ellipse cx="150" cy="172" rx="40" ry="10" fill="${color}"/>
  <path d="M58 94h124l-14 66c-3 14-14 22-28 22h-40c-14 0-25-8-28-22z" fill="${color}"/>
  <path d="M62 98h116l-13 60c-3 12-12 19-25 19h-40c-13 0-22-7-25-19z" fill="url(#mesh)"/>
  <ellipse cx="120" cy="94" rx="78" ry="12" fill="${color}" stroke="${accent}" stroke-width="3"/>
  <ellipse cx="120" cy="94" rx="56" ry="7" fill="${accent}" opacity=".5"/>`
}

function coasters({ color, accent }) {
  const discs = [0, 1, 2, 3]
    .map((i) => `<ellipse cx="120" cy="${176 - i * 16}" rx="66" ry="18" fill="${accent}"/><ellipse cx="120" cy="${170 - i * 16}" rx="66" ry="18" fill="${color}"/>
    <ellipse cx="120" cy="${170 - i * 16}" rx="44" ry="11" fill="none" stroke="${accent}" stroke-width="2" opacity=".6"/>`)
    .join('')
  return `${shadow}${discs}
  <rect x="58" y="100" width="8" height="84" rx="4" fill="${accent}"/><rect x="174" y="100" width="8" height="84" rx="4" fill="${accent}"/>`
}

function kettle({ color, accent }) {
  return `${shadow}
  <path d="M84 150C60 150 48 120 36 92c-3-7 4-10 8-5c14 20 24 46 42 48" fill="none" stroke="${color}" stroke-width="9" stroke-linecap="round"/>
  <path d="M80 84h84l14 98c1 8-5 14-13 14H79c-8 0-14-6-13-14z" fill="${color}"/>
  <path d="M164 96c28 2 34 58 6 70" fill="none" stroke="${accent}" stroke-width="10" stroke-linecap="round"/>
  <ellipse cx="122" cy="84" rx="44" ry="8" fill="${color}" stroke="#cfc9bd" stroke-width="2"/>
  <circle cx="122" cy="72" r="12" fill="${accent}"/><circle cx="122" cy="72" r="7" fill="#fff"/>
  <path d="M122 72l4-4" stroke="${accent}" stroke-width="2"/>
  <rect x="90" y="100" width="8" height="80" rx="4" fill="#fff" opacity=".4"/>`
}

const KINDS = { mug, enamel, glass, tin, pouch, teapot, infuser, coasters, kettle }

/** The product's picture as inline SVG markup, labelled for screen readers. */
export function productArt(product) {
  const draw = KINDS[product.art.kind] ?? mug
  return `<svg class="art" viewBox="0 0 240 240" role="img" aria-label="${product.name}">${draw(product.art)}</svg>`
}

/** The shop's mark: a leaf in a cup. */
export const LOGO = `<svg class="logo-mark" viewBox="0 0 40 40" aria-hidden="true">
  <path d="M8 16h22v8c0 7-5 12-11 12s-11-5-11-12z" fill="currentColor"/>
  <path d="M30 19c5 0 5 9 0 9" fill="none" stroke="currentColor" stroke-width="3"/>
  <path d="M19 13C15 9 16 4 22 2c3 5 1 9-3 11z" fill="#c8733f"/></svg>`
