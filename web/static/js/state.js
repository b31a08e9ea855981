// The page's state in its URL, so that a link reproduces a run exactly:
//   /?surface=rosenbrock&start=-1.2,1&steps=500&opt=adam(lr=0.01)&opt=momentum(lr=0.001)
//   /?surface=deep-linear&starts=100,normal,0.5,1&opt=sgd   (n,distribution,scale,seed)
//   /?surface=custom&expr=x%5E2%2B3*y%5E2&view=-3,3,-3,3&opt=adam
//   /?surface=bowl&opt=sgd&speed=20   (playback at 20 iterates a second)
//   /?surface=rosenbrock&view=0,1.5,0.25,1.75&overlays=grad,labels&opt=adam
// The server reads the same form to render the page (web/pagestate.go);
// speed and view3d are the page's own and the server passes over them.
//
// view is the window shown, xmin,xmax,ymin,ymax: a zoomed or panned view of
// any surface, and always there for a custom one, whose view is part of it.
// overlays lists the plot's overlays shown, of grad (the gradient field),
// labels (contour labels), velocity (velocity arrows), probes (line-search
// probes), averages (Polyak averages) and minima; "overlays=" shows none.
// It is left out while the defaults are shown: labels, probes, averages and
// minima, which explain a run, and not the busier field and velocities.

// stateURL returns the URL of the page showing request, listing only the
// parameters that differ from their defaults. speed is the playback speed
// in iterates per second, or undefined for the automatic one; view the view
// shown, or null for the surface's own (undefined: the request's);
// overlays the overlays= value, or undefined for the default overlays;
// view3d whether the 3-D view shows in the plot's place.
export function stateURL(request, catalogue, defaultSteps, { speed, view, overlays, view3d } = {}) {
  const parts = [`surface=${encodeURIComponent(request.surface)}`];
  if (request.expr !== undefined) parts.push(`expr=${encodeURIComponent(request.expr)}`);
  const shown = view === undefined ? request.view : view;
  if (shown) parts.push(`view=${shown.map(String).join(",")}`);
  if (request.normalize) parts.push("normalize=true");
  parts.push(`start=${request.start.map(String).join(",")}`);
  if (request.steps !== defaultSteps) parts.push(`steps=${request.steps}`);
  const c = request.starts;
  if (c) parts.push(`starts=${c.n},${c.distribution},${c.scale},${c.seed}`);
  for (const entry of request.optimizers) {
    const method = catalogue.find((o) => o.name === entry.name);
    const changed = Object.entries(entry).filter(([key, value]) => {
      if (key === "name" || key === "continuation") return false;
      const param = method?.params.find((p) => p.name === key);
      return !param || param.default !== value;
    });
    if (entry.continuation) changed.push(["stages", entry.continuation.stages], ["sigma0", entry.continuation.sigma0]);
    const args = changed.map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`).join(",");
    parts.push(`opt=${encodeURIComponent(entry.name)}${args ? `(${args})` : ""}`);
  }
  if (overlays !== undefined) parts.push(`overlays=${overlays}`);
  if (speed !== undefined) parts.push(`speed=${speed}`);
  if (view3d) parts.push("view3d=1");
  return `${window.location.pathname}?${parts.join("&")}`;
}

// speedFromURL reads the playback speed of a page's query, or returns null
// when it has none or an unreadable one.
export function speedFromURL(search) {
  const v = new URLSearchParams(search).get("speed");
  const speed = v === null || v.trim() === "" ? NaN : Number(v);
  return Number.isFinite(speed) && speed > 0 ? speed : null;
}

// sameRun reports whether two page queries differ at most in how the run is
// shown, its view and overlays, so that going between them runs nothing.
export function sameRun(a, b) {
  const strip = (q) => {
    const params = new URLSearchParams(q);
    params.delete("view");
    params.delete("overlays");
    return params.toString();
  };
  return strip(a) === strip(b);
}

// viewFromURL reads the view of a page's query, or returns null when it has
// none or an unreadable one.
export function viewFromURL(search) {
  const v = new URLSearchParams(search).get("view");
  const view = v === null ? [] : v.split(",").map(Number);
  return view.length === 4 && view.every(Number.isFinite) ? view : null;
}
