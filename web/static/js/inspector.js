// The step inspector: everything known about one iterate of one run — the
// point, the loss, the gradient, the step taken and the optimizer's own
// state from the run's trace.

import { setAttribute, setText } from "./dom.js";
import { formatNumber, formatVector } from "./format.js";

// Rows of the optimizer state, in the order shown, with their labels.
const STATE_ROWS = [
  ["lr", "learning rate ε", (v) => formatNumber(v)],
  ["velocity", "velocity v", formatVector],
  ["first_moment", "first moment s", formatVector],
  ["second_moment", "second moment r", formatVector],
  ["effective_lr", "effective step size", formatVector],
  ["direction", "search direction", formatVector],
  ["beta", "conjugacy β", (v) => formatNumber(v)],
  ["hessian", "Hessian H", formatSymmetric],
  ["eigenvalues", "eigenvalues of H", formatVector],
  ["eigenvectors", "eigenvectors of H", (vs) => vs.map(formatVector).join(" ")],
  ["inverse_hessian", "inverse Hessian estimate", formatSymmetric],
];

function formatSymmetric(h) {
  const [a, b, d] = [h.xx ?? h.XX, h.xy ?? h.XY, h.yy ?? h.YY];
  return `[${formatNumber(a)} ${formatNumber(b)}; ${formatNumber(b)} ${formatNumber(d)}]`;
}

export class Inspector {
  // onUnpin() hears the reader let go of a pinned iterate.
  constructor(panel, { onUnpin = () => {} } = {}) {
    this.panel = panel;
    this.title = panel.querySelector(".inspector-title");
    this.mode = panel.querySelector(".inspector-mode");
    this.unpin = panel.querySelector(".unpin");
    this.list = panel.querySelector("dl");
    this.shownRun = null;
    this.unpin.addEventListener("click", () => onUnpin());
  }

  clear() {
    if (this.panel.hidden && this.shownRun === null) return;
    this.panel.hidden = true;
    this.list.replaceChildren();
    this.shownRun = null;
  }

  // show describes iterate k of run. how is "pinned" (clicked), "hover"
  // (pointed at) or "timeline" (the timeline's iterate of the run chosen in
  // the legend); only the first two are announced to screen readers, as
  // the timeline's changes many times a second while playing.
  show(run, k, how = "timeline") {
    const key = `${k}:${run.path.length}:${how}`;
    if (this.shownRun === run && this.shown === key && !this.panel.hidden) return;
    this.shownRun = run;
    this.shown = key;
    this.panel.hidden = false;
    // While the timeline plays this runs every frame: it touches only what
    // changed, so that a frame restyles and lays out little.
    setAttribute(this.panel, "class", `inspector c${run.colour}`);
    setAttribute(this.panel, "data-mode", how);
    setAttribute(this.panel, "aria-live", how === "timeline" ? "off" : "polite");
    setText(this.title, `${run.title}, iterate ${k} of ${run.path.length - 1}`);
    setText(this.mode, { pinned: "pinned", hover: "under the pointer", timeline: "at the timeline" }[how]);
    this.unpin.hidden = how !== "pinned";
    const rows = [
      ["θ", formatVector(run.path[k])],
      ["f(θ)", formatNumber(run.loss[k])],
    ];
    const t = run.trace[k];
    if (t) {
      rows.push(["∇f(θ)", formatVector(t.gradient)], ["‖∇f(θ)‖", formatNumber(Math.hypot(...t.gradient))]);
      rows.push(["step taken", t.step ? formatVector(t.step) : "none (last iterate)"]);
      for (const [key, label, format] of STATE_ROWS) {
        if (t.state && t.state[key] !== undefined) rows.push([label, format(t.state[key])]);
      }
    } else {
      rows.push(["trace", "not recorded for runs this long"]);
    }
    if (run.average.length > k) rows.push(["average", formatVector(run.average[k])]);
    const terms = this.list.querySelectorAll("dt");
    if (terms.length === rows.length && rows.every(([term], i) => terms[i].textContent === term)) {
      rows.forEach(([, value], i) => setText(terms[i].nextElementSibling, value));
      return;
    }
    this.list.replaceChildren(
      ...rows.flatMap(([term, value]) => {
        const dt = document.createElement("dt");
        dt.textContent = term;
        const dd = document.createElement("dd");
        dd.textContent = value;
        return [dt, dd];
      }),
    );
  }
}
