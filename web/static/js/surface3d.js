// The 3-D view: the surface as a lit mesh over a floor grid and two back
// walls, with the runs' paths lifted onto it, each iterate at the height of
// its loss, following the same timeline as the 2-D plot, whose place it
// takes (app.js swaps the two). Drag (or one finger) turns it, the wheel
// (or a pinch) zooms; with the view focused, the arrow keys turn it, + and
// − zoom and Home resets it. It never turns by itself.
//
// The server samples the heights (GET /api/grid) and says how it mapped f
// to a height in [0, 1]: linearly, or on a log scale over four decades when
// the surface spans decades (see web/grid.go). The paths' heights go
// through the same map, so they lie on the mesh.

import { trueMinus } from "./format.js";
import { Floats, HEIGHT, HeightField, LiftedPath, pushSegment } from "./lift3d.js";
import { Scene, lookAt, multiply, perspective, project } from "./scene3d.js";
import { wheelPixels } from "./zoom.js";

const FLOOR = -0.03; // a little below the lowest point, so the floor grid shows under it
const HOME = { yaw: -0.55, pitch: 0.7, distance: 5.6 };
const TURN = Math.PI / 36; // 5°, an arrow key's turn
const ZOOM = 1.12; // a + or − key's zoom
const MAX_PATHS_THICK = 8; // more runs than this (a cloud of starts) are drawn thin
const RUN_COLOURS = 8; // the classes .c0 … .c7 of app.css

export class Surface3D {
  // Surface3D draws in container (#view3d) while it is shown. runs() gives
  // the page's runs (with path, loss, drawn and colour) and query() the
  // surface's query, as /plot takes it. It brings its own elements and
  // style sheet, which a page that never shows it does not load.
  constructor(container, { runs, query }) {
    this.container = container;
    const sheet = Object.assign(document.createElement("link"), { rel: "stylesheet", href: "/static/css/view3d.css" });
    sheet.addEventListener("load", () => this.draw());
    document.head.append(sheet);
    const frame = Object.assign(document.createElement("div"), { className: "view3d-frame" });
    this.canvas = Object.assign(document.createElement("canvas"), { className: "view3d-gl", tabIndex: 0 });
    this.canvas.setAttribute("role", "img");
    this.canvas.setAttribute("aria-label", "The surface in 3-D with the paths on it. Drag, or use the arrow keys, to turn it; the wheel, a pinch or + and − zoom; Home turns it back.");
    this.labels = Object.assign(document.createElement("canvas"), { className: "view3d-labels" });
    this.labels.setAttribute("aria-hidden", "true");
    this.note = Object.assign(document.createElement("p"), { className: "view3d-note note" });
    frame.append(this.canvas, this.labels);
    container.append(frame, this.note);
    this.runs = runs;
    this.query = query;
    this.camera = { ...HOME };
    this.field = null; // the HeightField shown
    this.fieldQuery = null;
    this.lifts = new WeakMap(); // run → its LiftedPath on the field
    this.paths = [];
    this.pending = false;
    try {
      this.scene = new Scene(this.canvas);
    } catch {
      this.scene = null;
      this.canvas.hidden = true;
      this.labels.hidden = true;
      this.note.textContent = "This browser cannot draw the 3-D view (it needs WebGL 2). The 2-D plot shows the same runs.";
      this.note.classList.add("error");
      return;
    }
    this.bindControls();
    new ResizeObserver(() => this.draw()).observe(this.canvas);
    this.theme = null; // colours read from CSS, until the theme changes
    const forget = () => {
      this.theme = null;
      this.draw();
    };
    new MutationObserver(forget).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme", "data-presenter"] });
  }

  get shown() {
    return !this.container.hidden;
  }

  // changed tells the view that the runs or the surface may have changed.
  changed() {
    if (!this.shown || !this.scene) return;
    this.loadField();
    this.paths = this.field ? this.runs().map((run) => this.lift(run).update(run)) : [];
    this.draw();
  }

  // lift returns run's path on the field shown, kept from frame to frame.
  lift(run) {
    let lifted = this.lifts.get(run);
    if (!lifted) {
      lifted = new LiftedPath(this.field);
      this.lifts.set(run, lifted);
    }
    return lifted;
  }

