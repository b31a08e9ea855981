// The loss chart: f(θ) against iteration for every run, drawn by uPlot in
// the runs' colours and dash patterns, on a log scale unless the reader asks
// for a linear one. Its colours, type and line widths come from the
// stylesheet, so that it follows the theme and presenter mode (restyle).
// The timeline's iterate is its cursor, with what lies ahead shaded; a click
// or a drag on the chart moves the timeline there.

import uPlot from "../vendor/uplot/uPlot.min.esm.js";
import { svgElement } from "./dom.js";
import { trueMinus } from "./format.js";

// REBUILD_MS: while runs stream in, their data is handed to uPlot at most
// this often (at once when they are complete).
const REBUILD_MS = 200;
// EPSILON scales the ε added to f − f_min when some losses are ≤ 0, so
// that the log scale can show how close the runs came to the lowest loss.
const EPSILON = 1e-9;

const off = () => null; // a cursor binding that listens to nothing

export class LossChart {
  // panel is the #loss-panel element; onSeek(k) moves the timeline.
  constructor(panel, { onSeek }) {
    this.panel = panel;
    this.box = panel.querySelector("#loss-chart");
    this.note = panel.querySelector("#chart-note");
    this.logToggle = panel.querySelector("#chart-log");
    this.onSeek = onSeek;
    this.runs = [];
    this.cloud = 0;
    this.k = 0;
    this.end = 0;
    this.uplot = null;
    this.dirty = false;
    this.built = -Infinity;
    this.logToggle.addEventListener("change", () => this.restyle());
    new ResizeObserver(() => this.resize()).observe(this.box);
  }

  // reset prepares the chart of a new set of runs; with a cloud of starts
  // it shows each optimizer's median loss instead of every run's.
  reset(runs, cloud) {
    this.runs = runs;
    this.cloud = cloud;
    this.recreate = true;
    this.changed();
  }

  // changed notes that the runs received more iterates or finished.
  changed() {
    this.dirty = true;
  }

  // update hands uPlot the runs' losses if they changed: when complete, or
  // at most every REBUILD_MS while they stream in.
  update(now, complete) {
    if (!this.dirty || (!complete && !this.recreate && now - this.built < REBUILD_MS)) return;
    this.dirty = false;
    this.built = now;
    const { xs, series } = this.cloud ? medians(this.runs, this.cloud) : losses(this.runs);
    const scale = chooseScale(series.map((s) => s.values), this.logToggle.checked);
    const data = [xs, ...series.map((s) => s.values.map(scale.map))];
    this.end = xs.length - 1;
    this.showNote(scale);
    if (this.recreate || !this.uplot || scale.kind !== this.scale?.kind || scale.label !== this.scale?.label) {
      this.scale = scale;
      this.create(series, data, scale);
      this.recreate = false;
    } else {
      this.scale = scale;
      this.uplot.setData(data);
    }
  }

  // restyle draws the chart again in the stylesheet's current look, after
  // a change of theme, presenter mode or the type's size, or of scale (the
  // log toggle).
  restyle() {
    this.recreate = true;
    this.changed();
    this.update(performance.now(), true);
  }

  // setK moves the cursor to iterate k.
  setK(k) {
    if (k === this.k) return;
    this.k = k;
    this.place();
  }

