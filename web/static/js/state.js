// The page's state in its URL, so that a link reproduces a run exactly:
//   /?surface=rosenbrock&start=-1.2,1&steps=500&opt=adam(lr=0.01)&opt=momentum(lr=0.001)
//   /?surface=deep-linear&starts=100,normal,0.5,1&opt=sgd   (n,distribution,scale,seed)
//   /?surface=custom&expr=x%5E2%2B3*y%5E2&view=-3,3,-3,3&opt=adam
//   /?surface=bowl&opt=sgd&speed=20   (playback at 20 iterates a second)
// The server reads the same form to render the page (web/pagestate.go);
// speed is the page's own and the server passes over it.

// stateURL returns the URL of the page showing request, listing only the
// parameters that differ from their defaults. speed is the playback speed
// in iterates per second, or undefined for the automatic one.
export function stateURL(request, catalogue, defaultSteps, speed) {
  const parts = [`surface=${encodeURIComponent(request.surface)}`];
  if (request.expr !== undefined) parts.push(`expr=${encodeURIComponent(request.expr)}`);
  if (request.view) parts.push(`view=${request.view.map(String).join(",")}`);
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
  if (speed !== undefined) parts.push(`speed=${speed}`);
  return `${window.location.pathname}?${parts.join("&")}`;
}

// speedFromURL reads the playback speed of a page's query, or returns null
// when it has none or an unreadable one.
export function speedFromURL(search) {
  const v = new URLSearchParams(search).get("speed");
  const speed = v === null || v.trim() === "" ? NaN : Number(v);
  return Number.isFinite(speed) && speed > 0 ? speed : null;
}
