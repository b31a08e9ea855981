// The contour plot: mapping between data and SVG coordinates, the start
// marker, and what is drawn of each run over the contours: its path, its
// running average (dashed), its line-search probes (faint dots), its
// velocity arrows and the inspected iterate with its arrows. A new view is
// previewed by moving what is drawn, then drawn afresh from the server's
// rendering of it.

const SVG_NS = "http://www.w3.org/2000/svg";

function svgElement(name, attrs = {}) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

const fmt = (v) => v.toFixed(1);

// Velocity arrows are drawn at iterates about VELOCITY_SPACING SVG units of
// path apart, and at the newest iterate; each is as long as the velocity at
// the plot's scale, within VELOCITY_LENGTH, so that a tiny one still shows
// and a huge one stays near its iterate.
const VELOCITY_SPACING = 40;
const VELOCITY_LENGTH = [6, 60];

// Plot wraps the server-rendered <svg id="plot">. Its data-view attribute
// holds the view "xmin xmax ymin ymax" and data-box the plot area
// "left top width height" in SVG units.
export class Plot {
  constructor(svg) {
    this.svg = svg;
    [this.xmin, this.xmax, this.ymin, this.ymax] = svg.dataset.view.split(" ").map(Number);
    [this.left, this.top, this.width, this.height] = svg.dataset.box.split(" ").map(Number);
    this.layer = svg.querySelector("#trajectories");
    this.startMarker = svg.querySelector("#start-marker");
    this.zoomable = svg.querySelector(".zoomable");
    this.inspectLayer = svgElement("g", { id: "inspect", class: "inspect" });
    this.zoomable.append(this.inspectLayer);
    this.lines = [];
    this.starts = null;
  }

  // view is the view drawn, [xmin, xmax, ymin, ymax].
  get view() {
    return [this.xmin, this.xmax, this.ymin, this.ymax];
  }

  // preview shows view at once by moving what is drawn for the current
  // view, until setView draws it; null ends the preview. Both views must
  // have the same shape, as zooming and panning keep it.
  preview(view) {
    if (!view) {
      this.zoomable.removeAttribute("transform");
      return;
    }
    const k = (this.xmax - this.xmin) / (view[1] - view[0]);
    const tx = this.left * (1 - k) + k * this.scale * (this.xmin - view[0]);
    const ty = this.top * (1 - k) + k * this.scale * (view[3] - this.ymax);
    this.zoomable.setAttribute("transform", `translate(${tx} ${ty}) scale(${k})`);
  }

  // setView takes the drawing of the server's rendering of another view of
  // the same surface (GET /plot): contours, labels, field, minima, axes and
  // start marker. It keeps the runs' layer, which redraw then fills in the
  // new view's coordinates, and drops an underlay drawn for the old view.
  setView(svgText) {
    const fresh = document.importNode(new DOMParser().parseFromString(svgText, "image/svg+xml").documentElement, true);
    for (const name of ["viewBox", "aria-label", "data-view", "data-box", "data-start"]) {
      this.svg.setAttribute(name, fresh.getAttribute(name));
    }
    fresh.querySelector("#trajectories").replaceWith(this.layer);
    this.zoomable = fresh.querySelector(".zoomable");
    this.zoomable.append(this.inspectLayer);
    this.startMarker = fresh.querySelector("#start-marker");
    this.svg.replaceChildren(...fresh.childNodes);
    [this.xmin, this.xmax, this.ymin, this.ymax] = this.svg.dataset.view.split(" ").map(Number);
    [this.left, this.top, this.width, this.height] = this.svg.dataset.box.split(" ").map(Number);
  }

  // redraw draws the runs again as far as they were drawn, as after a new
  // view.
  redraw(runs) {
    this.reset(runs, this.starts);
    runs.forEach((run, i) => this.draw(i, run, run.drawn));
  }

  get surface() {
    return this.svg.dataset.surface;
  }

  // scale is the number of SVG units per data unit (equal on both axes).
  get scale() {
    return this.width / (this.xmax - this.xmin);
  }

