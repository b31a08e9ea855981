// The control panel: reads the form into a run request, shows the server's
// errors beside the field they name, and keeps the surface's text current.

// Knobs that matter only for some values of another: a parameter listed here
// is shown only while its optimizer's `on` parameter has one of `values`.
const DEPENDS_ON = {
  lr_final: { on: "schedule", values: ["linear", "cosine"] },
  decay_steps: { on: "schedule", values: ["linear", "cosine"] },
  gamma: { on: "schedule", values: ["exponential", "step"] },
  step_size: { on: "schedule", values: ["step"] },
  average_decay: { on: "average", values: ["exponential"] },
};
// seed matters only while noise is on.
const NOISE_SEED = { input: "seed", on: "noise" };

export class Controls {
  constructor(form, data) {
    this.form = form;
    this.data = data;
    this.surfaceSelect = form.querySelector("#surface");
    this.startX = form.querySelector("#start-x");
    this.startY = form.querySelector("#start-y");
    this.steps = form.querySelector("#steps");
    this.error = form.querySelector("#error");
    this.connection = form.querySelector("#connection");
    this.view = null; // a zoomed view of a catalogue surface; null: its own
    for (const el of form.querySelectorAll(".optimizer")) {
      showRelevantKnobs(el);
      el.addEventListener("change", () => showRelevantKnobs(el));
    }
    this.recolour();
  }

  get surface() {
    return this.surfaceSelect.value;
  }

  // surfaceSpec names the chosen surface as the API does: its name, and the
  // typed function and its view for a custom surface, or normalize for the
  // least-squares problem.
  surfaceSpec() {
    const spec = { surface: this.surface };
    if (spec.surface === "custom") {
      spec.expr = this.form.querySelector("#expr").value;
      spec.view = ["#view-xmin", "#view-xmax", "#view-ymin", "#view-ymax"].map((id) =>
        readNumber(this.form.querySelector(id)),
      );
    }
    if (spec.surface === "least-squares" && this.form.querySelector("#normalize").checked) spec.normalize = true;
    if (spec.surface !== "custom" && this.view) spec.view = this.view;
    return spec;
  }

  // setView records the view shown, which runs and surveys then use: a
  // custom surface's view boxes, or another surface's zoomed view (null
  // for its own).
  setView(view) {
    if (this.surface !== "custom") this.view = view;
    else if (view) ["#view-xmin", "#view-xmax", "#view-ymin", "#view-ymax"].forEach((id, i) => (this.form.querySelector(id).value = String(view[i])));
  }

  // showSurfaceControls shows the expression box for a custom surface and
  // the normalize switch for least squares.
  showSurfaceControls() {
    this.form.querySelector("#custom-surface").hidden = this.surface !== "custom";
    this.form.querySelector("#normalize-control").hidden = this.surface !== "least-squares";
    for (const el of this.form.querySelectorAll(".optimizer")) showRelevantKnobs(el);
  }

  // selected lists the ticked optimizers' elements, in display order.
  selected() {
    return [...this.form.querySelectorAll(".optimizer")].filter(
      (el) => el.querySelector('input[name="optimizer"]').checked,
    );
  }

  // recolour gives the ticked optimizers the colours their runs will have:
  // the palette in order, as the runs of a request are coloured.
  recolour() {
    for (const el of this.form.querySelectorAll(".optimizer")) {
      el.classList.remove(...[...el.classList].filter((c) => /^c\d+$/.test(c)));
    }
    this.selected().forEach((el, i) => el.classList.add(`c${i}`));
  }

  start() {
    return [Number(this.startX.value), Number(this.startY.value)];
  }

  setStart([x, y]) {
    this.startX.value = String(x);
    this.startY.value = String(y);
  }

  // request builds the run request from the form. Numbers the user left
  // unreadable go to the server as null, which answers with a message.
  request() {
    const optimizers = this.selected().map((el) => {
      const entry = { name: el.dataset.optimizer };
      for (const input of el.querySelectorAll("[data-param]")) {
        // Minibatches exist only where the loss is made of examples.
        if (input.dataset.param === "batch" && this.surface !== "least-squares") continue;
        entry[input.dataset.param] = readParam(input);
      }
      const stages = Number(el.querySelector('[data-continuation="stages"]').value);
      if (stages > 0) {
        entry.continuation = { sigma0: readNumber(el.querySelector('[data-continuation="sigma0"]')), stages };
      }
      return entry;
    });
    const request = {
      ...this.surfaceSpec(),
      start: this.start(),
      steps: this.steps.value === "" ? null : Number(this.steps.value),
      optimizers,
    };
    const n = Number(this.form.querySelector("#cloud-n").value);
    if (n > 0) {
      request.starts = {
        n,
        distribution: this.form.querySelector("#cloud-distribution").value,
        scale: readNumber(this.form.querySelector("#cloud-scale")),
        seed: readNumber(this.form.querySelector("#cloud-seed")),
      };
    }
    return request;
  }

