// Saddlepoint's page: wires the controls, the plot, the legend, the
// inspector, the loss chart and the playback bar together around one state
// object and one timeline, and the stream that feeds them.

import { LossChart } from "./chart.js";
import { Controls } from "./controls.js";
import { Explore } from "./explore.js";
import { Inspector } from "./inspector.js";
import { Keyboard } from "./keyboard.js";
import { Legend } from "./legend.js";
import { Playback } from "./playback.js";
import { Plot } from "./plot.js";
import { Overlays } from "./overlays.js";
import { sameRun, speedFromURL, stateURL, viewFromURL } from "./state.js";
import { sameView, Zoom } from "./zoom.js";
import { Export } from "./export.js";
import { Stream } from "./stream.js";
import { Timeline } from "./timeline.js";
import { Theme } from "./theme.js";
import { Presenter } from "./presenter.js";
import { showFullPageLink, withDisplay } from "./display.js";

// Runs are traced for the inspector while steps × optimizers stays below
// this, which keeps a traced stream to a few megabytes.
const TRACE_LIMIT = 20000;

const data = JSON.parse(document.getElementById("saddlepoint-data").textContent);
const controls = new Controls(document.getElementById("controls"), data);
const legendTable = document.getElementById("legend");
const legend = new Legend(legendTable, { onPick: (i) => inspectRun(i) });
const inspector = new Inspector(document.getElementById("inspector"), { onUnpin: () => unpin() });
const timeline = new Timeline(timelineChanged);
const playback = new Playback(document.getElementById("playback"), timeline);
const chart = new LossChart(document.getElementById("loss-panel"), { onSeek: (k) => timeline.seek(k) });
let plot = new Plot(document.getElementById("plot"));
// The look, which the loss chart's canvas is redrawn for.
const theme = new Theme(document.getElementById("theme-toggle"), { onChange: () => chart.restyle() });
const presenter = new Presenter(document.getElementById("presenter-toggle"), { onChange: () => chart.restyle() });
// A reader who asks for reduced motion sees each run whole, and can play it.
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

// state.runs holds, for each run of the current request, what has been
// received of it (path, loss, average, probes as [k, x, y], trace), how many
// iterates are drawn, and its final status once done. The inspector shows
// state.pinned, the iterate a click holds ({run, k}), else state.hover, the
// one under the pointer, else the timeline's iterate of run state.inspected.
const state = { runs: [], request: null, pinned: null, hover: null, inspected: 0, cloud: 0 };

const wsURL = new URL("/ws", window.location.href);
wsURL.protocol = wsURL.protocol === "https:" ? "wss:" : "ws:";
const stream = new Stream(wsURL.href, {
  onMessage: handleMessage,
  onState: (s) => controls.showConnection(s),
});

function handleMessage(msg) {
  switch (msg.type) {
    case "started": {
      legendTable.removeAttribute("aria-busy");
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
        drawn: 0, // iterates drawn
        fresh: false, // whether iterates arrived since it was drawn
        finished: false, // whether the legend shows its final status
        status: null,
      }));
      plot.reset(state.runs, msg.starts);
      legend.reset(state.runs, cloud);
      chart.reset(state.runs, cloud);
      state.pinned = null;
      state.hover = null;
      if (state.inspected >= state.runs.length) state.inspected = 0;
      marked = null;
      timeline.reset(state.request?.steps, { skipToEnd: reducedMotion.matches });
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
      run.fresh = true;
      received();
      break;
    }
    case "done":
      state.runs[msg.run].status = msg.status;
      received();
      break;
    case "error":
      legendTable.removeAttribute("aria-busy");
      controls.showError(msg.error, state.request);
      break;
  }
}

// received tells the timeline and the chart how far the runs now reach.
function received() {
  let end = 0;
  let complete = true;
  for (const run of state.runs) {
    end = Math.max(end, run.path.length - 1);
    complete &&= run.status !== null;
  }
  chart.changed();
  timeline.extend(end, complete);
}

// timelineChanged draws the timeline's change, and keeps a speed the reader
// chose in the URL.
let urlSpeed;
function timelineChanged() {
  const speed = timeline.auto ? undefined : timeline.speed;
  if (speed !== urlSpeed) {
    urlSpeed = speed;
    writeURL();
  }
  schedule();
}

// Drawing happens once a frame, while the timeline plays or after anything
// changed.
let framePending = false;
function schedule() {
  if (framePending) return;
  framePending = true;
  requestAnimationFrame(frame);
}