  toSVG([x, y]) {
    return [
      this.left + ((x - this.xmin) / (this.xmax - this.xmin)) * this.width,
      this.top + ((this.ymax - y) / (this.ymax - this.ymin)) * this.height,
    ];
  }

  // svgPoint returns the SVG coordinates under a pointer event.
  svgPoint(event) {
    const ctm = this.svg.getScreenCTM();
    if (!ctm) return null;
    return new DOMPoint(event.clientX, event.clientY).matrixTransform(ctm.inverse());
  }

  // fromEvent returns the data coordinates under a pointer event, or null
  // when it falls outside the plot area.
  fromEvent(event) {
    const pt = this.svgPoint(event);
    if (!pt || !this.inArea(pt)) return null;
    return this.toData(pt, this.view);
  }

  // inArea reports whether an SVG point is inside the plot area.
  inArea(pt) {
    return pt.x >= this.left && pt.x <= this.left + this.width && pt.y >= this.top && pt.y <= this.top + this.height;
  }

  // toData returns the data coordinates of an SVG point when the plot area
  // shows view.
  toData(pt, view) {
    return [
      view[0] + ((pt.x - this.left) / this.width) * (view[1] - view[0]),
      view[3] - ((pt.y - this.top) / this.height) * (view[3] - view[2]),
    ];
  }

  // snap rounds a point to a grid about a hundredth of the view across, so a
  // clicked start reads as a clean number such as (-1.25, 2.1).
  snap([x, y]) {
    const step = (span) => 10 ** Math.floor(Math.log10(span / 100));
    const round = (v, s) => Number((Math.round(v / s) * s).toFixed(12));
    return [round(x, step(this.xmax - this.xmin)), round(y, step(this.ymax - this.ymin))];
  }

  // setUnderlay paints an image (a basin map) over the plot area, under the
  // contours; null removes it.
  setUnderlay(href) {
    this.svg.querySelector(".basin-map")?.remove();
    if (!href) return;
    const image = svgElement("image", {
      class: "basin-map",
      x: this.left,
      y: this.top,
      width: this.width,
      height: this.height,
      preserveAspectRatio: "none",
      href,
    });
    this.zoomable.querySelector(".contours").before(image);
  }

  // setContours replaces the contour lines with those of another rendering
  // of the same view, such as a blurred stage of a continuation run.
  setContours(svgText) {
    const doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
    const fresh = doc.querySelector(".contours");
    const current = this.svg.querySelector(".contours");
    if (fresh && current) current.replaceChildren(...[...fresh.childNodes].map((n) => document.importNode(n, true)));
  }

  setStart(point) {
    const [sx, sy] = this.toSVG(point);
    this.startMarker.setAttribute("transform", `translate(${sx} ${sy})`);
  }

  // reset removes every run's drawing and prepares one group per run. With
  // a cloud of starts, the runs are drawn thin and the starts as rings.
  reset(runs, starts) {
    this.starts = starts;
    this.layer.replaceChildren();
    this.inspectLayer.replaceChildren();
    this.layer.classList.toggle("cloud", Boolean(starts));
    if (starts) {
      const rings = svgElement("g", { class: "starts" });
      for (const p of starts) {
        const [sx, sy] = this.toSVG(p);
        rings.append(svgElement("circle", { cx: fmt(sx), cy: fmt(sy), r: "2.5" }));
      }
      this.layer.append(rings);
    }
    this.lines = runs.map((run) => {
      const group = svgElement("g", { class: `run c${run.colour}` });
      const probes = svgElement("g", { class: "probes" });
      const average = svgElement("polyline", { class: "average" });
      const line = svgElement("polyline", { class: "trajectory" });
      line.dataset.testid = "trajectory";
      line.dataset.optimizer = run.name;
      line.dataset.points = "0";
      const head = svgElement("circle", { class: "head", r: "5", visibility: "hidden" });
      const velocities = svgElement("g", { class: "velocities" });
      group.append(probes, average, line, velocities, head);
      this.layer.append(group);
      return {
        line, head, average, probes, velocities,
        path: new Points(1), avg: new Points(0), probesDrawn: 0,
        arrows: { at: [], scanned: 0, travelled: 0, shown: "" },
      };
    });
  }