  create(series, data, scale) {
    this.uplot?.destroy();
    this.box.replaceChildren();
    const width = Math.max(200, this.box.clientWidth);
    const look = chartLook(this.box, series.map((s) => s.colour));
    this.fontSize = getComputedStyle(this.box).fontSize;
    this.height = look.height;
    const lines = look.lines;
    const colours = lines.map((l) => l.stroke);
    const z = look.zoom;
    const opts = {
      width,
      height: look.height,
      legend: { show: false },
      scales: {
        x: { time: false, range: (u, min, max) => [0, Math.max(1, max ?? 1)] },
        y: scale.kind === "linear"
          ? { range: (u, min, max) => (min === null ? [0, 1] : uPlot.rangeNum(min, max, 0.1, true)) }
          : { distr: 3, log: 10, range: (u, min, max) => (min === null ? [1, 10] : uPlot.rangeLog(min, max, 10, true)) },
      },
      axes: [
        {
          label: "iteration",
          ...look.axis,
          size: 38 * z,
          labelSize: 18 * z,
          space: 50 * z,
        },
        {
          label: scale.label,
          ...look.axis,
          size: 62 * z,
          labelSize: 20 * z,
          space: 30 * z,
          ...(scale.kind === "linear" ? {} : { splits: logSplits, filter: (u, splits) => splits, values: (u, splits) => splits.map(formatPower) }),
        },
      ],
      series: [
        { label: "iteration" },
        ...series.map((s, i) => ({
          label: s.label,
          stroke: lines[i].stroke,
          width: lines[i].width,
          dash: lines[i].dash,
          cap: "round",
          points: { show: false },
          spanGaps: false,
        })),
      ],
      cursor: {
        bind: { mousedown: off, mouseup: off, click: off, dblclick: off, mousemove: off, mouseleave: off, mouseenter: off },
        drag: { x: false, y: false, setScale: false },
        y: false,
        points: { size: 8 * z, width: 2 * z, fill: look.paper, stroke: (u, i) => colours[i - 1] },
      },
      hooks: { draw: [() => this.place()] },
    };
    this.uplot = new uPlot(opts, data, this.box);
    this.future = document.createElement("div");
    this.future.className = "loss-future";
    this.uplot.over.append(this.future);
    this.bindSeek(this.uplot.over);
  }

  // place puts the cursor and the shading of what lies ahead at iterate k.
  place() {
    const u = this.uplot;
    if (!u || u.data[0].length === 0) return;
    const k = Math.min(this.k, this.end);
    const x = u.valToPos(k, "x");
    if (!Number.isFinite(x)) return;
    // bbox needs no layout, unlike over's size.
    u.setCursor({ left: x, top: u.bbox.height / devicePixelRatio / 2 });
    this.future.style.left = `${x}px`;
  }

  bindSeek(over) {
    let dragging = false;
    const seekAt = (event) => {
      const rect = over.getBoundingClientRect();
      const k = Math.round(this.uplot.posToVal(event.clientX - rect.left, "x"));
      this.onSeek(Math.max(0, Math.min(this.end, k)));
    };
    over.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      over.setPointerCapture(event.pointerId);
      dragging = true;
      seekAt(event);
    });
    over.addEventListener("pointermove", (event) => {
      if (dragging) seekAt(event);
    });
    for (const type of ["pointerup", "pointercancel"]) over.addEventListener(type, () => (dragging = false));
  }

  // resize follows the box's width; a new size of type (presenter mode on
  // a larger screen, full screen) draws the chart again.
  resize() {
    if (this.uplot && getComputedStyle(this.box).fontSize !== this.fontSize) {
      this.restyle();
      return;
    }
    const width = this.box.clientWidth;
    if (this.uplot && width > 0 && Math.abs(width - this.uplot.width) > 1) {
      this.uplot.setSize({ width: Math.max(200, width), height: this.height });
    }
  }

  showNote(scale) {
    let text = "";
    if (scale.kind === "shifted") {
      text = `Some losses are ≤ 0, so the log scale shows f − f_min + ε, where f_min = ${formatPlain(scale.min)} is the lowest loss of these runs and ε = ${formatPower(scale.eps)}.`;
    }
    if (this.cloud) text = `Each line is the median loss of an optimizer's ${this.cloud} runs. ${text}`;
    this.note.textContent = text;
  }
}

// losses lays out each run's losses against a shared iteration axis, null
// after a run's end.
function losses(runs) {
  const n = Math.max(1, ...runs.map((r) => r.loss.length));
  const xs = Array.from({ length: n }, (_, i) => i);
  const series = runs.map((run) => {
    const values = new Array(n).fill(null);
    for (let i = 0; i < run.loss.length; i++) values[i] = run.loss[i];
    return { label: run.title, colour: run.colour, values };
  });
  return { xs, series };
}

// medians gives each optimizer of a cloud the median of its runs' losses
// at every iteration; a run that stopped early counts with its last loss.
function medians(runs, cloud) {
  const n = Math.max(1, ...runs.map((r) => r.loss.length));
  const xs = Array.from({ length: n }, (_, i) => i);
  const series = [];
  for (let g = 0; g * cloud < runs.length; g++) {
    const group = runs.slice(g * cloud, (g + 1) * cloud).filter((r) => r.loss.length > 0);
    const values = new Array(n).fill(null);
    const at = new Array(group.length);
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (const r of group) {
        const v = r.loss[Math.min(i, r.loss.length - 1)];
        if (Number.isFinite(v)) at[m++] = v;
      }
      if (m === 0) continue;
      const sorted = at.slice(0, m).sort((a, b) => a - b);
      values[i] = sorted[Math.floor((m - 1) / 2)];
    }
    const head = runs[g * cloud];
    series.push({ label: `${head.title} (median of ${cloud} runs)`, colour: head.colour, values });
  }
  return { xs, series };
}