function frame(now) {
  framePending = false;
  timeline.tick(now);
  render(now);
  playback.show();
  if (timeline.playing || chart.dirty) schedule();
}

// render draws every run through the timeline's iterate k, with
// min(k + 1, its length) points, and brings the legend, the contours, the
// chart and the inspector along.
function render(now) {
  const k = timeline.k;
  plot.paths.setPlaying(timeline.playing);
  let changed = false;
  state.runs.forEach((run, i) => {
    const n = Math.min(k + 1, run.path.length);
    const finished = run.status !== null && n === run.path.length;
    if (n === run.drawn && !run.fresh && finished === run.finished) return;
    changed = true;
    plot.draw(i, run, n);
    run.drawn = n;
    run.fresh = false;
    run.finished = finished;
    if (!state.cloud) legend.update(i, run.path, run.loss, n, finished ? run.status : null);
  });
  if (changed) {
    if (state.cloud) legend.summarise(state.runs, state.cloud);
    contours.follow(state.runs);
    surface3d?.changed();
  }
  chart.update(now, timeline.complete);
  chart.setK(k);
  showInspector();
  // The legend changes many times a second while playing; it is announced
  // once playback stops.
  legendTable.setAttribute("aria-live", timeline.playing ? "off" : "polite");
}

// showInspector shows the pinned iterate, else the one under the pointer,
// else the timeline's iterate of the chosen run, and marks it on the plot
// and in the legend. A cloud of starts has no inspector.
let marked = null; // {run, k} marked on the plot
function showInspector() {
  let target = null;
  let how = "timeline";
  if (state.pinned) {
    [target, how] = [state.pinned, "pinned"];
  } else if (state.hover) {
    [target, how] = [state.hover, "hover"];
  } else if (state.runs[state.inspected]?.drawn > 0) {
    target = { run: state.inspected, k: state.runs[state.inspected].drawn - 1 };
  }
  if (state.cloud) target = null;
  const run = target && state.runs[target.run];
  if (!run) {
    inspector.clear();
    if (marked) plot.mark(null);
    legend.highlight(null);
    marked = null;
    return;
  }
  inspector.show(run, target.k, how);
  if (marked?.run !== run || marked.k !== target.k) {
    plot.mark(run, target.k);
    marked = { run, k: target.k };
  }
  legend.highlight(target.run);
}

// inspectRun follows run i in the inspector as the timeline moves.
function inspectRun(i) {
  state.inspected = i;
  state.pinned = null;
  state.hover = null;
  showInspector();
}

function unpin() {
  state.pinned = null;
  showInspector();
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
  writeURL({ newEntry: !keepMessage });
  // The legend is busy until the runs start (or the server refuses them).
  legendTable.setAttribute("aria-busy", "true");
  stream.run(request);
}

// writeURL records the page's state in its URL: the run and the playback
// speed, if the reader chose one.
// A run the reader asked for is a new entry in the history, so the back
// button walks back through the runs; the first run and speed changes
// replace the current entry.
function writeURL({ newEntry = false } = {}) {
  if (!state.request) return;
  const view = controls.surface !== "custom" && sameView(plot.view, homeView()) ? null : plot.view;
  const shown = { speed: urlSpeed, view3d: shown3d(), view, overlays: overlays.param };
  const url = withDisplay(stateURL(state.request, data.optimizers, data.defaultSteps, shown));
  const current = window.location.pathname + window.location.search;
  if (newEntry && url !== current) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
  shownURL = window.location.search;
  document.getElementById("export-gif").href = Export.gifHref(url);
  showFullPageLink(url);
}

// Going back or forward reopens the page in that entry's state, or only
// shows its view and overlays when nothing else differs.
let shownURL = window.location.search;
window.addEventListener("popstate", () => {
  const [from, to] = [shownURL, window.location.search];
  shownURL = to;
  if (!sameRun(from, to)) {
    window.location.reload();
    return;
  }
  overlays.setParam(new URLSearchParams(to).get("overlays") ?? undefined);
  zoom.cancel();
  const view = viewFromURL(to) ?? homeView();
  if (!sameView(view, plot.view)) showView(view);
});