  // draw shows the first n iterates of run i: its path, its average and the
  // probes that led to them. n may go down as well as up.
  draw(i, run, n) {
    const l = this.lines[i];
    if (!l) return;
    l.path.extend(run.path, n, this);
    l.line.setAttribute("points", l.path.text(n, run.path, this));
    l.line.dataset.points = String(n);
    if (run.average.length > 0) {
      const m = Math.min(n, run.average.length);
      l.avg.extend(run.average, m, this);
      l.average.setAttribute("points", l.avg.text(m, run.average, this));
    }
    while (l.probesDrawn > 0 && run.evals[l.probesDrawn - 1][0] > n) {
      l.probes.lastChild.remove();
      l.probesDrawn--;
    }
    while (l.probesDrawn < run.evals.length && run.evals[l.probesDrawn][0] <= n) {
      const [, x, y] = run.evals[l.probesDrawn++];
      const [sx, sy] = this.toSVG([x, y]);
      l.probes.append(svgElement("circle", { cx: fmt(sx), cy: fmt(sy), r: "2.5" }));
    }
    if (n > 0) {
      const [hx, hy] = this.toSVG(run.path[n - 1]);
      l.head.setAttribute("cx", fmt(hx));
      l.head.setAttribute("cy", fmt(hy));
    }
    l.head.setAttribute("visibility", n > 0 ? "visible" : "hidden");
    this.drawVelocities(l, run, n);
  }

  // drawVelocities draws the velocity that carried run into some of its
  // first n iterates (for momentum methods, from the trace): iterate k's is
  // the velocity after step k − 1, the step that reached it.
  drawVelocities(l, run, n) {
    const velocity = (k) => {
      const v = k > 0 ? run.trace[k - 1]?.state?.velocity : undefined;
      return v && (v[0] !== 0 || v[1] !== 0) ? v : undefined;
    };
    const a = l.arrows;
    for (; a.scanned < n; a.scanned++) {
      const k = a.scanned;
      if (k === 0) continue;
      const [x0, y0] = this.toSVG(run.path[k - 1]);
      const [x1, y1] = this.toSVG(run.path[k]);
      a.travelled += Math.hypot(x1 - x0, y1 - y0);
      if (a.travelled >= VELOCITY_SPACING && velocity(k)) {
        a.at.push(k);
        a.travelled = 0;
      }
    }
    const ks = a.at.filter((k) => k < n - 1);
    if (velocity(n - 1)) ks.push(n - 1);
    const key = ks.join(" ");
    if (key === a.shown) return;
    a.shown = key;
    l.velocities.replaceChildren(...ks.map((k) => this.arrowPath(run.path[k], velocity(k))));
  }

  // arrowPath draws vector v at point p as an arrow, as long as v at the
  // plot's scale within VELOCITY_LENGTH.
  arrowPath(p, v) {
    const [cx, cy] = this.toSVG(p);
    const norm = Math.hypot(v[0], v[1]);
    const len = Math.min(VELOCITY_LENGTH[1], Math.max(VELOCITY_LENGTH[0], norm * this.scale));
    const [ux, uy] = [v[0] / norm, -v[1] / norm];
    const [hx, hy] = [cx + ux * len, cy + uy * len];
    const h = Math.min(5, len / 2);
    const [bx, by] = [hx - ux * h, hy - uy * h];
    const [px, py] = [(-uy * h) / 2, (ux * h) / 2];
    const d = `M${fmt(cx)},${fmt(cy)}L${fmt(hx)},${fmt(hy)}M${fmt(bx + px)},${fmt(by + py)}L${fmt(hx)},${fmt(hy)}L${fmt(bx - px)},${fmt(by - py)}`;
    return svgElement("path", { class: "velocity-arrow", d });
  }

