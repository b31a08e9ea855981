// The contour plot: mapping between data and SVG coordinates, the start
// marker, and the trajectories drawn over the contours.

const SVG_NS = "http://www.w3.org/2000/svg";

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
    this.lines = [];
  }

  get surface() {
    return this.svg.dataset.surface;
  }

  toSVG([x, y]) {
    return [
      this.left + ((x - this.xmin) / (this.xmax - this.xmin)) * this.width,
      this.top + ((this.ymax - y) / (this.ymax - this.ymin)) * this.height,
    ];
  }

  // fromEvent returns the data coordinates under a pointer event, or null
  // when it falls outside the plot area.
  fromEvent(event) {
    const ctm = this.svg.getScreenCTM();
    if (!ctm) return null;
    const pt = new DOMPoint(event.clientX, event.clientY).matrixTransform(ctm.inverse());
    if (pt.x < this.left || pt.x > this.left + this.width || pt.y < this.top || pt.y > this.top + this.height) {
      return null;
    }
    return [
      this.xmin + ((pt.x - this.left) / this.width) * (this.xmax - this.xmin),
      this.ymax - ((pt.y - this.top) / this.height) * (this.ymax - this.ymin),
    ];
  }

  // snap rounds a point to a grid about a hundredth of the view across, so a
  // clicked start reads as a clean number such as (-1.25, 2.1).
  snap([x, y]) {
    const step = (span) => 10 ** Math.floor(Math.log10(span / 100));
    const round = (v, s) => Number((Math.round(v / s) * s).toFixed(12));
    return [round(x, step(this.xmax - this.xmin)), round(y, step(this.ymax - this.ymin))];
  }

  setStart(point) {
    const [sx, sy] = this.toSVG(point);
    this.startMarker.setAttribute("transform", `translate(${sx} ${sy})`);
  }

  // reset removes every trajectory and prepares one line per run.
  reset(runs) {
    this.layer.replaceChildren();
    this.lines = runs.map((run) => {
      const group = document.createElementNS(SVG_NS, "g");
      group.setAttribute("class", `run c${run.colour}`);
      const line = document.createElementNS(SVG_NS, "polyline");
      line.setAttribute("class", "trajectory");
      line.dataset.testid = "trajectory";
      line.dataset.optimizer = run.name;
      line.dataset.points = "0";
      const head = document.createElementNS(SVG_NS, "circle");
      head.setAttribute("class", "head");
      head.setAttribute("r", "5");
      head.setAttribute("visibility", "hidden");
      group.append(line, head);
      this.layer.append(group);
      return { line, head, coords: [] };
    });
  }

  // draw shows the first n points of run i's path.
  draw(i, path, n) {
    const l = this.lines[i];
    if (!l) return;
    while (l.coords.length < n) {
      const [sx, sy] = this.toSVG(path[l.coords.length]);
      l.coords.push(`${sx.toFixed(1)},${sy.toFixed(1)}`);
    }
    l.line.setAttribute("points", l.coords.slice(0, n).join(" "));
    l.line.dataset.points = String(n);
    if (n > 0) {
      const [hx, hy] = this.toSVG(path[n - 1]);
      l.head.setAttribute("cx", hx.toFixed(1));
      l.head.setAttribute("cy", hy.toFixed(1));
      l.head.setAttribute("visibility", "visible");
    }
  }
}
