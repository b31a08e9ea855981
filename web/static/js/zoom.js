// Zoom and pan of the plot: the wheel zooms about the pointer (a touchpad's
// pinch comes as a wheel with Ctrl held), a drag pans, two fingers pinch
// (pointer events, so a pen or a touch screen works as a mouse does), and
// keys zoom about the middle. The plot follows at once by moving what it has
// drawn (Plot.preview); once the gesture rests, the new view is handed to
// onSettle for the server to draw, and drawn() ends the preview. A press
// that moved is a drag, not a click: its click is swallowed before the
// plot's own click handler sees it.

const WHEEL_REST = 250; // ms without a wheel event that ends a wheel zoom
const DRAG_SLOP = 4; // CSS pixels a press must move to become a drag
const WHEEL_RATE = 0.002; // zoom per wheel pixel: e^(0.002 · 100) ≈ 1.22 a notch
// Views stay within what the server draws (web/surface.go): bounds within
// ±1e6, and between 1e-4 and 1e2 times the surface's own view across.
const MAX_BOUND = 1e6;
const ZOOM_IN = 1e4;
const ZOOM_OUT = 1e2;

// wheelPixels is a wheel event's vertical travel in pixels, whether the
// browser reports it in pixels, lines or pages.
export function wheelPixels(event) {
  return event.deltaY * (event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1);
}

export class Zoom {
  // container holds the plot, and is kept when the plot is replaced;
  // plot() returns the current Plot; home() the surface's own view;
  // onSettle(view) is called with each view a gesture rests on.
  constructor(container, { plot, home, onSettle }) {
    this.container = container;
    this.plot = plot;
    this.home = home;
    this.onSettle = onSettle;
    this.target = null; // the view asked for while it is not yet drawn
    this.pointers = new Map(); // pointerId → {x, y}: client pixels
    this.gesture = null; // {view, anchor, centre, spread, moved} at its start
    this.swallowClick = false;
    this.wheelTimer = 0;
    container.addEventListener("wheel", (e) => this.wheel(e), { passive: false });
    container.addEventListener("pointerdown", (e) => this.down(e));
    container.addEventListener("pointermove", (e) => this.move(e));
    container.addEventListener("pointerup", (e) => this.up(e));
    container.addEventListener("pointercancel", (e) => this.up(e));
    container.addEventListener("click", (e) => this.click(e), true);
  }

  // view is the view shown: the one asked for, else the one drawn.
  get view() {
    return this.target ?? this.plot().view;
  }

  // set shows view (null: the surface's own), as the reset button and the
  // 0 key ask.
  set(view) {
    const v = view ?? this.home();
    if (sameView(v, this.plot().view)) {
      this.cancel();
      return;
    }
    this.show(v);
    this.settle();
  }

  // zoomBy zooms the view about its middle by factor (below 1 zooms in).
  zoomBy(factor) {
    const v = this.view;
    this.show(scaleAbout(v, [(v[0] + v[1]) / 2, (v[2] + v[3]) / 2], factor));
    this.restWheel();
  }

  // cancel gives up the view asked for, which could not be drawn.
  cancel() {
    this.target = null;
    this.plot().preview(null);
  }

  // drawn ends the preview once the plot draws the view it was asked for,
  // or previews the one asked for since.
  drawn() {
    const plot = this.plot();
    if (this.target && sameView(this.target, plot.view)) this.target = null;
    plot.preview(this.target);
  }

  show(view) {
    this.target = clamp(view, this.home());
    this.plot().preview(this.target);
  }

  settle() {
    if (this.target && !this.gesture) this.onSettle(this.target);
  }

  restWheel() {
    clearTimeout(this.wheelTimer);
    this.wheelTimer = setTimeout(() => this.settle(), WHEEL_REST);
  }

  // svgPoint returns the plot's SVG coordinates of client pixels.
  svgPoint(x, y) {
    return this.plot().svgPoint({ clientX: x, clientY: y });
  }

  wheel(event) {
    const pt = this.svgPoint(event.clientX, event.clientY);
    if (!pt || !this.plot().inArea(pt)) return;
    event.preventDefault();
    const pixels = wheelPixels(event);
    const v = this.view;
    this.show(scaleAbout(v, this.plot().toData(pt, v), Math.exp(pixels * WHEEL_RATE)));
    this.restWheel();
  }

  down(event) {
    if (event.pointerType === "mouse" && event.button !== 0) return;
    const pt = this.svgPoint(event.clientX, event.clientY);
    if (!pt || !this.plot().inArea(pt)) return;
    this.pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    this.begin();
  }

