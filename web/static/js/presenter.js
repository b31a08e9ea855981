// Presenter mode, for a lecture hall: large type, thick lines and high
// contrast, with the control panel hidden so that the plot, the playback
// bar, the loss chart and the legend fill the screen. The stylesheet reads
// <html data-presenter>; this module switches it from the header's toggle
// or the P key and keeps it in the URL (presenter=1), which the server
// also reads so that a presenter link opens without a flash of controls.

import { setDisplayParam } from "./display.js";

export class Presenter {
  // button is the header's toggle; onChange(on) hears every switch, for what
  // the stylesheet cannot redraw (the loss chart's canvas).
  constructor(button, { onChange = () => {} } = {}) {
    this.button = button;
    this.onChange = onChange;
    const on = new URLSearchParams(window.location.search).get("presenter") === "1";
    this.show(on);
    button?.addEventListener("click", () => this.toggle());
  }

  get on() {
    return document.documentElement.hasAttribute("data-presenter");
  }

  // toggle switches presenter mode, except in a frame (embed=1), which
  // shows the plot alone already.
  toggle() {
    if (document.documentElement.hasAttribute("data-embed")) return;
    const on = !this.on;
    setDisplayParam("presenter", on ? "1" : null);
    this.show(on);
    this.onChange(on);
  }

  show(on) {
    document.documentElement.toggleAttribute("data-presenter", on);
    this.button?.setAttribute("aria-pressed", String(on));
  }
}
