package web

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// fetchHTML GETs path and parses the response as HTML.
func fetchHTML(tb testing.TB, url string) *html.Node {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		tb.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	doc, err := html.Parse(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

// findAll returns every element below n for which match is true.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && match(c) {
			out = append(out, c)
		}
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func byID(id string) func(*html.Node) bool {
	return func(n *html.Node) bool { return attr(n, "id") == id }
}

func text(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

func TestPageRenders(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	doc := fetchHTML(t, srv.URL+"/?surface=rosenbrock")

	options := findAll(findAll(doc, byID("surface"))[0], func(n *html.Node) bool { return n.Data == "option" })
	if len(options) != len(surfaces.Names())+1 || attr(options[len(options)-1], "value") != "custom" {
		t.Errorf("%d surface options, want the %d of the catalogue and custom", len(options), len(surfaces.Names()))
	}
	for _, o := range options {
		_, selected := attrOK(o, "selected")
		if selected != (attr(o, "value") == "rosenbrock") {
			t.Errorf("option %q selected=%v", attr(o, "value"), selected)
		}
	}
	if f := findAll(doc, byID("formula")); len(f) != 1 || !strings.Contains(strings.ReplaceAll(text(f[0]), " ", ""), "100(y−x²)²") {
		t.Errorf("formula not shown: %v", f)
	}

	boxes := findAll(doc, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "optimizer" })
	if len(boxes) != len(engine.Methods()) {
		t.Errorf("%d optimizer checkboxes, want %d", len(boxes), len(engine.Methods()))
	}
	for _, m := range engine.Methods() {
		for _, p := range m.Params {
			in := findAll(doc, byID("param-"+m.Name+"-"+p.Name))
			if len(in) != 1 {
				t.Errorf("no input for %s.%s", m.Name, p.Name)
				continue
			}
			var shown any
			switch p.Kind {
			case engine.Bool:
				_, shown = attrOK(in[0], "checked")
			case engine.Choice:
				for _, o := range findAll(in[0], func(n *html.Node) bool { return n.Data == "option" }) {
					if _, sel := attrOK(o, "selected"); sel {
						shown = attr(o, "value")
					}
				}
			default:
				shown, _ = strconv.ParseFloat(attr(in[0], "value"), 64)
			}
			if shown != p.Default {
				t.Errorf("%s.%s input shows %v, want the default %v", m.Name, p.Name, shown, p.Default)
			}
		}
	}

	plots := findAll(doc, byID("plot"))
	if len(plots) != 1 {
		t.Fatalf("%d plots", len(plots))
	}
	plot := plots[0]
	if attr(plot, "data-surface") != "rosenbrock" || attr(plot, "data-view") != "-2 2 -1 3" {
		t.Errorf("plot of %q over %q", attr(plot, "data-surface"), attr(plot, "data-view"))
	}
	box := strings.Fields(attr(plot, "data-box"))
	if len(box) != 4 || box[2] != box[3] {
		t.Errorf("plot box %v: rosenbrock's square view must give a square plot area (equal aspect)", box)
	}
	contours := findAll(plot, func(n *html.Node) bool { return strings.HasPrefix(attr(n, "class"), "contour ") })
	if len(contours) < 10 {
		t.Errorf("%d contour levels drawn, want at least 10", len(contours))
	}
	// Rosenbrock's values span decades, so the levels must be log-spaced:
	// the ratio between successive levels is about constant, not their gap.
	var levels []float64
	for _, c := range contours {
		v, err := strconv.ParseFloat(attr(c, "data-level"), 64)
		if err != nil {
			t.Fatalf("data-level %q: %v", attr(c, "data-level"), err)
		}
		levels = append(levels, v)
	}
	if lo, hi := levels[1]-levels[0], levels[len(levels)-1]-levels[len(levels)-2]; hi < 20*lo {
		t.Errorf("levels %v are not log-spaced", levels)
	}
	if m := findAll(plot, func(n *html.Node) bool { return attr(n, "class") == "minimum" }); len(m) != 1 {
		t.Errorf("%d minima marked, want rosenbrock's one", len(m))
	}
	if len(findAll(plot, byID("trajectories"))) != 1 {
		t.Error("no layer for the trajectories")
	}

	scripts := findAll(doc, byID("saddlepoint-data"))
	if len(scripts) != 1 {
		t.Fatal("no data for the scripts")
	}
	var data clientData
	if err := json.Unmarshal([]byte(text(scripts[0])), &data); err != nil {
		t.Fatalf("script data: %v", err)
	}
	if len(data.Surfaces) != len(surfaces.Names()) || len(data.Optimizers) != len(engine.Methods()) {
		t.Errorf("script data has %d surfaces and %d optimizers", len(data.Surfaces), len(data.Optimizers))
	}
	if mods := findAll(doc, func(n *html.Node) bool { return n.Data == "script" && attr(n, "type") == "module" }); len(mods) != 1 || attr(mods[0], "src") != "/static/js/app.js" {
		t.Errorf("module scripts: %v", mods)
	}
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func TestPlotFragmentForEverySurface(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, name := range surfaces.Names() {
		resp, err := http.Get(srv.URL + "/plot?surface=" + name)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("%s: %d %s", name, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		doc, err := html.Parse(strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		if n := len(findAll(doc, func(n *html.Node) bool { return strings.HasPrefix(attr(n, "class"), "contour ") })); n < 8 {
			t.Errorf("%s: %d contour levels, want at least 8", name, n)
		}
		if strings.Contains(string(body), "NaN") || strings.Contains(string(body), "Inf") {
			t.Errorf("%s: plot has a non-finite number", name)
		}
	}
}

func TestStaticAssets(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for path, ctype := range map[string]string{
		"/static/js/app.js":      "text/javascript",
		"/static/js/plot.js":     "text/javascript",
		"/static/js/stream.js":   "text/javascript",
		"/static/js/controls.js": "text/javascript",
		"/static/js/legend.js":   "text/javascript",
		"/static/css/app.css":    "text/css",
		"/static/favicon.svg":    "image/svg+xml",
	} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), ctype) {
			t.Errorf("%s: %d %q", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}
