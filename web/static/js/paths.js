// The runs' paths and running averages, drawn on a <canvas> laid exactly
// over the plot area. While the timeline plays, a frame strokes only the
// segments added since the last one, so that a path of 10,000 iterates
// costs a frame its new segments, not its whole length (they lie over older
// segments of other runs, where runs cross, until it stops); the canvas is
// drawn afresh, each line over the one before, when the timeline stops or
// moves while stopped, a line goes back (a seek), the view or its preview
// moves, the plot is resized, or the look changes (theme, presenter mode,
// overlays). Each line takes its look from an element of the plot's SVG,
// its hook, so that the stylesheet still decides it: colour, width, dashes,
// caps, opacity and visibility. Hooks of the same classes under parents of
// the same classes look the same, so a look is read once for all of them:
// a cloud's 800 paths have 8. A translucent line (a cloud's paths, the
// averages) shows faint beads where one frame's stroke met the next while
// it plays, each joint's caps laid twice; the whole line drawn when it
// stops has none.

export class PathCanvas {
  constructor() {
    this.canvas = document.createElement("canvas");
    this.canvas.className = "paths";
    this.canvas.setAttribute("aria-hidden", "true");
    this.context = this.canvas.getContext("2d");
    this.lines = [];
    this.zoom = { k: 1, tx: 0, ty: 0 }; // the preview's transform, in SVG units
    this.area = null; // where the plot area is shown; null while it is not
    this.stale = true; // whether the canvas must be drawn afresh
    this.playing = false; // whether the timeline plays
    this.layered = false; // whether strokes lie out of the runs' order
    this.queued = false;
    this.looks = new Map(); // lineStyle of a hook's classes and its parent's
  }

  // setPlaying says whether the timeline plays, as it may change each frame.
  setPlaying(playing) {
    if (this.playing && !playing && this.layered) this.redraw();
    this.playing = playing;
  }

  // line adds a line drawn as the SVG element hook would stroke it, and
  // returns it. toSVG maps a data point to SVG units; an iterate closer
  // than gap SVG units to the last one kept is left out (see Polyline).
  line(hook, gap, toSVG) {
    const line = new Line(this, hook, new Polyline(gap, toSVG));
    this.lines.push(line);
    this.redraw();
    return line;
  }

  // clear drops every line, and the looks read for them: the next lines may
  // lie in a layer of another look (a cloud's, or not).
  clear() {
    this.lines = [];
    this.looks.clear();
    this.redraw();
  }

  // place covers the plot area, shown at area = {left, top, width, height}
  // in CSS pixels from the canvas's positioned parent (null while it is
  // not shown), which is box = [left, top, width, height] in SVG units.
  // The canvas spans whole device pixels, for sharp lines, and clips to the
  // area itself.
  place(area, [left, top, width, height]) {
    const unit = area ? area.width / width : 0; // CSS pixels per SVG unit
    if (!(unit > 0 && height > 0)) {
      this.area = null;
      return;
    }
    const dpr = window.devicePixelRatio || 1;
    const [x0, y0] = [area.left, area.top];
    const [px, py] = [Math.floor(x0 * dpr), Math.floor(y0 * dpr)];
    const [pw, ph] = [Math.ceil((x0 + area.width) * dpr) - px, Math.ceil((y0 + area.height) * dpr) - py];
    Object.assign(this.canvas.style, { left: `${px / dpr}px`, top: `${py / dpr}px`, width: `${pw / dpr}px`, height: `${ph / dpr}px` });
    if (this.canvas.width !== pw) this.canvas.width = pw;
    if (this.canvas.height !== ph) this.canvas.height = ph;
    this.area = { left, top, width, height, unit, dpr, offset: [x0 * dpr - px, y0 * dpr - py] };
    this.restyle(); // a width may depend on the window's (presenter mode's)
  }

  // preview moves what is drawn by the plot's preview transform:
  // translate(tx ty) scale(k) in SVG units; (1, 0, 0) ends it.
  preview(k, tx, ty) {
    this.zoom = { k, tx, ty };
    this.redraw();
  }

  // restyle reads every line's look again and draws the canvas afresh.
  restyle() {
    this.looks.clear();
    for (const line of this.lines) line.style = null;
    this.redraw();
  }

  // look is how the stylesheet strokes hook, read once for the hooks of its
  // classes under a parent of its parent's.
  look(hook) {
    const key = `${hook.parentNode?.getAttribute("class")}/${hook.getAttribute("class")}`;
    let style = this.looks.get(key);
    if (!style) {
      style = lineStyle(hook);
      this.looks.set(key, style);
    }
    return style;
  }

  // redraw draws the canvas afresh once the current task is done.
  redraw() {
    this.stale = true;
    this.queue();
  }

  // queue draws what changed once the current task is done, so that a
  // frame that moves every run strokes the canvas once.
  queue() {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      this.flush();
    });
  }

  // flush strokes each line's new segments while playing, or every line
  // whole when stopped, when one of them went back or the canvas is stale.
  flush() {
    if (!this.area) return;
    const ctx = this.context;
    const { left, top, width, height, unit, dpr, offset: [ox, oy] } = this.area;
    const { k, tx, ty } = this.zoom;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    let grew = false;
    let shrank = false;
    for (const l of this.lines) {
      grew ||= l.shown > l.drawn;
      shrank ||= l.shown < l.drawn;
    }
    if ((grew && !this.playing) || this.stale || shrank) {
      ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
      for (const line of this.lines) line.drawn = 0;
      this.stale = false;
      this.layered = false;
    } else {
      this.layered ||= grew;
    }
    const a = unit * dpr; // device pixels per SVG unit
    ctx.save();
    ctx.beginPath();
    ctx.rect(ox, oy, width * a, height * a);
    ctx.clip();
    ctx.setTransform(a * k, 0, 0, a * k, ox + a * (tx - left), oy + a * (ty - top));
    for (const line of this.lines) {
      if (line.shown > line.drawn) line.stroke(ctx, unit * k);
    }
    ctx.restore();
  }
}

