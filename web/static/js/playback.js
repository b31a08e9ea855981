// The playback bar under the plot: play and pause, step back and forward,
// restart, the timeline scrubber with the iteration shown, and the speed
// on a logarithmic slider.

import { MAX_SPEED, MIN_SPEED, niceSpeed } from "./timeline.js";

const LABELS = { playing: "Pause", paused: "Play", ended: "Replay" };

export class Playback {
  // bar is the #playback element; timeline the page's Timeline.
  constructor(bar, timeline) {
    this.timeline = timeline;
    this.bar = bar;
    this.playButton = bar.querySelector("#play");
    this.scrubber = bar.querySelector("#scrubber");
    this.iteration = bar.querySelector("#iteration");
    this.speed = bar.querySelector("#speed");
    this.speedValue = bar.querySelector("#speed-value");
    this.autoButton = bar.querySelector("#speed-auto");
    this.speed.min = String(Math.log10(MIN_SPEED));
    this.speed.max = String(Math.log10(MAX_SPEED));
    this.shown = {};

    this.playButton.addEventListener("click", () => timeline.toggle());
    bar.querySelector("#restart").addEventListener("click", () => timeline.restart());
    bar.querySelector("#step-back").addEventListener("click", () => timeline.step(-1));
    bar.querySelector("#step-forward").addEventListener("click", () => timeline.step(1));
    this.scrubber.addEventListener("input", () => timeline.seek(Number(this.scrubber.value)));
    this.speed.addEventListener("input", () => timeline.setSpeed(niceSpeed(10 ** Number(this.speed.value))));
    this.autoButton.addEventListener("click", () => timeline.setAuto());
  }

  // show brings the bar up to date with the timeline, touching only what
  // changed since it was last shown.
  show() {
    const t = this.timeline;
    const now = {
      state: t.state,
      k: t.k,
      end: t.end,
      complete: t.complete,
      speed: t.speed,
      auto: t.auto,
    };
    const was = this.shown;
    if (now.state !== was.state) {
      this.playButton.dataset.state = now.state;
      this.playButton.setAttribute("aria-label", LABELS[now.state]);
      this.playButton.title = `${LABELS[now.state]} (space)`;
    }
    if (now.end !== was.end) this.scrubber.max = String(now.end);
    if (now.k !== was.k || now.end !== was.end) this.scrubber.value = String(now.k);
    if (now.k !== was.k || now.end !== was.end || now.complete !== was.complete) {
      this.iteration.textContent = `${now.k} / ${now.end}${now.complete ? "" : "…"}`;
      this.scrubber.setAttribute("aria-valuetext", `iteration ${now.k} of ${now.end}`);
    }
    if (now.speed !== was.speed || now.auto !== was.auto) {
      if (document.activeElement !== this.speed || now.auto) this.speed.value = String(Math.log10(now.speed));
      this.speedValue.textContent = `${formatSpeed(now.speed)}/s`;
      this.autoButton.setAttribute("aria-pressed", String(now.auto));
    }
    this.shown = now;
  }
}

function formatSpeed(s) {
  return s >= 10 ? String(Math.round(s)) : String(Number(s.toPrecision(2)));
}
