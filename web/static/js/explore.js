// Exploring beyond one run: a fair race (each optimizer's learning rate
// tuned first), the basins of attraction painted under the contours, and a
// map of the final loss over two parameters of an optimizer.

import { formatNumber } from "./format.js";

// Colours of the basins, one per minimum reached, light enough to show the
// contours through; then diverged (dark) and not converged (grey).
const BASIN_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f"];
const DIVERGED = [40, 40, 40, 255];
const NOT_CONVERGED = [0, 0, 0, 0]; // left clear
const BASIN_RESOLUTION = 64;
// BASIN_TOL is the gradient norm at which a run of the basin map counts as
// arrived: enough to tell which minimum it is in.
const BASIN_TOL = 1e-4;
const SWEEP_CELLS = 32;

export class Explore {
  // controls is the page's Controls; plot() returns the current Plot;
  // run() starts a run from the form.
  constructor(form, { controls, plot, run }) {
    this.form = form;
    this.controls = controls;
    this.plot = plot;
    this.run = run;
    this.status = form.querySelector("#explore-status");
    this.xSelect = form.querySelector("#sweep-x");
    this.ySelect = form.querySelector("#sweep-y");
    this.panel = document.getElementById("sweep-panel");
    this.canvas = document.getElementById("sweep-map");
    form.querySelector("#race").addEventListener("click", () => this.race());
    form.querySelector("#basins").addEventListener("click", () => this.basins());
    form.querySelector("#sweep").addEventListener("click", () => this.sweep());
    this.canvas.addEventListener("click", (event) => this.runCell(event));
    this.fillAxes();
  }

  // first returns the first ticked optimizer's entry of the run request.
  first() {
    return this.controls.request().optimizers[0];
  }

  // fillAxes offers the numeric parameters of the first ticked optimizer
  // for the parameter map, its first two chosen.
  fillAxes() {
    const entry = this.first();
    const method = entry && this.controls.data.optimizers.find((o) => o.name === entry.name);
    const params = (method?.params ?? []).filter((p) => !p.advanced && (p.kind === "number" || p.kind === "integer"));
    for (const [select, pick] of [[this.xSelect, 0], [this.ySelect, 1]]) {
      const keep = select.value;
      select.replaceChildren(...params.map((p) => new Option(p.name, p.name)));
      select.value = params.some((p) => p.name === keep) ? keep : params[Math.min(pick, params.length - 1)]?.name ?? "";
    }
    this.form.querySelector("#sweep").disabled = params.length < 2;
  }

  async post(path, body) {
    const response = await fetch(path, { method: "POST", body: JSON.stringify(body) });
    const reply = await response.json();
    if (!response.ok) throw new Error(reply.error);
    return reply;
  }

  // busy runs task with the explore buttons disabled and its outcome shown.
  async busy(message, task) {
    const buttons = this.form.querySelectorAll(".explore button");
    buttons.forEach((b) => (b.disabled = true));
    this.status.textContent = message;
    try {
      this.status.textContent = await task();
    } catch (err) {
      this.status.textContent = "";
      this.controls.showError(err.message);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
      this.fillAxes();
    }
  }

  race() {
    return this.busy("Tuning learning rates…", async () => {
      const { trace, starts, ...request } = this.controls.request();
      const reply = await this.post("/api/tune", request);
      const chosen = [];
      for (const o of reply.optimizers) {
        if (!o.tuned) continue;
        const input = this.form.querySelector(`#param-${o.name}-lr`);
        if (input) input.value = String(o.lr);
        chosen.push(`${o.name} ${formatNumber(o.lr)}`);
      }
      this.run();
      return chosen.length ? `Tuned learning rates: ${chosen.join(", ")}.` : "No ticked optimizer has a learning rate to tune.";
    });
  }

  basins() {
    return this.busy("Running from every point of the view…", async () => {
      const request = this.controls.request();
      const optimizer = request.optimizers[0];
      if (!optimizer) throw new Error("optimizers: tick an optimizer first");
      const steps = Math.min(request.steps ?? 200, Math.floor(33554432 / BASIN_RESOLUTION ** 2));
      const reply = await this.post("/api/basins", {
        ...this.controls.surfaceSpec(),
        optimizer,
        steps,
        tol: BASIN_TOL,
        resolution: BASIN_RESOLUTION,
      });
      const n = reply.resolution;
      const image = new ImageData(n, n);
      reply.basin.forEach((b, k) => {
        const i = k % n;
        const j = n - 1 - Math.floor(k / n); // row 0 of the reply is the bottom
        const rgba = b === -1 ? DIVERGED : b === -2 ? NOT_CONVERGED : [...hexRGB(BASIN_COLOURS[b % BASIN_COLOURS.length]), 255];
        image.data.set(rgba, 4 * (j * n + i));
      });
      const canvas = new OffscreenCanvas(n, n);
      canvas.getContext("2d").putImageData(image, 0, 0);
      const blob = await canvas.convertToBlob();
      this.plot().setUnderlay(await blobURL(blob));
      const reached = new Set(reply.basin.filter((b) => b >= 0)).size;
      const stuck = reply.basin.filter((b) => b === -2).length;
      return `Basins of ${optimizer.name}: ${reached} minima reached from ${n}×${n} starts, a colour each; dark diverged; ${stuck} left clear did not arrive in ${steps} steps.`;
    });
  }

