// Helpers the page's modules share to make SVG and to change what they
// show without touching what has not changed.

export const SVG_NS = "http://www.w3.org/2000/svg";

// svgElement makes an SVG element with the attributes attrs.
export function svgElement(name, attrs = {}) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

// svgNumber writes an SVG coordinate to a tenth of a unit, finer than a
// pixel at any size the plot is shown.
export const svgNumber = (v) => v.toFixed(1);

// setAttribute sets an element's attribute, unless it has that value: an
// element set every frame to what it shows already is not restyled.
export function setAttribute(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

// setText sets an element's text, unless it is that already.
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}
