// The contour plot: mapping between data and SVG coordinates, the start
// marker, and what is drawn of each run over the contours: its path and
// its running average (dashed), on a canvas (paths.js), and over them its
// line-search probes (faint dots), its velocity arrows, its head and the
// inspected iterate with its arrows, in an SVG of marks laid over the
// server's. A new view is previewed by moving what is drawn, then drawn
// afresh from the server's rendering of it.

import { setAttribute, svgElement, svgNumber as fmt } from "./dom.js";
import { PathCanvas } from "./paths.js";

// Velocity arrows are drawn at iterates about VELOCITY_SPACING SVG units of
// path apart, and at the newest iterate; each is as long as the velocity at
// the plot's scale, within VELOCITY_LENGTH, so that a tiny one still shows
// and a huge one stays near its iterate.
const VELOCITY_SPACING = 40;
const VELOCITY_LENGTH = [6, 60];

// A cloud's heads are dots of CLOUD_HEAD_RADIUS SVG units, drawn as one
// path per optimizer: hundreds of circles moved every frame would cost the
// frame a style recalculation each (BenchmarkAnimation/8x100starts).
const CLOUD_HEAD_RADIUS = 2.5;

// Plot wraps the server-rendered <svg id="plot">. Its data-view attribute
// holds the view "xmin xmax ymin ymax" and data-box the plot area
// "left top width height" in SVG units. Over it, in its container, lie the
// canvas of the runs' paths and an SVG of marks (class plot-marks), both
// exactly over the plot area. The marks take the server's runs' layer
// (#trajectories) and start marker, so that both stay above the paths, and
// hold an element per path (data-testid="trajectory") and per running
// average whose style the canvas draws them with.
export class Plot {
  constructor(svg) {
    this.svg = svg;
    this.container = svg.parentElement;
    this.readFrame();
    this.zoomable = svg.querySelector(".zoomable");
    this.layer = svg.querySelector("#trajectories");
    this.startMarker = svg.querySelector("#start-marker");
    this.inspectLayer = svgElement("g", { id: "inspect", class: "inspect" });
    this.paths = new PathCanvas();
    this.marks = svgElement("svg", { class: "plot-marks", "aria-hidden": "true" });
    this.marksZoom = svgElement("g");
    this.marksZoom.append(this.layer, this.startMarker, this.inspectLayer);
    this.marks.append(this.marksZoom);
    this.container.append(this.paths.canvas, this.marks);
    this.lines = [];
    this.starts = null;
    // The canvas follows the plot's size and place, and the look.
    this.resized = new ResizeObserver(() => this.layout());
    this.resized.observe(svg);
    this.resized.observe(this.container);
    this.restyled = new MutationObserver(() => this.layout());
    this.restyled.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme", "data-presenter"] });
    this.restyled.observe(this.container, { attributes: true, attributeFilter: ["data-overlays"] });
    // A change of the screen's pixel density alone (the window moved to
    // another screen) resizes nothing, but the canvas must follow it.
    this.densityChanged = () => this.layout();
    this.layout();
  }

  readFrame() {
    [this.xmin, this.xmax, this.ymin, this.ymax] = this.svg.dataset.view.split(" ").map(Number);
    [this.left, this.top, this.width, this.height] = this.svg.dataset.box.split(" ").map(Number);
  }

