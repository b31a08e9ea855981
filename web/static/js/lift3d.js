// The 3-D view's geometry: the height field the server sampled (GET
// /api/grid), its triangle mesh, and the runs' paths lifted onto it as
// strokes for scene3d.js. Coordinates are the box's: the longer side of the
// view spans −1 to 1, and heights in [0, 1] span 0 to HEIGHT.

import { STROKE_FLOATS } from "./scene3d.js";

export const HEIGHT = 0.9;
const DECADES = 4; // of the log height scale, as in web/grid.go

// HeightField is one answer of /api/grid: view, n, z (n × n heights in
// [0, 1], rows along x from ymin up), scale, min, max and undefined.
export class HeightField {
  constructor(grid) {
    this.grid = grid;
    const [x0, x1, y0, y1] = grid.view;
    this.half = Math.max(x1 - x0, y1 - y0) / 2;
    this.centre = [(x0 + x1) / 2, (y0 + y1) / 2];
    this.cell = (2 * this.half) / (grid.n - 1); // the longer side of a cell
  }

  // height maps a value of f to a height in [0, 1], as the server mapped
  // the grid's values: linearly from min to max, or on a log scale over
  // four decades of f − min.
  height(f) {
    const { min, max, scale } = this.grid;
    if (!(max > min)) return 0;
    const t = Math.min(1, Math.max(0, (f / 2 - min / 2) / (max / 2 - min / 2)));
    return scale === "log" ? Math.log10(1 + 10 ** DECADES * t) / Math.log10(1 + 10 ** DECADES) : t;
  }

  // valueAt is the value of f at height z, the inverse of height.
  valueAt(z) {
    const { min, max, scale } = this.grid;
    const t = scale === "log" ? (10 ** (z * Math.log10(1 + 10 ** DECADES)) - 1) / 10 ** DECADES : z;
    return min + t * (max - min);
  }

  // at interpolates the grid's heights bilinearly at (x, y), clamped to
  // the view.
  at(x, y) {
    const { view, n, z } = this.grid;
    const u = Math.min(n - 1, Math.max(0, ((x - view[0]) / (view[1] - view[0])) * (n - 1)));
    const v = Math.min(n - 1, Math.max(0, ((y - view[2]) / (view[3] - view[2])) * (n - 1)));
    const i = Math.min(n - 2, Math.floor(u));
    const j = Math.min(n - 2, Math.floor(v));
    const [fu, fv] = [u - i, v - j];
    const k = j * n + i;
    return (1 - fv) * ((1 - fu) * z[k] + fu * z[k + 1]) + fv * ((1 - fu) * z[k + n] + fu * z[k + n + 1]);
  }

  // world maps data (x, y) and a height to the box.
  world(x, y, h) {
    return [(x - this.centre[0]) / this.half, (y - this.centre[1]) / this.half, Math.min(1, Math.max(0, h)) * HEIGHT];
  }

  inside(x, y) {
    const v = this.grid.view;
    return x >= v[0] && x <= v[1] && y >= v[2] && y <= v[3];
  }

  // mesh returns the grid's triangles for Scene.setMesh, with normals from
  // central differences.
  mesh() {
    const { n, z, undefined: holes = [] } = this.grid;
    const positions = new Float32Array(n * n * 3);
    const normals = new Float32Array(n * n * 3);
    const defined = new Float32Array(n * n).fill(1);
    for (const k of holes) defined[k] = 0;
    const [x0, x1, y0, y1] = this.grid.view;
    const [dx, dy] = [(x1 - x0) / (n - 1) / this.half, (y1 - y0) / (n - 1) / this.half];
    const Z = (i, j) => z[Math.min(n - 1, Math.max(0, j)) * n + Math.min(n - 1, Math.max(0, i))] * HEIGHT;
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const k = j * n + i;
        positions.set([-(n - 1) * dx / 2 + i * dx, -(n - 1) * dy / 2 + j * dy, Z(i, j)], 3 * k);
        const dzdx = (Z(i + 1, j) - Z(i - 1, j)) / ((Math.min(n - 1, i + 1) - Math.max(0, i - 1)) * dx);
        const dzdy = (Z(i, j + 1) - Z(i, j - 1)) / ((Math.min(n - 1, j + 1) - Math.max(0, j - 1)) * dy);
        const norm = Math.hypot(dzdx, dzdy, 1);
        normals.set([-dzdx / norm, -dzdy / norm, 1 / norm], 3 * k);
      }
    }
    const indices = new Uint32Array((n - 1) * (n - 1) * 6);
    let m = 0;
    for (let j = 0; j < n - 1; j++) {
      for (let i = 0; i < n - 1; i++) {
        const k = j * n + i;
        indices.set([k, k + 1, k + n, k + n, k + 1, k + n + 1], m);
        m += 6;
      }
    }
    return { positions, normals, heights: new Float32Array(z), defined, indices };
  }
}