  // begin starts a gesture from the pointers down now, so that a second
  // finger turns a drag into a pinch and lifting one turns it back.
  begin() {
    if (this.pointers.size === 0) {
      this.gesture = null;
      return;
    }
    const moved = this.gesture?.moved ?? false;
    const { centre, spread } = this.measure();
    const view = this.view;
    const pt = this.svgPoint(centre.x, centre.y);
    this.gesture = { view, anchor: this.plot().toData(pt, view), centre, spread, moved };
  }

  // measure returns the pointers' centre and spread (mean distance from
  // it), in client pixels.
  measure() {
    const ps = [...this.pointers.values()];
    const centre = { x: ps.reduce((s, p) => s + p.x, 0) / ps.length, y: ps.reduce((s, p) => s + p.y, 0) / ps.length };
    const spread = ps.reduce((s, p) => s + Math.hypot(p.x - centre.x, p.y - centre.y), 0) / ps.length;
    return { centre, spread };
  }

  move(event) {
    if (!this.pointers.has(event.pointerId)) return;
    this.pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    const g = this.gesture;
    const { centre, spread } = this.measure();
    if (!g.moved) {
      if (Math.hypot(centre.x - g.centre.x, centre.y - g.centre.y) < DRAG_SLOP && Math.abs(spread - g.spread) < DRAG_SLOP) return;
      g.moved = true;
      this.container.classList.add("panning");
      for (const id of this.pointers.keys()) this.container.setPointerCapture?.(id);
    }
    // The data point under the gesture's first centre stays under its
    // centre now; the view grows as the fingers close.
    const factor = this.pointers.size > 1 && spread > 0 ? g.spread / spread : 1;
    const w = (g.view[1] - g.view[0]) * factor;
    const h = (g.view[3] - g.view[2]) * factor;
    const plot = this.plot();
    const pt = this.svgPoint(centre.x, centre.y);
    const fx = (pt.x - plot.left) / plot.width;
    const fy = (pt.y - plot.top) / plot.height;
    const xmin = g.anchor[0] - fx * w;
    const ymax = g.anchor[1] + fy * h;
    this.show([xmin, xmin + w, ymax - h, ymax]);
  }

  up(event) {
    if (!this.pointers.delete(event.pointerId)) return;
    const moved = this.gesture?.moved;
    this.begin();
    if (this.pointers.size > 0) return;
    this.container.classList.remove("panning");
    if (moved) {
      this.swallowClick = true;
      // A click follows a mouse's pointerup at once, or not at all.
      setTimeout(() => (this.swallowClick = false), 0);
      this.settle();
    }
  }

  // click swallows the click that ends a drag, and clicks while a new view
  // is being drawn, whose points the plot cannot place yet.
  click(event) {
    if (this.swallowClick || this.target) {
      event.stopPropagation();
      event.preventDefault();
      this.swallowClick = false;
    }
  }
}

// scaleAbout scales view by factor about point p, which stays where it is.
function scaleAbout(v, [px, py], factor) {
  return [px - (px - v[0]) * factor, px + (v[1] - px) * factor, py - (py - v[2]) * factor, py + (v[3] - py) * factor];
}

// clamp keeps a view between ZOOM_IN and ZOOM_OUT times across of home
// (scaling it about its middle) and inside ±MAX_BOUND (moving it).
function clamp(v, home) {
  const w = v[1] - v[0];
  const homeW = home[1] - home[0];
  const factor = Math.min(Math.max(w, homeW / ZOOM_IN), homeW * ZOOM_OUT, MAX_BOUND) / w;
  let out = scaleAbout(v, [(v[0] + v[1]) / 2, (v[2] + v[3]) / 2], factor);
  const shift = (lo, hi) => (lo < -MAX_BOUND ? -MAX_BOUND - lo : hi > MAX_BOUND ? MAX_BOUND - hi : 0);
  const dx = shift(out[0], out[1]);
  const dy = shift(out[2], out[3]);
  out = [out[0] + dx, out[1] + dx, out[2] + dy, out[3] + dy];
  return out.map((c) => Number(c.toPrecision(12)));
}

// sameView reports whether two views agree to the precision the URL keeps.
export function sameView(a, b) {
  return Boolean(a && b) && a.every((c, i) => Math.abs(c - b[i]) <= 1e-9 * Math.max(Math.abs(a[1] - a[0]), Math.abs(a[3] - a[2])));
}
