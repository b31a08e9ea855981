// How the page is shown, as opposed to what it runs: the theme
// (theme=dark|light), presenter mode (presenter=1) and the clean view for a
// frame (embed=1). They live in the URL beside the run's state, so a link
// opens the way it was shown, but they never change a run: stateURL leaves
// them out and withDisplay carries them over. The query is edited as text,
// so that the rest of it keeps stateURL's readable form (start=-1,2 and
// opt=adam(lr=0.1), not %2C and %28).

const DISPLAY_PARAMS = ["theme", "presenter", "embed"];

// withDisplay returns a page URL (path and query) with the current page's
// display parameters.
export function withDisplay(url) {
  const current = new URLSearchParams(window.location.search);
  for (const name of DISPLAY_PARAMS) {
    if (current.has(name)) url = withParam(url, name, current.get(name));
  }
  return url;
}

// setDisplayParam records one display parameter in the page's URL (value
// null removes it), without a new history entry: a change of look is not a
// step to go back through.
export function setDisplayParam(name, value) {
  const { pathname, search, hash } = window.location;
  history.replaceState(history.state, "", withParam(pathname + search, name, value) + hash);
}

// showFullPageLink points the framed page's "open in Saddlepoint" link
// (embed=1 only) at the full page of url.
export function showFullPageLink(url) {
  const link = document.getElementById("open-full");
  if (link) link.href = new URL(withParam(url, "embed", null), window.location.href).href;
}

// withParam returns url (a path and query) with parameter name set to
// value, or removed for null, leaving the other parameters as they are.
function withParam(url, name, value) {
  const [path, query = ""] = url.split("?", 2);
  const parts = query.split("&").filter((p) => p !== "" && p.split("=", 1)[0] !== name);
  if (value !== null) parts.push(`${name}=${encodeURIComponent(value)}`);
  return parts.length ? `${path}?${parts.join("&")}` : path;
}