  // layout lays the canvas and the marks over the plot as it is shown now
  // and draws the paths afresh; a plot no longer in the page stops
  // following it.
  layout() {
    this.density?.removeEventListener("change", this.densityChanged);
    if (!this.svg.isConnected) {
      this.resized.disconnect();
      this.restyled.disconnect();
      return;
    }
    this.density = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    this.density.addEventListener("change", this.densityChanged, { once: true });
    const ctm = this.svg.getScreenCTM();
    const box = this.container.getBoundingClientRect();
    // The plot area in CSS pixels from the container's padding box.
    const area = ctm && {
      left: ctm.e + this.left * ctm.a - box.left - this.container.clientLeft,
      top: ctm.f + this.top * ctm.d - box.top - this.container.clientTop,
      width: this.width * ctm.a,
      height: this.height * ctm.d,
    };
    for (const [k, v] of Object.entries(area ?? {})) this.marks.style[k] = `${v}px`;
    this.marks.setAttribute("viewBox", `${this.left} ${this.top} ${this.width} ${this.height}`);
    this.paths.place(area, [this.left, this.top, this.width, this.height]);
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
      this.marksZoom.removeAttribute("transform");
      this.paths.preview(1, 0, 0);
      return;
    }
    const k = (this.xmax - this.xmin) / (view[1] - view[0]);
    const tx = this.left * (1 - k) + k * this.scale * (this.xmin - view[0]);
    const ty = this.top * (1 - k) + k * this.scale * (view[3] - this.ymax);
    for (const g of [this.zoomable, this.marksZoom]) g.setAttribute("transform", `translate(${tx} ${ty}) scale(${k})`);
    this.paths.preview(k, tx, ty);
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
    fresh.querySelector("#trajectories").remove();
    const marker = fresh.querySelector("#start-marker");
    this.startMarker.replaceWith(marker);
    this.startMarker = marker;
    this.zoomable = fresh.querySelector(".zoomable");
    this.svg.replaceChildren(...fresh.childNodes);
    this.readFrame();
    this.layout();
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
    this.paths.clear();
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
    const toSVG = (p) => this.toSVG(p);
    this.lines = runs.map((run) => {
      // The path and the average are drawn on the canvas, as these
      // elements' styles say.
      const group = svgElement("g", { class: `run c${run.colour}` });
      const probes = svgElement("g", { class: "probes" });
      const average = svgElement("g", { class: "average" });
      const line = svgElement("g", { class: "trajectory" });
      line.dataset.testid = "trajectory";
      line.dataset.optimizer = run.name;
      line.dataset.points = "0";
      const head = starts ? null : svgElement("circle", { class: "head", r: "5", visibility: "hidden" });
      const velocities = svgElement("g", { class: "velocities" });
      group.append(probes, average, line, velocities, ...(head ? [head] : []));
      this.layer.append(group);
      return {
        line, head, headAt: null, probes, velocities,
        avg: this.paths.line(average, 0, toSVG), path: this.paths.line(line, 1, toSVG), probesDrawn: 0,
        arrows: { at: [], scanned: 0, travelled: 0, shown: "" },
      };
    });
    // One path of dots per optimizer of a cloud, over all its runs.
    this.cloudHeads = [];
    if (starts) {
      const byColour = new Map();
      runs.forEach((run, i) => {
        if (!byColour.has(run.colour)) {
          const group = svgElement("g", { class: `run c${run.colour} cloud-heads` });
          const path = svgElement("path", { class: "head" });
          group.append(path);
          this.layer.append(group);
          byColour.set(run.colour, { path, lines: [] });
        }
        byColour.get(run.colour).lines.push(this.lines[i]);
      });
      this.cloudHeads = [...byColour.values()];
    }
    this.headsQueued = false;
  }

  // drawnPath is the SVG coordinates of the polyline the canvas holds of
  // run i's path, [x, y] pairs; drawnAverage that of its running average.
  drawnPath(i) {
    return this.lines[i]?.path.points() ?? [];
  }

  drawnAverage(i) {
    return this.lines[i]?.avg.points() ?? [];
  }

  // shownLines pairs each element that styles a line on the canvas with
  // the polyline shown, for an export to draw in SVG, whether or not the
  // canvas has drawn it yet (not while the 3-D view hides it).
  shownLines() {
    return this.lines.flatMap((l) => [
      { hook: l.avg.hook, points: l.avg.shownPoints() },
      { hook: l.path.hook, points: l.path.shownPoints() },
    ]);
  }

  // draw shows the first n iterates of run i: its path, its average and the
  // probes that led to them. n may go down as well as up.
  draw(i, run, n) {
    const l = this.lines[i];
    if (!l) return;
    l.path.show(run.path, n);
    l.line.dataset.points = String(n);
    if (run.average.length > 0) l.avg.show(run.average, Math.min(n, run.average.length));
    while (l.probesDrawn > 0 && run.evals[l.probesDrawn - 1][0] > n) {
      l.probes.lastChild.remove();
      l.probesDrawn--;
    }
    while (l.probesDrawn < run.evals.length && run.evals[l.probesDrawn][0] <= n) {
      const [, x, y] = run.evals[l.probesDrawn++];
      const [sx, sy] = this.toSVG([x, y]);
      l.probes.append(svgElement("circle", { cx: fmt(sx), cy: fmt(sy), r: "2.5" }));
    }
    const at = n > 0 ? this.toSVG(run.path[n - 1]) : null;
    if (l.head) {
      if (at) {
        l.head.setAttribute("cx", fmt(at[0]));
        l.head.setAttribute("cy", fmt(at[1]));
      }
      const visibility = at ? "visible" : "hidden";
      setAttribute(l.head, "visibility", visibility);
    } else {
      l.headAt = at;
      this.queueHeads();
    }
    this.drawVelocities(l, run, n);
  }

  // queueHeads draws a cloud's heads once the current task is done, so
  // that a frame that moves every run draws each optimizer's dots once.
  queueHeads() {
    if (this.headsQueued) return;
    this.headsQueued = true;
    queueMicrotask(() => {
      this.headsQueued = false;
      const r = CLOUD_HEAD_RADIUS;
      for (const { path, lines } of this.cloudHeads) {
        let d = "";
        for (const { headAt } of lines) {
          if (headAt) d += `M${fmt(headAt[0] - r)},${fmt(headAt[1])}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
        }
        setAttribute(path, "d", d);
      }
    });
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
