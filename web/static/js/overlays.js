// The plot's overlays: the gradient field, the contour labels, the velocity
// arrows, the line-search probes, the Polyak averages and the minima. Each
// has a checkbox under the plot; the plot's container lists those shown in
// its data-overlays and the stylesheet hides the rest, so a toggle redraws
// and reruns nothing, and holds across new plots.

export class Overlays {
  // fieldset holds the checkboxes (name="overlay", value the overlay's
  // name, data-default whether a page shows it unless its URL says
  // otherwise); container is the plot's; onChange() follows each toggle.
  constructor(fieldset, container, onChange) {
    this.boxes = [...fieldset.querySelectorAll('input[name="overlay"]')];
    this.container = container;
    fieldset.addEventListener("change", () => {
      this.apply();
      onChange();
    });
  }

  // shown names the overlays shown, in the checkboxes' order.
  get shown() {
    return this.boxes.filter((b) => b.checked).map((b) => b.value);
  }

  // param is the URL's overlays= value, "grad,labels" or "" for none, or
  // undefined while exactly the default overlays are shown.
  get param() {
    const defaults = this.boxes.filter((b) => b.dataset.default === "true").map((b) => b.value);
    const shown = this.shown;
    return shown.join(",") === defaults.join(",") ? undefined : shown.join(",");
  }

  // setParam shows the overlays of a URL's overlays= value, or the
  // defaults for undefined.
  setParam(param) {
    for (const b of this.boxes) {
      b.checked = param === undefined ? b.dataset.default === "true" : param.split(",").includes(b.value);
    }
    this.apply();
  }

  apply() {
    this.container.dataset.overlays = this.shown.join(" ");
  }
}