  // nearest finds the drawn iterate closest to a pointer event, within
  // radius SVG units: {run, k} or null.
  nearest(event, runs, radius = 12) {
    const pt = this.svgPoint(event);
    if (!pt) return null;
    let best = null;
    let bestD = radius * radius;
    runs.forEach((run, i) => {
      for (let k = 0; k < run.drawn; k++) {
        const [sx, sy] = this.toSVG(run.path[k]);
        const d = (sx - pt.x) ** 2 + (sy - pt.y) ** 2;
        if (d <= bestD) {
          bestD = d;
          best = { run: i, k };
        }
      }
    });
    return best;
  }

  // mark rings iterate k of run and draws the arrows of its trace: the step
  // taken, the velocity, the search direction and the Hessian's
  // eigenvectors (scaled by their eigenvalues' magnitudes, normalised).
  mark(run, k) {
    this.inspectLayer.replaceChildren();
    if (!run) return;
    const [cx, cy] = this.toSVG(run.path[k]);
    const group = svgElement("g", { class: `c${run.colour}` });
    group.append(svgElement("circle", { class: "ring", cx: fmt(cx), cy: fmt(cy), r: "8" }));
    const arrow = (vec, cls, length) => {
      const norm = Math.hypot(vec[0], vec[1]);
      if (!(norm > 0)) return;
      const s = length ?? norm * this.scale;
      const [dx, dy] = [(vec[0] / norm) * s, (-vec[1] / norm) * s];
      group.append(svgElement("line", { class: `arrow ${cls}`, x1: fmt(cx), y1: fmt(cy), x2: fmt(cx + dx), y2: fmt(cy + dy) }));
    };
    const t = run.trace[k];
    if (t) {
      if (t.step) arrow(t.step, "step");
      const st = t.state ?? {};
      if (st.velocity) arrow(st.velocity, "velocity");
      if (st.direction) arrow(st.direction, "direction");
      if (st.eigenvectors && st.eigenvalues) {
        const big = Math.max(...st.eigenvalues.map(Math.abs)) || 1;
        st.eigenvectors.forEach((v, j) => {
          const len = 40 * Math.max(0.15, Math.abs(st.eigenvalues[j]) / big);
          arrow(v, st.eigenvalues[j] >= 0 ? "eigen positive" : "eigen negative", len);
          arrow([-v[0], -v[1]], st.eigenvalues[j] >= 0 ? "eigen positive" : "eigen negative", len);
        });
      }
    }
    this.inspectLayer.append(group);
  }
}

// Points is a polyline's points attribute, "x,y x,y …" in SVG units,
// built once as the points arrive; any prefix of it is a slice. With a gap,
// a point closer than gap (a unit is about a pixel) to the last one kept is
// left out, as it would not show, unless it is the last drawn: the text to
// parse and the line to raster stay small when a run crawls.
class Points {
  constructor(gap) {
    this.gap = gap;
    this.all = "";
    this.ends = []; // ends[i]: the length of the text of the first i + 1 points
    this.last = [];
  }

  // extend converts points up to the nth through plot.toSVG.
  extend(points, n, plot) {
    while (this.ends.length < n) {
      const [sx, sy] = plot.toSVG(points[this.ends.length]);
      if (!(Math.hypot(sx - this.last[0], sy - this.last[1]) < this.gap)) {
        this.last = [sx, sy];
        this.all += `${this.all ? " " : ""}${fmt(sx)},${fmt(sy)}`;
      }
      this.ends.push(this.all.length);
    }
  }

  // text is the attribute for the first n points, of which the nth is
  // always drawn.
  text(n, points, plot) {
    const end = this.ends[n - 1] ?? 0;
    if (n < 2 || end !== this.ends[n - 2]) return this.all.slice(0, end);
    const [sx, sy] = plot.toSVG(points[n - 1]);
    return `${this.all.slice(0, end)} ${fmt(sx)},${fmt(sy)}`;
  }
}
