// Keyboard shortcuts: a small table of keys, what they do and a description
// of each, for a list of shortcuts to show. Keys typed into a field, and
// keys a focused control handles itself (space on a button, arrows on a
// slider), are left alone, as are keys held with Ctrl, Alt or Meta.

// TEXT_INPUTS are the input types that take typing.
const TEXT_INPUTS = new Set(["text", "number", "search", "email", "url", "tel", "password", "date", "time", "datetime-local", "month", "week"]);
// Keys that activate a focused button, checkbox or disclosure.
const ACTIVATING = new Set([" ", "Enter"]);
// Keys that move a focused slider.
const SLIDING = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"]);

export class Keyboard {
  constructor(target = document) {
    this.shortcuts = [];
    target.addEventListener("keydown", (event) => this.handle(event));
  }

  // bind runs action(event) when one of keys (KeyboardEvent.key values,
  // such as " ", "ArrowLeft" or "r") is pressed. label names the keys and
  // description says what they do, for a list of shortcuts.
  bind(keys, label, description, action) {
    this.shortcuts.push({ keys, label, description, action });
  }

  // list returns every shortcut's label and description, in the order bound.
  list() {
    return this.shortcuts.map(({ label, description }) => ({ label, description }));
  }

  handle(event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
    if (ownsKey(event.target, event.key)) return;
    const shortcut = this.shortcuts.find((s) => s.keys.includes(event.key));
    if (!shortcut) return;
    event.preventDefault();
    shortcut.action(event);
  }
}

// ownsKey reports whether the element handles key itself.
function ownsKey(el, key) {
  if (!(el instanceof Element)) return false;
  if (el.isContentEditable || el.closest("textarea, select, [contenteditable]")) return true;
  if (el instanceof HTMLInputElement) {
    if (TEXT_INPUTS.has(el.type)) return true;
    if (el.type === "range") return SLIDING.has(key);
    return ACTIVATING.has(key); // checkboxes, radios, buttons
  }
  if (el.closest("button, summary, a[href]")) return ACTIVATING.has(key);
  return false;
}
