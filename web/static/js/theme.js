// The light and the dark theme. The stylesheet reads <html data-theme>;
// this module sets it from, in order, the page's URL (theme=dark|light, so
// a shared link keeps its look), the reader's last choice (localStorage),
// and the system's preference, which it then follows as it changes. The
// header's toggle (aria-pressed while dark) records a choice in both.

import { setDisplayParam } from "./display.js";

const STORAGE_KEY = "saddlepoint-theme";
const THEMES = ["light", "dark"];
const systemDark = window.matchMedia("(prefers-color-scheme: dark)");

export class Theme {
  // button is the header's toggle; onChange(theme) hears every change, for
  // what the stylesheet cannot redraw (the loss chart's canvas).
  constructor(button, { onChange = () => {} } = {}) {
    this.button = button;
    this.onChange = onChange;
    this.chosen = chosenTheme();
    this.apply();
    button?.addEventListener("click", () => this.set(this.current === "dark" ? "light" : "dark"));
    systemDark.addEventListener("change", () => {
      if (!this.chosen) this.apply();
    });
  }

  // current is the theme shown: "light" or "dark".
  get current() {
    return this.chosen ?? (systemDark.matches ? "dark" : "light");
  }

  // set shows theme and records it as the reader's choice.
  set(theme) {
    if (!THEMES.includes(theme)) throw new Error(`theme: expected light or dark, got ${theme}`);
    this.chosen = theme;
    setDisplayParam("theme", theme);
    try {
      localStorage.setItem(STORAGE_KEY, theme);
    } catch {
      // Storage may be off (a sandboxed frame, a private window); the URL
      // still holds the choice.
    }
    this.apply();
  }

  apply() {
    const theme = this.current;
    const changed = document.documentElement.dataset.theme !== theme;
    document.documentElement.dataset.theme = theme;
    this.button?.setAttribute("aria-pressed", String(theme === "dark"));
    if (changed) this.onChange(theme);
  }
}

// chosenTheme is the theme the URL or the reader's last visit asks for, or
// null to follow the system.
function chosenTheme() {
  const fromURL = new URLSearchParams(window.location.search).get("theme");
  if (THEMES.includes(fromURL)) return fromURL;
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (THEMES.includes(stored)) return stored;
  } catch {
    // No storage: follow the system.
  }
  return null;
}