// Line is one path or running average on a PathCanvas: the first shown
// iterates of its points are to be drawn, and the first drawn are.
class Line {
  constructor(canvas, hook, polyline) {
    this.canvas = canvas;
    this.hook = hook;
    this.polyline = polyline;
    this.shown = 0;
    this.drawn = 0;
    this.style = null; // read from the hook when next drawn
  }

  // show draws the first n of points (which may grow between calls, and
  // only grow) once the current task is done.
  show(points, n) {
    this.polyline.extend(points, n);
    this.shown = n;
    this.canvas.queue();
  }

  // points is what the canvas holds of the line: the SVG coordinates of
  // the polyline through its first drawn iterates.
  points() {
    return this.polyline.slice(this.drawn);
  }

  // shownPoints is the polyline through its first shown iterates: what the
  // canvas draws next, and has drawn unless the plot is hidden (the 3-D
  // view).
  shownPoints() {
    return this.polyline.slice(this.shown);
  }

  // stroke draws the line from its drawn iterates to its shown ones, with
  // its dashes carrying on from where the last stroke left them; unit is
  // CSS pixels per SVG unit, in which widths and dashes are given.
  stroke(ctx, unit) {
    const p = this.polyline;
    const style = (this.style ??= this.canvas.look(this.hook));
    const from = Math.max(p.kept(this.drawn) - 1, 0);
    const to = p.kept(this.shown);
    const tail = p.tail(this.shown);
    this.drawn = this.shown;
    if (!style.visible || to - from + (tail ? 1 : 0) < 2) return;
    ctx.beginPath();
    ctx.moveTo(p.xs[from], p.ys[from]);
    for (let j = from + 1; j < to; j++) ctx.lineTo(p.xs[j], p.ys[j]);
    if (tail) ctx.lineTo(tail[0], tail[1]);
    ctx.strokeStyle = style.colour;
    ctx.globalAlpha = style.alpha;
    ctx.lineWidth = style.width / unit;
    ctx.lineCap = style.cap;
    ctx.lineJoin = style.join;
    ctx.miterLimit = style.miterLimit;
    ctx.setLineDash(style.dash.map((d) => d / unit));
    ctx.lineDashOffset = p.lengths[from];
    ctx.stroke();
  }
}

// lineStyle reads how the stylesheet would stroke an SVG line in hook's
// place; lengths are in CSS pixels.
function lineStyle(hook) {
  const css = getComputedStyle(hook);
  const px = (v) => parseFloat(v) || 0;
  return {
    colour: css.stroke,
    width: px(css.strokeWidth),
    dash: css.strokeDasharray === "none" ? [] : css.strokeDasharray.split(/[\s,]+/).map(px),
    alpha: Number(css.opacity),
    cap: css.strokeLinecap,
    join: css.strokeLinejoin,
    miterLimit: Number(css.strokeMiterlimit) || 4,
    visible: css.visibility === "visible",
  };
}

// Polyline holds the SVG coordinates of a line's points, converted once as
// they arrive; the line through the first n iterates is a prefix of them,
// and the nth. With a gap, an iterate closer than gap (a unit is about a
// pixel) to the last one kept is left out, as it would not show, unless it
// is the last drawn: the line to raster stays small when a run crawls.
class Polyline {
  constructor(gap, toSVG) {
    this.gap = gap;
    this.toSVG = toSVG;
    this.points = [];
    this.xs = []; // the points kept
    this.ys = [];
    this.lengths = []; // lengths[j]: the length of the line up to point j kept
    this.ends = []; // ends[i]: how many of the first i + 1 iterates are kept
  }

  // extend converts iterates up to the nth.
  extend(points, n) {
    this.points = points;
    const { xs, ys, lengths } = this;
    while (this.ends.length < n) {
      const [x, y] = this.toSVG(points[this.ends.length]);
      const j = xs.length;
      const d = j > 0 ? Math.hypot(x - xs[j - 1], y - ys[j - 1]) : Infinity;
      if (!(d < this.gap)) {
        xs.push(x);
        ys.push(y);
        lengths.push(j > 0 ? lengths[j - 1] + d : 0);
      }
      this.ends.push(xs.length);
    }
  }

  // kept is how many of the first n iterates are kept.
  kept(n) {
    return n > 0 ? this.ends[n - 1] : 0;
  }

  // tail is the nth iterate when it is not kept, as it is drawn all the
  // same, else null.
  tail(n) {
    return n >= 2 && this.ends[n - 1] === this.ends[n - 2] ? this.toSVG(this.points[n - 1]) : null;
  }

  // slice is the line through the first n iterates, as [x, y] pairs.
  slice(n) {
    const out = [];
    for (let j = 0; j < this.kept(n); j++) out.push([this.xs[j], this.ys[j]]);
    const tail = this.tail(n);
    if (tail) out.push(tail);
    return out;
  }
}