// replot fetches the contour plot of the surface the form names and runs on
// it. On a new surface the run starts from that surface's default start; an
// edited expression or view keeps the start. A function that cannot be
// drawn leaves the old plot and shows the server's message.
let replots = 0; // replots begun, so that a slow answer cannot undo a later one
async function replot({ newSurface }) {
  const generation = ++replots;
  views++;
  zoom.cancel();
  if (newSurface) controls.setView(null);
  controls.showSurfaceControls();
  const box = controls.form.querySelector("#expr");
  if (controls.surface === "custom" && box.value.trim() === "") box.value = EXAMPLE_FUNCTION;
  contours.reset();
  const spec = controls.surfaceSpec();
  if (spec.expr !== undefined) {
    const check = await (await fetch(`/api/expression?expr=${encodeURIComponent(spec.expr)}`)).json();
    if (generation !== replots) return;
    if (!check.ok) {
      controls.showExpressionError(check.error);
      return;
    }
  }
  const query = plotQuery({}, spec);
  if (!newSurface) query.set("start", controls.start().join(","));
  const response = await fetch(`/plot?${query}`);
  if (generation !== replots) return;
  if (!response.ok) {
    const message = (await response.json()).error;
    if (spec.surface === "custom") controls.showExpressionError(message);
    else controls.showError(message);
    return;
  }
  const svg = await response.text();
  if (generation !== replots) return;
  controls.showExpressionError("");
  document.getElementById("plot-container").innerHTML = svg;
  plot = new Plot(document.getElementById("plot"));
  marked = null;
  if (newSurface) controls.setStart(plot.svg.dataset.start.split(" ").map(Number));
  if (controls.surface === "custom" && (newSurface || !customHome)) customHome = plot.view;
  controls.showSurface(plot);
  bindPlot();
  run();
}

// The plot's view: zoom and pan move it, the server draws each view a
// gesture rests on, and the reset button or the 0 key go back to the
// surface's own view: a catalogue surface's, or the one a custom surface
// was opened or typed with.
const plotContainer = document.getElementById("plot-container");
let customHome = controls.surface === "custom" ? plot.view : null;
const homeView = () => (controls.surface === "custom" ? customHome : data.surfaces.find((s) => s.name === controls.surface).view);
const zoom = new Zoom(plotContainer, { plot: () => plot, home: homeView, onSettle: (view) => showView(view, { newEntry: true }) });
if (!sameView(plot.view, homeView())) controls.setView(plot.view);
document.getElementById("reset-view").addEventListener("click", () => zoom.set(null));
const overlays = new Overlays(document.getElementById("overlays"), plotContainer, () => writeURL());

