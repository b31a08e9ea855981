// Number formatting shared by the legend, the inspector, the chart and the
// 3-D view.

// formatNumber writes v with five significant digits, switching to
// scientific notation for very large or small magnitudes, with a true minus.
export function formatNumber(v) {
  if (v === 0) return "0";
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  const s = a >= 1e4 || a < 1e-3 ? v.toExponential(3) : v.toPrecision(5);
  return trueMinus(s);
}

// trueMinus writes a number's text with a true minus sign (−) for each
// hyphen.
export function trueMinus(text) {
  return text.replace(/-/g, "−");
}

// formatVector writes a pair as (x, y).
export function formatVector([x, y]) {
  return `(${formatNumber(x)}, ${formatNumber(y)})`;
}
