// The legend: one row per run with its colour, final loss, final point and
// why it stopped.

import { formatNumber, formatVector } from "./format.js";

export class Legend {
  constructor(table) {
    this.body = table.querySelector("tbody");
  }

  reset(runs) {
    this.rows = runs.map((run) => {
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
}