  sweep() {
    return this.busy("Running every pair of values…", async () => {
      const request = this.controls.request();
      const optimizer = request.optimizers[0];
      const method = this.controls.data.optimizers.find((o) => o.name === optimizer?.name);
      const axis = (name) => sweepAxis(method.params.find((p) => p.name === name));
      const x = axis(this.xSelect.value);
      const y = axis(this.ySelect.value);
      if (x.param === y.param) throw new Error("y: choose a parameter other than x's");
      const reply = await this.post("/api/sweep", {
        ...this.controls.surfaceSpec(),
        start: request.start,
        optimizer,
        steps: request.steps,
        x,
        y,
      });
      this.sweepReply = { ...reply, optimizer: optimizer.name };
      this.paintSweep(reply);
      return `Parameter map of ${optimizer.name}: ${x.param} × ${y.param}, ${request.steps} steps each.`;
    });
  }

  paintSweep(reply) {
    const nx = reply.x.values.length;
    const ny = reply.y.values.length;
    const finite = reply.loss.filter((v, k) => reply.status[k] !== "diverged");
    const lo = Math.min(...finite);
    const hi = Math.max(...finite);
    const shade = (v) => Math.log10(1 + (v - lo)) / Math.log10(1 + (hi - lo) || 10);
    const ctx = this.canvas.getContext("2d");
    const w = this.canvas.width / nx;
    const h = this.canvas.height / ny;
    reply.loss.forEach((v, k) => {
      const i = k % nx;
      const j = ny - 1 - Math.floor(k / nx);
      ctx.fillStyle = reply.status[k] === "diverged" ? "#c8c8c8" : ramp(shade(v));
      ctx.fillRect(i * w, j * h, Math.ceil(w), Math.ceil(h));
    });
    const range = (a) => `${a.param} ${formatNumber(a.values[0])} → ${formatNumber(a.values[a.values.length - 1])}${a.scale === "log" ? " (log)" : ""}`;
    this.panel.querySelector(".sweep-title").textContent = `Final loss of ${reply.optimizer ?? "the optimizer"}: ${range(reply.x)} across, ${range(reply.y)} up`;
    this.panel.hidden = false;
  }

  // runCell sets the first optimizer's two swept parameters to the clicked
  // cell's values and runs.
  runCell(event) {
    const reply = this.sweepReply;
    if (!reply) return;
    const rect = this.canvas.getBoundingClientRect();
    const nx = reply.x.values.length;
    const ny = reply.y.values.length;
    const i = Math.min(nx - 1, Math.floor(((event.clientX - rect.left) / rect.width) * nx));
    const j = ny - 1 - Math.min(ny - 1, Math.floor(((event.clientY - rect.top) / rect.height) * ny));
    for (const [axis, index] of [[reply.x, i], [reply.y, j]]) {
      const input = this.form.querySelector(`#param-${reply.optimizer}-${axis.param}`);
      if (input) input.value = String(axis.values[index]);
    }
    this.run();
  }
}

// sweepAxis chooses the values of a parameter for the map: log-spaced for a
// scale parameter (a learning rate, a small constant, a regularisation),
// linear for a fraction (momentum, decay rates).
function sweepAxis(p) {
  const fraction = p.max <= 1 && p.default >= 0.5;
  if (fraction) return { param: p.name, min: p.min, max: Math.min(p.max, 0.99), n: SWEEP_CELLS, scale: "linear" };
  const hi = Math.min(p.max, p.default > 0 ? p.default * 1000 : 1);
  const lo = Math.max(p.min > 0 ? p.min : 0, hi * 1e-5);
  return { param: p.name, min: lo, max: hi, n: SWEEP_CELLS, scale: "log" };
}

// ramp maps 0 (lowest loss) … 1 (highest) to a dark-to-light blue.
function ramp(t) {
  const u = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 1));
  const a = [8, 48, 107];
  const b = [222, 235, 247];
  return `rgb(${a.map((c, k) => Math.round(c + (b[k] - c) * u)).join(",")})`;
}

function hexRGB(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

function blobURL(blob) {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.readAsDataURL(blob);
  });
}