// chooseScale picks how the losses are drawn: on a log scale when they are
// all positive; as f − f_min + ε on a log scale when some are ≤ 0; or on a
// linear scale when log is off. Infinite and missing losses are left out.
function chooseScale(all, log) {
  let min = Infinity;
  let max = -Infinity;
  for (const values of all) {
    for (const v of values) {
      if (v === null || !Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const finite = (f) => (v) => (v === null || !Number.isFinite(v) ? null : f(v));
  if (!log) return { kind: "linear", label: "f(θ)", map: finite((v) => v) };
  if (!(min <= 0)) return { kind: "log", label: "f(θ)", map: finite((v) => v) };
  const eps = Number((EPSILON * Math.max(1, max - min)).toPrecision(1));
  return { kind: "shifted", label: "f(θ) − f_min + ε", min, eps, map: finite((v) => v - min + eps) };
}

// chartLook reads the chart's look from the stylesheet, which knows the
// theme and presenter mode: the height, the type (zoom is its size against
// the 12 px the axes' sizes are laid out for), the axes' colours, and the
// colour, width and dash pattern of each run colour c in colours, from an
// SVG line of class cN (styled by the same rule as the run's path on the
// plot; uPlot takes widths in CSS pixels but dashes in canvas pixels).
function chartLook(box, colours) {
  const style = getComputedStyle(box);
  const root = getComputedStyle(document.documentElement);
  const fontSize = parseFloat(style.fontSize) || 12;
  const zoom = fontSize / 12;
  const grid = root.getPropertyValue("--grid").trim();
  const probe = svgElement("svg", { class: "line-probe", "aria-hidden": "true" });
  box.append(probe);
  const lines = colours.map((c) => {
    const line = svgElement("line", { class: `c${c}` });
    probe.append(line);
    const ls = getComputedStyle(line);
    const dash = ls.strokeDasharray === "none" ? [] : ls.strokeDasharray.split(/[\s,]+/).map(parseFloat);
    return {
      stroke: ls.getPropertyValue("--c").trim() || ls.stroke,
      width: parseFloat(ls.strokeWidth) || 2,
      dash: dash.every((d) => !(d > 0)) ? [] : dash.map((d) => d * devicePixelRatio),
    };
  });
  probe.remove();
  return {
    height: parseFloat(style.minHeight) || 220,
    zoom,
    paper: root.getPropertyValue("--paper").trim(),
    lines,
    axis: {
      stroke: style.color,
      font: `${fontSize}px ${style.fontFamily}`,
      labelFont: `${Math.round(fontSize * 1.08)}px ${style.fontFamily}`,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1, size: 4 * zoom },
    },
  };
}

// logSplits places ticks at powers of ten, every few decades when the
// scale spans many, so that about one tick fits every 28 pixels.
function logSplits(u, axisIdx, min, max) {
  const lo = Math.ceil(Math.log10(min) - 1e-9);
  const hi = Math.floor(Math.log10(max) + 1e-9);
  const room = Math.max(2, Math.floor(u.bbox.height / devicePixelRatio / 28));
  const every = Math.max(1, Math.ceil((hi - lo + 1) / room));
  const splits = [];
  for (let e = hi; e >= lo; e -= every) splits.unshift(10 ** e);
  return splits;
}

const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

// formatPower writes a number of one significant digit, such as a power of
// ten, plainly from 0.001 to 10000 and as 10ⁿ or m × 10ⁿ beyond.
function formatPower(v) {
  if (!(v > 0)) return "";
  const e = Math.floor(Math.log10(v) + 1e-9);
  if (e >= -3 && e <= 4) return String(Number(v.toPrecision(1)));
  const m = Math.round(v / 10 ** e);
  return `${m === 1 ? "" : `${m} × `}10${String(e).replace(/./g, (c) => SUPERSCRIPT[c])}`;
}

function formatPlain(v) {
  const a = Math.abs(v);
  const s = a !== 0 && (a >= 1e4 || a < 1e-3) ? v.toExponential(2) : String(Number(v.toPrecision(5)));
  return trueMinus(s);
}
