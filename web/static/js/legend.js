// The legend: one row per run with its colour, final loss, final point and
// why it stopped.

import { formatNumber, formatVector } from "./format.js";

export class Legend {
  constructor(table) {
    this.body = table.querySelector("tbody");
  }

  // reset prepares a row per run, or with a cloud of starts a row per
  // optimizer summarising its runs.
  reset(runs, cloud = 0) {
    const heads = runs.filter((_, i) => !cloud || i % cloud === 0);
    this.rows = heads.map((run) => {
      const row = document.createElement("tr");
      row.className = `c${run.colour}`;
      row.dataset.optimizer = run.name;
      const name = document.createElement("th");
      name.scope = "row";
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.setAttribute("aria-hidden", "true");
      name.append(swatch, run.title);
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
  }

  // update shows the state of run i after n points have been drawn.
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

  // summarise fills each optimizer's row of a cloud: how many of its runs
  // have finished, their median steps and final loss, and how they ended.
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