  // loadField fetches the heights of the surface the page shows, once per
  // surface; a later surface wins over a slower earlier answer. A failed
  // fetch is said in the note and tried again at the next change.
  async loadField() {
    const query = this.query().toString();
    if (query === this.fieldQuery) return;
    this.fieldQuery = query;
    let response, body;
    try {
      response = await fetch(`/api/grid?${query}`);
      body = await response.json();
    } catch {
      body = { error: "The surface's heights could not be fetched; they are asked for again at the next change." };
    }
    if (query !== this.fieldQuery) return;
    if (!response?.ok) {
      this.note.textContent = body.error;
      if (!response) this.fieldQuery = null;
      return;
    }
    this.field = new HeightField(body);
    this.lifts = new WeakMap();
    this.scene.setMesh(this.field.mesh());
    this.note.textContent =
      (body.scale === "log"
        ? "Height and colour: f on a log scale, over four decades above its least value in view."
        : "Height and colour: f, from its least to its greatest value in view.") +
      (body.undefined ? " The holes are where f is undefined." : "");
    this.changed();
  }

  // draw paints the view at the next frame, once however often it is asked.
  draw() {
    if (this.pending || !this.shown || !this.scene) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.paint();
    });
  }

  paint() {
    const dpr = window.devicePixelRatio || 1;
    const width = Math.round(this.canvas.clientWidth * dpr);
    const height = Math.round(this.canvas.clientHeight * dpr);
    if (width === 0 || height === 0) return;
    for (const c of [this.canvas, this.labels]) {
      if (c.width !== width || c.height !== height) [c.width, c.height] = [width, height];
    }
    const theme = (this.theme ??= readTheme());
    const cam = this.camera;
    const target = [0, 0, HEIGHT * 0.35];
    const eye = [
      target[0] + cam.distance * Math.cos(cam.pitch) * Math.sin(cam.yaw),
      target[1] - cam.distance * Math.cos(cam.pitch) * Math.cos(cam.yaw),
      target[2] + cam.distance * Math.sin(cam.pitch),
    ];
    const mvp = multiply(perspective(Math.PI / 6.5, width / height, 0.1, 50), lookAt(eye, target));
    // The light comes from over the viewer's left shoulder, wherever the
    // view is turned, so the side facing the viewer is always lit.
    const light = [0.5 * Math.sin(cam.yaw) - 0.6 * Math.cos(cam.yaw), -0.5 * Math.cos(cam.yaw) - 0.6 * Math.sin(cam.yaw), 1.1];
    const ctx = this.labels.getContext("2d");
    ctx.clearRect(0, 0, width, height);
    if (!this.field) {
      this.scene.render({ viewport: [width, height], background: theme.background, strokes: [], mvp, eye, light });
      return;
    }
    const box = this.box(eye, theme, dpr);
    const strokes = [...box.strokes];
    // A few thick paths have a halo and round joins, and show faintly
    // where the mesh hides them; a cloud of thin ones is drawn plainly.
    const thick = this.paths.length <= MAX_PATHS_THICK;
    const w = (thick ? 1.8 * theme.lineWidth : 1.5) * dpr;
    const colour = (p, alpha) => [...theme.runs[p.colour % theme.runs.length], alpha];
    if (thick) {
      for (const p of this.paths) {
        strokes.push({ data: p.segments, colour: colour(p, 0.28), width: w, behind: true });
        strokes.push({ data: p.joints, points: true, colour: colour(p, 0.28), width: w, behind: true });
      }
    }
    for (const p of this.paths) {
      if (thick) {
        strokes.push({ data: p.segments, colour: [...theme.halo, 0.9], width: w + 3 * dpr, bias: 0.004 });
        strokes.push({ data: p.joints, points: true, colour: colour(p, 1), width: w, bias: 0.006 });
      }
      strokes.push({ data: p.segments, colour: colour(p, 1), width: w, bias: 0.006 });
      strokes.push({ data: p.head, points: true, colour: [...theme.halo, 1], width: w + (thick ? 8 : 4) * dpr, bias: 0.01 });
      strokes.push({ data: p.head, points: true, colour: colour(p, 1), width: w + (thick ? 5 : 2.5) * dpr, bias: 0.012 });
    }
    this.scene.render({
      viewport: [width, height],
      background: theme.background,
      mvp,
      eye,
      light,
      low: theme.low,
      high: theme.high,
      bands: this.field.grid.scale === "log" ? 24 : 25, // the 2-D plot's contour levels, near enough
      strokes,
    });
    drawLabels(ctx, box.labels, mvp, width, height, theme, dpr);
    this.canvas.dataset.paths = String(this.paths.filter((p) => p.joints.length > 0).length);
  }

  // box returns the floor grid and the two walls behind the mesh, as
  // strokes, and the labels of the axes along the edges nearest the eye.
  box(eye, theme, dpr) {
    const field = this.field;
    const [x0, x1, y0, y1] = field.grid.view;
    const [X0, Y0] = field.world(x0, y0, 0);
    const [X1, Y1] = field.world(x1, y1, 0);
    const farX = eye[0] > 0 ? X0 : X1;
    const nearX = eye[0] > 0 ? X1 : X0;
    const farY = eye[1] > 0 ? Y0 : Y1;
    const nearY = eye[1] > 0 ? Y1 : Y0;
    const top = HEIGHT;
    const grid = new Floats();
    const frame = new Floats();
    const labels = [];
    const xs = ticks(x0, x1);
    const ys = ticks(y0, y1);
    const zs = [0, 0.25, 0.5, 0.75, 1];
    for (const x of xs) {
      const [X] = field.world(x, y0, 0);
      pushSegment(grid, [X, Y0, FLOOR], [X, Y1, FLOOR]);
      pushSegment(grid, [X, farY, FLOOR], [X, farY, top]);
      labels.push({ at: [X, nearY, FLOOR], text: tickLabel(x) });
    }
    for (const y of ys) {
      const [, Y] = field.world(x0, y, 0);
      pushSegment(grid, [X0, Y, FLOOR], [X1, Y, FLOOR]);
      pushSegment(grid, [farX, Y, FLOOR], [farX, Y, top]);
      // The far corner of this edge is the vertical axis's, and its labels'.
      if (Math.abs(Y - farY) > 1e-6) labels.push({ at: [nearX, Y, FLOOR], text: tickLabel(y) });
    }
    for (const z of zs) {
      const Z = z * HEIGHT;
      pushSegment(grid, [X0, farY, Z], [X1, farY, Z]);
      pushSegment(grid, [farX, Y0, Z], [farX, Y1, Z]);
      labels.push({ at: [nearX, farY, Z], text: tickLabel(field.valueAt(z)), aside: true });
    }
    for (const [a, b] of [
      [[X0, Y0, FLOOR], [X1, Y0, FLOOR]],
      [[X1, Y0, FLOOR], [X1, Y1, FLOOR]],
      [[X1, Y1, FLOOR], [X0, Y1, FLOOR]],
      [[X0, Y1, FLOOR], [X0, Y0, FLOOR]],
      [[farX, farY, FLOOR], [farX, farY, top]],
      [[nearX, farY, FLOOR], [nearX, farY, top]],
      [[farX, nearY, FLOOR], [farX, nearY, top]],
    ]) {
      pushSegment(frame, a, b);
    }
    labels.push({ at: [(X0 + X1) / 2, nearY, FLOOR], text: "x", title: true });
    labels.push({ at: [nearX, (Y0 + Y1) / 2, FLOOR], text: "y", title: true });
    labels.push({ at: [nearX, farY, top * 1.12], text: "f", title: true });
    return {
      strokes: [
        { data: grid.view(), colour: [...theme.grid, 1], width: dpr },
        { data: frame.view(), colour: [...theme.frame, 0.9], width: 1.3 * dpr },
      ],
      labels,
    };
  }

  // bindControls turns the view by dragging or the arrow keys and zooms it
  // by the wheel, a pinch or + and −.
  bindControls() {
    const c = this.canvas;
    const pointers = new Map();
    const spread = () => {
      const [a, b] = [...pointers.values()];
      return Math.hypot(a.x - b.x, a.y - b.y);
    };
    c.addEventListener("pointerdown", (event) => {
      if (event.pointerType === "mouse" && event.button !== 0) return;
      c.setPointerCapture(event.pointerId);
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    });
    c.addEventListener("pointermove", (event) => {
      const p = pointers.get(event.pointerId);
      if (!p) return;
      if (pointers.size === 1) {
        this.turn(-(event.clientX - p.x) * 0.008, (event.clientY - p.y) * 0.008);
      } else if (pointers.size === 2) {
        const before = spread();
        pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
        this.zoom(before / (spread() || before));
      }
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    });
    for (const type of ["pointerup", "pointercancel"]) c.addEventListener(type, (event) => pointers.delete(event.pointerId));
    c.addEventListener(
      "wheel",
      (event) => {
        event.preventDefault();
        this.zoom(Math.exp(wheelPixels(event) * 0.0015));
      },
      { passive: false },
    );
    c.addEventListener("keydown", (event) => {
      const actions = {
        ArrowLeft: () => this.turn(TURN, 0),
        ArrowRight: () => this.turn(-TURN, 0),
        ArrowUp: () => this.turn(0, TURN),
        ArrowDown: () => this.turn(0, -TURN),
        "+": () => this.zoom(1 / ZOOM),
        "=": () => this.zoom(1 / ZOOM),
        "-": () => this.zoom(ZOOM),
        Home: () => {
          this.camera = { ...HOME };
          this.draw();
        },
      };
      const action = actions[event.key];
      if (!action || event.ctrlKey || event.altKey || event.metaKey) return;
      // Handled here, so the page's shortcuts for these keys stay quiet.
      event.preventDefault();
      action();
    });
  }

  turn(dyaw, dpitch) {
    this.camera.yaw += dyaw;
    this.camera.pitch = Math.min(1.45, Math.max(0.05, this.camera.pitch + dpitch));
    this.draw();
  }

  zoom(factor) {
    this.camera.distance = Math.min(12, Math.max(2.2, this.camera.distance * factor));
    this.draw();
  }
}

