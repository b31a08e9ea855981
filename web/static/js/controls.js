// The control panel: reads the form into a run request, shows the server's
// errors beside the field they name, and keeps the surface's text current.

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
  }

  get surface() {
    return this.surfaceSelect.value;
  }

  surfaceInfo(name = this.surface) {
    return this.data.surfaces.find((s) => s.name === name);
  }

  // selected lists the ticked optimizers' elements, in display order.
  selected() {
    return [...this.form.querySelectorAll(".optimizer")].filter(
      (el) => el.querySelector('input[name="optimizer"]').checked,
    );
  }

  colourOf(name) {
    return this.data.optimizers.findIndex((o) => o.name === name);
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
        entry[input.dataset.param] = readParam(input);
      }
      return entry;
    });
    return {
      surface: this.surface,
      start: this.start(),
      steps: this.steps.value === "" ? null : Number(this.steps.value),
      optimizers,
    };
  }

  // showSurface updates the formula and description for the chosen surface.
  showSurface() {
    const info = this.surfaceInfo();
    this.form.querySelector("#formula").textContent = `f(x, y) = ${info.formula}`;
    this.form.querySelector("#about").textContent = info.about;
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

  showConnection(state) {
    const words = { open: "", connecting: "Connecting to the server…", closed: "Connection lost; reconnecting…" };
    this.connection.textContent = words[state] ?? "";
    this.connection.dataset.state = state;
  }
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
      return input.value === "" ? null : Number(input.value);
  }
}

// fieldOf finds the input that an error message's leading field names.
function fieldOf(message, request, form) {
  const m = /^([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_0-9]+))?:/.exec(message);
  if (!m) return null;
  const [, top, index, sub] = m;
  if (top === "steps") return form.querySelector("#steps");
  if (top === "start") return form.querySelector(index === "1" ? "#start-y" : "#start-x");
  if (top === "surface") return form.querySelector("#surface");
  if (top === "optimizers" && index !== undefined && sub && request) {
    const name = request.optimizers[Number(index)]?.name;
    return form.querySelector(`#param-${name}-${sub}`);
  }
  return null;
}