  // showSurface shows the formula and description of the plotted surface.
  showSurface(plot) {
    this.form.querySelector("#formula").textContent = `f(x, y) = ${plot.svg.dataset.formula}`;
    this.form.querySelector("#about").textContent = plot.svg.dataset.about;
  }

  showExpressionError(message) {
    const box = this.form.querySelector("#expr");
    this.form.querySelector("#expr-error").textContent = message;
    if (message) box.setAttribute("aria-invalid", "true");
    else box.removeAttribute("aria-invalid");
  }

  // showError displays the server's message and marks the field it names,
  // such as "optimizers[1].lr: must be between 0 and 100, got 200".
  showError(message, request) {
    this.clearError();
    this.error.textContent = message;
    const field = fieldOf(message, request, this.form);
    if (field) {
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-errormessage", "error");
    }
  }

  clearError() {
    this.error.textContent = "";
    for (const el of this.form.querySelectorAll('[aria-invalid="true"]')) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-errormessage");
    }
  }

  // showConnection says how the stream is: a line under the Run button, and
  // a banner across the page while a lost connection is being restored.
  showConnection(state) {
    const words = { open: "", connecting: "Connecting to the server…", closed: "Connection lost; reconnecting…" };
    this.connection.textContent = words[state] ?? "";
    this.connection.dataset.state = state;
    const banner = document.getElementById("banner");
    if (state === "closed") banner.hidden = false;
    if (state === "open") banner.hidden = true;
  }
}

// showRelevantKnobs hides the knobs of an optimizer that its current
// schedule and averaging choices do not use.
function showRelevantKnobs(el) {
  for (const [name, { on, values }] of Object.entries(DEPENDS_ON)) {
    const input = el.querySelector(`[data-param="${name}"]`);
    const chooser = el.querySelector(`[data-param="${on}"]`);
    if (input && chooser) input.closest("label").hidden = !values.includes(chooser.value);
  }
  const seed = el.querySelector(`[data-param="${NOISE_SEED.input}"]`);
  const noise = el.querySelector(`[data-param="${NOISE_SEED.on}"]`);
  const batch = el.querySelector('[data-param="batch"]');
  const examples = el.closest("form").querySelector("#surface").value === "least-squares";
  if (batch) batch.closest("label").hidden = !examples;
  if (seed && noise) seed.closest("label").hidden = !(Number(noise.value) > 0 || (examples && Number(batch?.value) > 0));
}

// readParam reads a parameter input as the API wants it: a boolean for a
// checkbox, a string for a menu, else a number (null when unreadable, which
// the server answers with a message naming the field).
function readParam(input) {
  switch (input.dataset.kind) {
    case "boolean":
      return input.checked;
    case "choice":
      return input.value;
    default:
      return readNumber(input);
  }
}

function readNumber(input) {
  return input.value === "" ? null : Number(input.value);
}

// fieldOf finds the input that an error message's leading field names.
function fieldOf(message, request, form) {
  const m = /^([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_0-9]+))?:/.exec(message);
  if (!m) return null;
  const [, top, index, sub] = m;
  if (top === "steps") return form.querySelector("#steps");
  if (top === "start") return form.querySelector(index === "1" ? "#start-y" : "#start-x");
  if (top === "surface") return form.querySelector("#surface");
  if (top === "expr") return form.querySelector("#expr");
  if (top === "view") return form.querySelector("#view-xmin");
  if (top === "starts") return form.querySelector(`#cloud-${sub === "distribution" || sub === "scale" || sub === "seed" ? sub : "n"}`);
  if (top === "optimizers" && index !== undefined && sub && request) {
    const name = request.optimizers[Number(index)]?.name;
    return form.querySelector(`#param-${name}-${sub}`);
  }
  return null;
}