// ticks returns round values inside [lo, hi], as the 2-D plot's axes have:
// multiples of 1, 2 or 5 times a power of ten, about four to eight of them.
function ticks(lo, hi) {
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let k = Math.ceil(lo / step); k * step <= hi + 1e-9 * step; k++) out.push(k * step);
  return out;
}

function tickLabel(v) {
  const text = Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(3)));
  return trueMinus(text);
}

// drawLabels writes each label at its point's place on the canvas, pushed
// away from the middle of the box so it sits outside its edge; a label
// aside (on the vertical axis) is pushed sideways only, and aligned to it.
function drawLabels(ctx, labels, mvp, width, height, theme, dpr) {
  const centre = project(mvp, [0, 0, HEIGHT / 2], width, height);
  ctx.textBaseline = "middle";
  for (const { at, text, title, aside } of labels) {
    const p = project(mvp, at, width, height);
    if (!p || !centre) continue;
    let [dx, dy] = [p[0] - centre[0], aside ? 0 : p[1] - centre[1]];
    const len = Math.hypot(dx, dy) || 1;
    [dx, dy] = [dx / len, dy / len];
    const push = (title ? 34 : aside ? 10 : 16) * dpr;
    ctx.textAlign = aside ? (dx < 0 ? "right" : "left") : "center";
    ctx.font = title ? `italic ${16 * dpr}px ${theme.serif}` : `${12 * dpr}px ${theme.sans}`;
    ctx.fillStyle = title ? theme.ink : theme.muted;
    ctx.fillText(text, p[0] + dx * push, p[1] + dy * push);
  }
}

