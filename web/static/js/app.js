// Saddlepoint's page: wires the controls, the plot, the legend and the
// stream together around one state object.

import { Controls } from "./controls.js";
import { Explore } from "./explore.js";
import { Inspector } from "./inspector.js";
import { Legend } from "./legend.js";
import { Plot } from "./plot.js";
import { stateURL } from "./state.js";
import { Stream } from "./stream.js";

// Animation pace: each run's path is revealed over about this many frames,
// fewer when a cloud of starts draws hundreds of runs at once.
const REVEAL_FRAMES = 150;
const CLOUD_REVEAL_FRAMES = 30;
// Runs are traced for the inspector while steps × optimizers stays below
// this, which keeps a traced stream to a few megabytes.
const TRACE_LIMIT = 20000;

const data = JSON.parse(document.getElementById("saddlepoint-data").textContent);
const controls = new Controls(document.getElementById("controls"), data);
const legend = new Legend(document.getElementById("legend"));
const inspector = new Inspector(document.getElementById("inspector"));
let plot = new Plot(document.getElementById("plot"));

// state.runs holds, for each run of the current request, what has been
// received of it (path, loss, average, probes as [k, x, y], trace), how many
// iterates are drawn, and its final status once done. state.pinned is the
// iterate the inspector holds after a click: {run, k}.
const state = { runs: [], request: null, animating: false, pinned: null, cloud: 0 };

const wsURL = new URL("/ws", window.location.href);
wsURL.protocol = wsURL.protocol === "https:" ? "wss:" : "ws:";
const stream = new Stream(wsURL.href, {
  onMessage: handleMessage,
  onState: (s) => controls.showConnection(s),
});

function handleMessage(msg) {
  switch (msg.type) {
    case "started": {
      // With many starts the runs come optimizer-major, one per start, and
      // share their optimizer's colour.
      const cloud = msg.starts ? msg.starts.length : 0;
      state.cloud = cloud;
      state.runs = msg.runs.map((r, i) => ({
        name: r.name,
        title: data.optimizers.find((o) => o.name === r.name)?.title ?? r.name,
        colour: cloud ? Math.floor(i / cloud) : i,
        path: [],
        loss: [],
        average: [],
        evals: [],
        trace: [],
        stages: [],
        drawn: 0,
        status: null,
      }));
      plot.reset(state.runs, msg.starts);
      legend.reset(state.runs, cloud);
      state.pinned = null;
      inspector.clear();
      animate();
      break;
    }
    case "points": {
      const run = state.runs[msg.run];
      run.path.push(...msg.path);
      run.loss.push(...msg.loss);
      if (msg.average) run.average.push(...msg.average);
      if (msg.evals) run.evals.push(...msg.evals);
      if (msg.trace) run.trace.push(...msg.trace);
      if (msg.stages) {
        run.stages.push(...msg.stages);
        for (const st of msg.stages) contours.fetch(st.sigma);
      }
      animate();
      break;
    }
    case "done":
      state.runs[msg.run].status = msg.status;
      animate();
      break;
    case "error":
      controls.showError(msg.error, state.request);
      break;
  }
}

// animate reveals the received points a few at a time, one batch a frame.
function animate() {
  if (state.animating) return;
  state.animating = true;
  requestAnimationFrame(frame);
}

function frame() {
  const longest = Math.max(0, ...state.runs.map((r) => r.path.length));
  const perFrame = Math.max(1, Math.ceil(longest / (state.cloud ? CLOUD_REVEAL_FRAMES : REVEAL_FRAMES)));
  let pending = false;
  state.runs.forEach((run, i) => {
    if (run.drawn < run.path.length) {
      run.drawn = Math.min(run.path.length, run.drawn + perFrame);
      plot.draw(i, run, run.drawn);
    }
    const finished = run.status !== null && run.drawn === run.path.length;
    if (!state.cloud) legend.update(i, run.path, run.loss, run.drawn, finished ? run.status : null);
    pending ||= run.drawn < run.path.length;
  });
  if (state.cloud) legend.summarise(state.runs, state.cloud);
  contours.follow(state.runs);
  if (pending) {
    requestAnimationFrame(frame);
  } else {
    state.animating = false;
  }
}

// run sends the form's run and records it in the URL. The first run keeps
// the message the server rendered about a link it could not fully read.
function run({ keepMessage = false } = {}) {
  if (!keepMessage) controls.clearError();
  const request = controls.request();
  if (request.optimizers.length === 0) {
    controls.showError("optimizers: tick at least one optimizer");
    return;
  }
  request.trace = request.steps * request.optimizers.length * (request.starts?.n ?? 1) <= TRACE_LIMIT;
  state.request = request;
  history.replaceState(null, "", stateURL(request, data.optimizers, data.defaultSteps));
  stream.run(request);
}

