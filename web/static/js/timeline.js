// The timeline: one clock for every run on the page.
//
// k is the iterate shown. Iterate 0 is the start, so a run is drawn through
// iterate min(k, its last), with min(k + 1, its length) points: a run that
// ended earlier stays complete. While playing, k advances at `speed`
// iterates per second; it waits at the last iterate received while the
// server is still streaming, and playback ends once every run is complete
// and k has reached the longest run's last iterate.

// The speed control's range, in iterates per second.
export const MIN_SPEED = 1;
export const MAX_SPEED = 10000;
// AUTO_SECONDS is about how long a run plays at the automatic speed, which
// suits the run's length: 200 steps at 67 a second, 600 at 200.
const AUTO_SECONDS = 3;
// MAX_TICK_SECONDS caps the time one frame may advance the clock, so a
// page coming back from a background tab does not leap to the end.
const MAX_TICK_SECONDS = 0.25;

export class Timeline {
  // onChange() hears every change made through the methods below (not the
  // clock's ticks), so the page can draw it.
  constructor(onChange = () => {}) {
    this.onChange = onChange;
    this.k = 0;
    this.pos = 0; // k with its fraction, so slow speeds still advance
    this.end = 0; // the longest run's last iterate received
    this.complete = false; // whether every run is done
    this.state = "paused"; // "playing", "paused" (by the user) or "ended"
    this.steps = 200; // the runs' step limit, which sets the automatic speed
    this.auto = true;
    this.speed = autoSpeed(this.steps);
    this.last = null; // the time of the previous tick, in ms
    this.skipping = false; // whether to show the runs whole once complete
  }

  get playing() {
    return this.state === "playing";
  }

  // reset starts the timeline of new runs of at most steps steps, playing
  // from iterate 0; or, for a reader who asks for reduced motion (skipToEnd),
  // showing them whole once they are complete.
  reset(steps, { skipToEnd = false } = {}) {
    this.steps = steps ?? this.steps;
    if (this.auto) this.speed = autoSpeed(this.steps);
    this.end = 0;
    this.complete = false;
    this.skipping = skipToEnd;
    this.moveTo(0);
    if (skipToEnd) {
      this.state = "paused";
      this.onChange();
    } else {
      this.run();
    }
  }

  // extend records how far the runs reach: end is the longest run's last
  // iterate received and complete whether every run is done.
  extend(end, complete) {
    this.end = Math.max(0, end);
    this.complete = complete;
    if (this.skipping && complete) {
      this.skipping = false;
      this.moveTo(this.end);
      this.state = "ended";
    }
    this.checkEnded();
    this.onChange();
  }

  // play plays from k, or from the start once playback has ended.
  play() {
    if (this.atEnd()) this.moveTo(0);
    this.run();
  }

  pause() {
    if (this.playing) this.state = "paused";
    this.onChange();
  }

  toggle() {
    if (this.playing) this.pause();
    else this.play();
  }

  // step moves d iterates (back when negative) and pauses.
  step(d) {
    this.seek(this.k + d);
  }

  // seek shows iterate k and pauses.
  seek(k) {
    this.skipping = false;
    this.state = "paused";
    this.moveTo(k);
    this.onChange();
  }

  // restart goes back to iterate 0. It plays from there unless the user
  // had paused, so a finished run replays and a paused one rewinds.
  restart() {
    this.moveTo(0);
    if (this.state === "paused") this.onChange();
    else this.run();
  }

  // setSpeed fixes the speed in iterates per second.
  setSpeed(speed) {
    if (!Number.isFinite(speed)) return;
    this.auto = false;
    this.speed = Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
    this.onChange();
  }

  // setAuto returns to the speed that plays the runs in a few seconds.
  setAuto() {
    this.auto = true;
    this.speed = autoSpeed(this.steps);
    this.onChange();
  }

  // tick advances the clock to time now (ms, as requestAnimationFrame
  // gives it) while playing.
  tick(now) {
    if (!this.playing) return;
    const dt = this.last === null ? 0 : Math.min(MAX_TICK_SECONDS, Math.max(0, (now - this.last) / 1000));
    this.last = now;
    this.pos = Math.min(this.end, this.pos + this.speed * dt);
    this.k = Math.floor(this.pos);
    this.checkEnded();
  }

  run() {
    this.skipping = false;
    this.state = "playing";
    this.last = null;
    this.checkEnded();
    this.onChange();
  }

  moveTo(k) {
    this.k = Math.max(0, Math.min(this.end, Math.round(k)));
    this.pos = this.k;
  }

  atEnd() {
    return this.complete && this.k >= this.end;
  }

  checkEnded() {
    if (this.playing && this.atEnd()) this.state = "ended";
  }
}

// autoSpeed is the speed that plays steps iterates in about AUTO_SECONDS,
// rounded to two significant digits.
function autoSpeed(steps) {
  return niceSpeed(steps / AUTO_SECONDS);
}

// niceSpeed rounds a speed to two significant digits within the range.
export function niceSpeed(speed) {
  const s = Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
  return Number(s.toPrecision(2));
}
