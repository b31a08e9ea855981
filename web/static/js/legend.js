// The legend: one row per run with its colour and dash pattern, and its
// steps, loss and point at the timeline's iterate; once the timeline has
// passed a run's end, why it stopped. Choosing a row's name shows that run
// in the inspector.

import { svgElement } from "./dom.js";
import { formatNumber, formatVector } from "./format.js";

export class Legend {
  // onPick(i) hears that the reader chose run i's row.
  constructor(table, { onPick = () => {} } = {}) {
    this.body = table.querySelector("tbody");
    this.onPick = onPick;
  }

  // reset prepares a row per run, or with a cloud of starts a row per
  // optimizer summarising its runs.
  reset(runs, cloud = 0) {
    const heads = runs.filter((_, i) => !cloud || i % cloud === 0);
    this.rows = heads.map((run, i) => {
      const row = document.createElement("tr");
      row.className = `c${run.colour}`;
      row.dataset.optimizer = run.name;
      const name = document.createElement("th");
      name.scope = "row";
      const swatch = lineSwatch();
      if (cloud) {
        name.append(swatch, run.title);
      } else {
        const pick = document.createElement("button");
        pick.type = "button";
        pick.className = "pick-run";
        pick.title = "Show this run in the inspector";
        pick.setAttribute("aria-pressed", "false");
        pick.append(swatch, run.title);
        pick.addEventListener("click", () => this.onPick(i));
        name.append(pick);
      }
      const cells = [name];
      for (const cls of ["steps", "loss", "point", "status"]) {
        const td = document.createElement("td");
        td.className = cls;
        cells.push(td);
      }
      row.append(...cells);
      return row;
    });
    this.body.replaceChildren(...this.rows);
    this.highlighted = undefined;
  }

  // update shows the state of run i after n points have been drawn, and
  // its final status once known and drawn.
  update(i, path, loss, n, status) {
    const row = this.rows?.[i];
    if (!row || n === 0) return;
    row.querySelector(".steps").textContent = String(n - 1);
    row.querySelector(".loss").textContent = formatNumber(loss[n - 1]);
    row.querySelector(".point").textContent = formatVector(path[n - 1]);
    const cell = row.querySelector(".status");
    cell.textContent = status ? status.replace("_", " ") : "running";
    cell.dataset.status = status || "running";
  }

  // highlight marks the row of the run the inspector shows (null for none).
  highlight(i) {
    if (i === this.highlighted) return;
    this.highlighted = i;
    this.rows?.forEach((row, j) => {
      row.classList.toggle("inspected", j === i);
      row.querySelector(".pick-run")?.setAttribute("aria-pressed", String(j === i));
    });
  }

  // summarise fills each optimizer's row of a cloud: how many of its runs
  // the timeline has finished, their median steps and final loss, and how
  // they ended.
  summarise(runs, cloud) {
    this.rows.forEach((row, g) => {
      const group = runs.slice(g * cloud, (g + 1) * cloud);
      const done = group.filter((r) => r.status !== null && r.drawn === r.path.length);
      const ended = done.filter((r) => r.path.length > 0); // a start may diverge at once
      const median = (values) => {
        const v = [...values].sort((a, b) => a - b);
        return v.length ? v[Math.floor((v.length - 1) / 2)] : NaN;
      };
      row.querySelector(".steps").textContent = ended.length ? String(median(ended.map((r) => r.path.length - 1))) : "";
      row.querySelector(".loss").textContent = ended.length ? formatNumber(median(ended.map((r) => r.loss[r.loss.length - 1]))) : "";
      row.querySelector(".point").textContent = `${done.length} of ${cloud} runs`;
      const counts = {};
      for (const r of done) counts[r.status] = (counts[r.status] ?? 0) + 1;
      const cell = row.querySelector(".status");
      cell.textContent = Object.entries(counts)
        .map(([status, n]) => `${n} ${status.replace("_", " ")}`)
        .join(", ");
      cell.dataset.status = done.length === cloud ? "cloud" : "running";
    });
  }
}

// lineSwatch is a run's line in little, coloured and dashed by the cN class
// of its row, as the page's own swatches are (page.templ).
function lineSwatch() {
  const svg = svgElement("svg", { class: "swatch", viewBox: "0 0 28 8", "aria-hidden": "true" });
  svg.append(svgElement("line", { x1: "3", y1: "4", x2: "25", y2: "4" }));
  return svg;
}