// showView draws view: the server's contours of it, the runs redrawn over
// them, and the view in the URL, as a new history entry when newEntry.
let views = 0; // views asked for, so that a slow answer cannot undo a later one
async function showView(view, { newEntry = false } = {}) {
  const generation = ++views;
  const response = await fetch(`/plot?${plotQuery({ view: view.join(","), start: controls.start().join(",") })}`);
  const text = await response.text();
  if (generation !== views) return;
  if (!response.ok) {
    zoom.cancel();
    controls.showError(JSON.parse(text).error);
    return;
  }
  plot.setView(text);
  zoom.drawn();
  controls.setView(sameView(view, homeView()) ? null : view);
  plot.redraw(state.runs);
  marked = null;
  showInspector();
  contours.reset();
  contours.follow(state.runs);
  writeURL({ newEntry });
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

// plotQuery is the query of /plot for a surface, the form's by default.
function plotQuery(extra = {}, spec = controls.surfaceSpec()) {
  const query = new URLSearchParams({ surface: spec.surface });
  if (spec.expr !== undefined) query.set("expr", spec.expr);
  if (spec.view) query.set("view", spec.view.join(","));
  if (spec.normalize) query.set("normalize", "true");
  for (const [k, v] of Object.entries(extra)) query.set(k, String(v));
  return query;
}

// A click on an iterate pins it in the inspector; a click anywhere else in
// the plot area moves the start there and runs again. Pointing at an
// iterate previews it until the pointer leaves the plot.
function bindPlot() {
  plot.svg.addEventListener("click", (event) => {
    const hit = state.cloud ? null : plot.nearest(event, state.runs);
    if (hit) {
      state.pinned = hit;
      showInspector();
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
    if (hit && (hit.run !== state.hover?.run || hit.k !== state.hover?.k)) {
      state.hover = hit;
      showInspector();
    }
  });
  plot.svg.addEventListener("pointerleave", () => {
    state.hover = null;
    showInspector();
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
  controls.form.querySelector(id).addEventListener("change", () => {
    customHome = null; // the typed view is the surface's own
    replotTyped();
  });
}
for (const box of controls.form.querySelectorAll('input[name="optimizer"]')) {
  box.addEventListener("change", () => {
    controls.recolour();
    run();
  });
}
document.getElementById("scenario").addEventListener("change", (event) => {
  if (event.target.value) window.location.assign(withDisplay(event.target.value));
});
const explore = new Explore(controls.form, { controls, plot: () => plot, run });
controls.form.addEventListener("change", () => explore.fillAxes());

// Keyboard shortcuts; more join them as the page grows.
const keyboard = new Keyboard();
keyboard.bind([" "], "Space", "play or pause", () => timeline.toggle());
keyboard.bind(["ArrowLeft"], "←", "step back one iterate (with Shift, ten)", (e) => timeline.step(e.shiftKey ? -10 : -1));
keyboard.bind(["ArrowRight"], "→", "step forward one iterate (with Shift, ten)", (e) => timeline.step(e.shiftKey ? 10 : 1));
keyboard.bind(["r", "R"], "R", "restart", () => timeline.restart());
keyboard.bind(["Escape"], "Esc", "unpin the inspector, or close this list", () => {
  const help = document.getElementById("shortcuts");
  if (help.open) help.close();
  else unpin();
});
keyboard.bind(["f", "F"], "F", "full screen, or back", () => {
  if (document.fullscreenElement) document.exitFullscreen();
  else document.documentElement.requestFullscreen?.().catch(() => {});
});
keyboard.bind(["p", "P"], "P", "presenter mode, or back", () => presenter.toggle());
keyboard.bind(["v", "V"], "V", "switch between the 2-D plot and the 3-D view", () => show3d(!shown3d()));
keyboard.bind(["1", "2", "3", "4", "5", "6", "7", "8", "9"], "1–9", "open the first nine scenarios of the menu", (e) => {
  const option = document.getElementById("scenario").options[Number(e.key)];
  if (option?.value) window.location.assign(withDisplay(option.value));
});
keyboard.bind(["0"], "0", "reset the view to the surface's own", () => zoom.set(null));
keyboard.bind(["+", "="], "+", "zoom in (or scroll or pinch; drag to pan)", () => zoom.zoomBy(1 / 1.5));
keyboard.bind(["-", "_"], "−", "zoom out", () => zoom.zoomBy(1.5));
keyboard.bind(["?"], "?", "list these shortcuts", () => showShortcuts());

// showShortcuts lists every keyboard shortcut in a dialog.
function showShortcuts() {
  const dialog = document.getElementById("shortcuts");
  const list = dialog.querySelector("dl");
  list.replaceChildren(
    ...keyboard.list().flatMap(({ label, description }) => {
      const dt = document.createElement("dt");
      const kbd = document.createElement("kbd");
      kbd.textContent = label;
      dt.append(kbd);
      const dd = document.createElement("dd");
      dd.textContent = description;
      return [dt, dd];
    }),
  );
  if (!dialog.open) dialog.showModal();
}
document.querySelector("#shortcuts .close").addEventListener("click", () => document.getElementById("shortcuts").close());

// The 3-D view (surface3d.js, loaded when first shown) takes the plot's place.
const view3dButton = document.getElementById("view-toggle");
let surface3d = null;
function shown3d() {
  return view3dButton.ariaPressed === "true";
}
function show3d(on) {
  document.getElementById("view3d").hidden = !on;
  document.getElementById("plot-container").hidden = on;
  view3dButton.ariaPressed = on;
  writeURL();
  if (!on) return;
  import("./surface3d.js").then(({ Surface3D }) => {
    surface3d ??= new Surface3D(document.getElementById("view3d"), { runs: () => state.runs, query: () => plotQuery() });
    surface3d.changed();
  });
}
view3dButton.addEventListener("click", () => show3d(!shown3d()));
if (new URLSearchParams(window.location.search).get("view3d") === "1") show3d(true);

// The page's parts, for the console and the browser tests; nothing in the
// page reads this.
const exporter = new Export({ plot: () => plot, runs: () => state.runs, request: () => state.request });
window.saddlepoint = { state, timeline, chart, keyboard, exporter, stream, theme, presenter, plot: () => plot, view3d: () => surface3d };

const speed = speedFromURL(window.location.search);
if (speed !== null) timeline.setSpeed(speed);
bindPlot();
run({ keepMessage: true });