// replot fetches the contour plot of the surface the form names and runs on
// it. On a new surface the run starts from that surface's default start; an
// edited expression or view keeps the start. A function that cannot be
// drawn leaves the old plot and shows the server's message.
async function replot({ newSurface }) {
  controls.showSurfaceControls();
  const box = controls.form.querySelector("#expr");
  if (controls.surface === "custom" && box.value.trim() === "") box.value = EXAMPLE_FUNCTION;
  contours.reset();
  const spec = controls.surfaceSpec();
  if (spec.expr !== undefined) {
    const check = await (await fetch(`/api/expression?expr=${encodeURIComponent(spec.expr)}`)).json();
    if (!check.ok) {
      controls.showExpressionError(check.error);
      return;
    }
  }
  const query = plotQuery();
  if (!newSurface) query.set("start", controls.start().join(","));
  const response = await fetch(`/plot?${query}`);
  if (!response.ok) {
    const message = (await response.json()).error;
    if (spec.surface === "custom") controls.showExpressionError(message);
    else controls.showError(message);
    return;
  }
  controls.showExpressionError("");
  document.getElementById("plot-container").innerHTML = await response.text();
  plot = new Plot(document.getElementById("plot"));
  if (newSurface) controls.setStart(plot.svg.dataset.start.split(" ").map(Number));
  controls.showSurface(plot);
  bindPlot();
  run();
}

// EXAMPLE_FUNCTION fills an empty expression box: a double well, with two
// minima and a saddle point between them.
const EXAMPLE_FUNCTION = "x^4 - 2*x^2 + y^2";

// debounce delays f until its calls have paused for ms milliseconds.
function debounce(f, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => f(...args), ms);
  };
}

// contours shows, while a continuation run animates, the blurred surface
// of the stage its drawn path has reached (the first such run sets it), and
// the surface itself otherwise. Blurred renderings are fetched once per σ.
const contours = {
  cache: new Map(), // σ → SVG text (or a promise of it)
  shown: 0,
  fetch(sigma) {
    if (this.cache.has(sigma)) return;
    const query = plotQuery({ sigma });
    this.cache.set(sigma, fetch(`/plot?${query}`).then((r) => (r.ok ? r.text() : null)));
  },
  async follow(runs) {
    const run = runs.find((r) => r.stages.length > 0);
    let sigma = 0;
    if (run) {
      for (const st of run.stages) if (st.from < run.drawn) sigma = st.sigma;
    }
    if (sigma === this.shown) return;
    this.shown = sigma;
    this.fetch(sigma);
    const text = await this.cache.get(sigma);
    if (text && this.shown === sigma) {
      plot.setContours(text);
      plot.svg.dataset.sigma = String(sigma);
    }
  },
  reset() {
    this.cache.clear();
    this.shown = 0;
  },
};

// plotQuery is the query of /plot for the form's surface.
function plotQuery(extra = {}) {
  const spec = controls.surfaceSpec();
  const query = new URLSearchParams({ surface: spec.surface });
  if (spec.expr !== undefined) query.set("expr", spec.expr);
  if (spec.view) query.set("view", spec.view.join(","));
  if (spec.normalize) query.set("normalize", "true");
  for (const [k, v] of Object.entries(extra)) query.set(k, String(v));
  return query;
}

// inspect shows iterate k of run i in the inspector and on the plot.
function inspect(hit) {
  const run = hit && state.runs[hit.run];
  if (!run) {
    inspector.clear();
    plot.mark(null);
    return;
  }
  inspector.show(run, hit.k);
  plot.mark(run, hit.k);
}

// A click on an iterate pins it in the inspector; a click anywhere else in
// the plot area moves the start there and runs again. Hovering previews an
// iterate while nothing is pinned.
function bindPlot() {
  plot.svg.addEventListener("click", (event) => {
    const hit = state.cloud ? null : plot.nearest(event, state.runs);
    if (hit) {
      state.pinned = hit;
      inspect(hit);
      return;
    }
    const point = plot.fromEvent(event);
    if (!point) return;
    controls.setStart(plot.snap(point));
    plot.setStart(controls.start());
    run();
  });
  plot.svg.addEventListener("pointermove", (event) => {
    if (state.pinned || state.cloud) return;
    const hit = plot.nearest(event, state.runs);
    if (hit) inspect(hit);
  });
}

controls.form.addEventListener("submit", (event) => {
  event.preventDefault();
  plot.setStart(controls.start());
  run();
});
controls.surfaceSelect.addEventListener("change", () => replot({ newSurface: true }));
controls.form.querySelector("#normalize").addEventListener("change", () => replot({ newSurface: false }));
const replotTyped = debounce(() => replot({ newSurface: false }), 300);
controls.form.querySelector("#expr").addEventListener("input", replotTyped);
for (const id of ["#view-xmin", "#view-xmax", "#view-ymin", "#view-ymax"]) {
  controls.form.querySelector(id).addEventListener("change", replotTyped);
}
for (const box of controls.form.querySelectorAll('input[name="optimizer"]')) {
  box.addEventListener("change", () => {
    controls.recolour();
    run();
  });
}
document.getElementById("scenario").addEventListener("change", (event) => {
  if (event.target.value) window.location.assign(event.target.value);
});
const explore = new Explore(controls.form, { controls, plot: () => plot, run });
controls.form.addEventListener("change", () => explore.fillAxes());
bindPlot();
run({ keepMessage: true });