// LiftedPath is one run's path on a height field, as strokes: its segments,
// clipped to the view and cut into pieces a grid cell long that follow the
// mesh between iterates, its iterates (round joins) and its head. It is
// built as far as the run is drawn, and grows or shrinks with it, so that
// playing a run back costs only its new iterates.
export class LiftedPath {
  constructor(field) {
    this.field = field;
    this.n = 0;
    this.segments = new Floats();
    this.joints = new Floats();
    this.ends = []; // per iterate k: [segments, joints] lengths once k is lifted
    this.last = []; // per iterate k: the last lifted iterate inside the view, up to k
    this.strokes = null;
  }

  // update lifts run's first run.drawn iterates and returns the strokes,
  // the same objects while nothing changed, so that they are not uploaded
  // again.
  update(run) {
    const n = Math.min(run.drawn, run.path.length, run.loss.length);
    if (n === this.n && this.strokes) return this.strokes;
    if (n < this.n) {
      [this.segments.length, this.joints.length] = n > 0 ? this.ends[n - 1] : [0, 0];
    }
    for (let k = this.n; k < n; k++) this.lift(run, k);
    this.n = n;
    const head = new Floats();
    const last = n > 0 ? this.last[n - 1] : null;
    if (last && this.field.inside(...run.path[n - 1])) pushPoint(head, last);
    this.strokes = { colour: run.colour, segments: this.segments.view(), joints: this.joints.view(), head: head.view() };
    return this.strokes;
  }

  // lift adds iterate k and the segment that leads to it.
  lift(run, k) {
    const f = this.field;
    const [x, y] = run.path[k];
    const h = f.height(run.loss[k]);
    let last = k > 0 ? this.last[k - 1] : null;
    if (f.inside(x, y)) {
      last = f.world(x, y, h);
      pushPoint(this.joints, last);
    }
    this.last[k] = last;
    const span = k > 0 ? clip(f.grid.view, ...run.path[k - 1], x, y) : null;
    if (span) {
      const [x0, y0] = run.path[k - 1];
      // The mesh's height along the segment, shifted to meet the iterates'
      // exact heights at its ends.
      const off0 = f.height(run.loss[k - 1]) - f.at(x0, y0);
      const off1 = h - f.at(x, y);
      const along = (s) => {
        const [px, py] = [x0 + s * (x - x0), y0 + s * (y - y0)];
        return f.world(px, py, f.at(px, py) + off0 + s * (off1 - off0));
      };
      const pieces = Math.min(64, Math.max(1, Math.ceil((Math.hypot(x - x0, y - y0) * (span[1] - span[0])) / f.cell)));
      let a = along(span[0]);
      for (let m = 1; m <= pieces; m++) {
        const b = along(span[0] + ((span[1] - span[0]) * m) / pieces);
        pushSegment(this.segments, a, b);
        a = b;
      }
    }
    this.ends[k] = [this.segments.length, this.joints.length];
  }
}

// Floats is a growing array of stroke vertices, 32-bit floats each.
export class Floats {
  constructor() {
    this.array = new Float32Array(STROKE_FLOATS * 64);
    this.length = 0;
    this.shown = null;
  }

  // vertex adds a stroke vertex: point p, the other end q and a side.
  vertex(p, q, side) {
    if (this.length + STROKE_FLOATS > this.array.length) {
      const bigger = new Float32Array(2 * this.array.length);
      bigger.set(this.array.subarray(0, this.length));
      this.array = bigger;
    }
    const a = this.array;
    const i = this.length;
    a[i] = p[0];
    a[i + 1] = p[1];
    a[i + 2] = p[2];
    a[i + 3] = q[0];
    a[i + 4] = q[1];
    a[i + 5] = q[2];
    a[i + 6] = side;
    this.length = i + STROKE_FLOATS;
  }

  // view returns the floats pushed so far: the same array while they have
  // not changed.
  view() {
    if (this.shown?.buffer !== this.array.buffer || this.shown.length !== this.length) {
      this.shown = this.array.subarray(0, this.length);
    }
    return this.shown;
  }
}

// pushSegment adds a segment from a to b: a quad of two triangles whose
// corners the stroke shader pushes to either side.
export function pushSegment(out, a, b) {
  out.vertex(a, b, 1);
  out.vertex(a, b, -1);
  out.vertex(b, a, -1);
  out.vertex(b, a, -1);
  out.vertex(a, b, -1);
  out.vertex(b, a, 1);
}

function pushPoint(out, p) {
  out.vertex(p, p, 0);
}

// clip returns the part [s0, s1] ⊆ [0, 1] of the segment from (x0, y0) to
// (x1, y1) inside view, or null (Liang and Barsky's algorithm).
function clip(view, x0, y0, x1, y1) {
  let [s0, s1] = [0, 1];
  const [dx, dy] = [x1 - x0, y1 - y0];
  for (const [p, q] of [
    [-dx, x0 - view[0]],
    [dx, view[1] - x0],
    [-dy, y0 - view[2]],
    [dy, view[3] - y0],
  ]) {
    if (p === 0) {
      if (q < 0) return null;
      continue;
    }
    const r = q / p;
    if (p < 0) s0 = Math.max(s0, r);
    else s1 = Math.min(s1, r);
    if (s0 > s1) return null;
  }
  return [s0, s1];
}