// readTheme reads the page's colours and line width from its CSS custom
// properties and classes, with the older names as fallbacks, so the view
// follows the light and the dark theme and presenter mode: the plot's
// ground, the halo around paths, the grid and axis colours, the runs'
// colours, and the contour shades .s1 and .s9, the darker taken for the
// bottom of the mesh.
function readTheme() {
  const root = getComputedStyle(document.documentElement);
  const css = (name, fallback = name) => root.getPropertyValue(name).trim() || root.getPropertyValue(fallback).trim();
  const probe = document.createElement("span");
  probe.style.position = "absolute";
  probe.style.visibility = "hidden";
  probe.style.width = "var(--line-width, 2.4px)";
  document.body.append(probe);
  const style = (cls, prop) => {
    probe.className = cls;
    return getComputedStyle(probe).getPropertyValue(prop).trim();
  };
  const [low, high] = [rgb(style("s1", "stroke")), rgb(style("s9", "stroke"))].sort((a, b) => luminance(a) - luminance(b));
  const theme = {
    background: rgb(css("--plot-bg", "--paper")),
    halo: rgb(css("--halo", "--paper")),
    grid: rgb(css("--grid", "--line")),
    frame: rgb(css("--axis", "--muted")),
    low: muted(low),
    high: muted(high),
    runs: Array.from({ length: RUN_COLOURS }, (_, i) => rgb(style(`c${i}`, "--c"))),
    lineWidth: parseFloat(getComputedStyle(probe).width) || 2.4,
    ink: css("--ink") || "#15202b",
    muted: css("--muted") || "#5b6b7a",
    sans: css("--sans") || "sans-serif",
    serif: css("--serif") || "serif",
  };
  probe.remove();
  return theme;
}

const luminance = ([r, g, b]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

// muted moves a colour a third of the way to the grey of its luminance, so
// that the mesh stays quieter than the paths drawn over it.
function muted(colour) {
  const grey = luminance(colour);
  return colour.map((c) => c + (grey - c) / 3);
}

// rgb turns any CSS colour into [r, g, b] in [0, 1], by painting a pixel.
const pixel = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
function rgb(css) {
  pixel.clearRect(0, 0, 1, 1);
  pixel.fillStyle = "#808080";
  pixel.fillStyle = css || "#808080";
  pixel.fillRect(0, 0, 1, 1);
  const [r, g, b] = pixel.getImageData(0, 0, 1, 1).data;
  return [r / 255, g / 255, b / 255];
}
