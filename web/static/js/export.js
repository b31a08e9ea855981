// Export: the plot as SVG or PNG, the runs as CSV or JSON, and a link to the
// server's animated GIF of the page's state.

import { SVG_NS, svgElement, svgNumber } from "./dom.js";

// Properties copied from the computed style onto each element of an
// exported SVG, so that it looks the same without the page's stylesheet.
const STYLED = ["fill", "stroke", "stroke-width", "stroke-dasharray", "stroke-linecap", "stroke-linejoin",
  "opacity", "font-family", "font-size", "font-style", "font-weight", "text-anchor", "visibility"];

export class Export {
  // plot() returns the current Plot; runs() the runs with their paths;
  // request() the request that made them.
  constructor({ plot, runs, request }) {
    this.plot = plot;
    this.runs = runs;
    this.request = request;
    const on = (id, f) => document.getElementById(id).addEventListener("click", f);
    on("export-svg", () => download(this.svg(), "image/svg+xml", this.name("svg")));
    on("export-png", async () => download(await this.png(), "image/png", this.name("png")));
    on("export-csv", () => download(this.csv(), "text/csv", this.name("csv")));
    on("export-json", () => download(this.json(), "application/json", this.name("json")));
  }

  name(ext) {
    return `saddlepoint-${this.plot().surface}.${ext}`;
  }

  // gifHref is the URL of the server's animated GIF of a page URL.
  static gifHref(pageURL) {
    const u = new URL(pageURL, window.location.href);
    return `/api/animation.gif${u.search}`;
  }

  // svg returns the plot as a standalone SVG document with its styles
  // inlined: the server's plot, and over it the runs as the page shows
  // them, each path and running average a polyline where the page draws
  // it on a canvas, under the marks.
  svg() {
    const plot = this.plot();
    const source = plot.svg;
    const copy = styledCopy(source);
    const marks = styledCopy(plot.marksZoom);
    const drawn = new Map(plot.shownLines().map(({ hook, points }) => [hook, points]));
    const from = plot.marksZoom.querySelectorAll("*");
    marks.querySelectorAll("*").forEach((el, i) => {
      const points = drawn.get(from[i]);
      if (!points) return;
      const line = svgElement("polyline");
      for (const { name, value } of el.attributes) line.setAttribute(name, value);
      line.setAttribute("points", points.map(([x, y]) => `${svgNumber(x)},${svgNumber(y)}`).join(" "));
      el.replaceWith(line);
    });
    copy.querySelector(".view").append(marks);
    copy.setAttribute("xmlns", SVG_NS);
    const [, , w, h] = source.getAttribute("viewBox").split(" ").map(Number);
    copy.setAttribute("width", String(w));
    copy.setAttribute("height", String(h));
    // The page's paper, so that the dark theme's light ticks stay legible.
    const paper = getComputedStyle(document.documentElement).getPropertyValue("--paper").trim() || "#ffffff";
    const background = svgElement("rect", { x: 0, y: 0, width: w, height: h, fill: paper });
    copy.prepend(background);
    return new XMLSerializer().serializeToString(copy);
  }

  // png draws the SVG on a canvas at twice its size, for slides.
  async png() {
    const svg = this.svg();
    const image = new Image();
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.width * 2;
    canvas.height = image.height * 2;
    canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
    return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  }

  // csv lists every iterate of every run: run, optimizer, k, x, y, loss.
  csv() {
    const lines = ["run,optimizer,k,x,y,loss"];
    this.runs().forEach((run, i) => {
      run.path.forEach(([x, y], k) => lines.push(`${i},${run.name},${k},${x},${y},${run.loss[k]}`));
    });
    return lines.join("\n") + "\n";
  }

  // json gives the request and every run with its path, loss and status.
  json() {
    const runs = this.runs().map((r) => ({ name: r.name, status: r.status, path: r.path, loss: r.loss }));
    return JSON.stringify({ request: this.request(), runs }, null, 1);
  }
}

// styledCopy copies an element of the page with its descendants, each with
// its computed style inlined.
function styledCopy(source) {
  const copy = source.cloneNode(true);
  const from = [source, ...source.querySelectorAll("*")];
  const to = [copy, ...copy.querySelectorAll("*")];
  from.forEach((el, i) => {
    const style = getComputedStyle(el);
    to[i].setAttribute("style", STYLED.map((p) => `${p}:${style.getPropertyValue(p)}`).join(";"));
  });
  return copy;
}

function download(content, type, filename) {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
