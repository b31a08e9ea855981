package web

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"saddlepoint/surfaces"
	"saddlepoint/surfaces/expression"
)

// hasClass matches elements whose class list holds class.
func hasClass(class string) func(*html.Node) bool {
	return func(n *html.Node) bool {
		return n.Type == html.ElementNode && slices.Contains(strings.Fields(attr(n, "class")), class)
	}
}

// TestPlotViewEverySurface checks that every surface, catalogue or typed,
// is drawn in a view the query asks for: the plot's view and axes are that
// view's, and its contours differ from those of the surface's own view.
func TestPlotViewEverySurface(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, tc := range []struct{ name, query, view string }{
		{"rosenbrock", "surface=rosenbrock&view=0,1.5,0.25,1.75", "0 1.5 0.25 1.75"},
		{"least squares, normalised", "surface=least-squares&normalize=true&view=-1,1,-1,1", "-1 1 -1 1"},
		{"a wide view", "surface=bowl&view=-20,20,-1,1", "-20 20 -1 1"},
		{"a typed function", "surface=custom&expr=x%5E2%2By%5E2&view=1,2,1,2", "1 2 1 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			zoomed := fetchHTML(t, srv.URL+"/plot?"+tc.query)
			own := fetchHTML(t, srv.URL+"/plot?"+strings.Split(tc.query, "&view=")[0])
			svg := findAll(zoomed, byID("plot"))[0]
			if got := attr(svg, "data-view"); got != tc.view {
				t.Errorf("data-view %q, want %q", got, tc.view)
			}
			v := make([]float64, 4)
			for i, f := range strings.Fields(tc.view) {
				v[i], _ = strconv.ParseFloat(f, 64)
			}
			for _, tick := range findAll(zoomed, hasClass("tick")) {
				x, err := strconv.ParseFloat(strings.Replace(text(tick), "−", "-", 1), 64)
				lo, hi := v[0], v[1]
				if strings.Contains(attr(tick, "class"), " y") {
					lo, hi = v[2], v[3]
				}
				if err != nil || x < lo-1e-9 || x > hi+1e-9 {
					t.Errorf("tick %q outside the view %v", text(tick), v)
				}
			}
			first := func(doc *html.Node) string { return attr(findAll(doc, hasClass("contour"))[0], "d") }
			if first(zoomed) == first(own) {
				t.Error("the contours of the view are those of the surface's own")
			}
		})
	}
}

// TestViewRefused checks that a view that cannot be drawn is refused with
// 400 and a message that names view and says what is allowed, by the plot,
// the run API and the GIF alike, and that the page opens with the message.
func TestViewRefused(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, tc := range []struct {
		name, view string
		json       string // the view as the run API takes it
		says       string // part of the message
	}{
		{"three numbers", "0,1,0", "[0, 1, 0]", "[xmin, xmax, ymin, ymax]"},
		{"upside down", "0,1,1,0", "[0, 1, 1, 0]", "ymin < ymax"},
		{"empty", "1,1,0,1", "[1, 1, 0, 1]", "xmin < xmax"},
		{"too far", "0,2e6,0,2e6", "[0, 2e6, 0, 2e6]", "from -1e+06 to 1e+06"},
		{"a sliver", "0,100,0,1", "[0, 100, 0, 1]", "at most 20 times"},
		{"too narrow for its place", "1000,1000.0001,0,0.0001", "[1000, 1000.0001, 0, 0.0001]", "at least 1e-06 times"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			check := func(what string, code int, body []byte) {
				t.Helper()
				var e struct {
					Error string `json:"error"`
				}
				if code != http.StatusBadRequest || json.Unmarshal(body, &e) != nil {
					t.Fatalf("%s: %d %.200s, want 400 with a JSON message", what, code, body)
				}
				if !strings.HasPrefix(e.Error, "view: ") || !strings.Contains(e.Error, tc.says) {
					t.Errorf("%s: message %q, want it to start view: and say %q", what, e.Error, tc.says)
				}
			}
			for _, path := range []string{"/plot?surface=rosenbrock&", "/plot?surface=custom&expr=x%5E2&", "/api/animation.gif?surface=rosenbrock&steps=5&"} {
				resp, err := http.Get(srv.URL + path + "view=" + url.QueryEscape(tc.view))
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				check(path, resp.StatusCode, body)
			}
			if tc.name != "three numbers" {
				code, body := postRun(t, srv, `{"surface": "rosenbrock", "view": `+tc.json+`, "optimizers": [{"name": "sgd"}]}`)
				check("POST /api/run", code, body)
			}
			page := fetchHTML(t, srv.URL+"/?surface=rosenbrock&view="+url.QueryEscape(tc.view))
			if msg := text(findAll(page, byID("error"))[0]); !strings.HasPrefix(msg, "view: ") {
				t.Errorf("the page says %q", msg)
			}
			if got := attr(findAll(page, byID("plot"))[0], "data-view"); got != "-2 2 -1 3" {
				t.Errorf("the page falls back to view %q, want rosenbrock's own", got)
			}
		})
	}
}

// TestViewLeavesRunsAlone checks that a run on a view of a catalogue
// surface is the run on its own view, and that the GIF of a view differs
// from the GIF of the surface's own.
func TestViewLeavesRunsAlone(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	const opts = `"start": [-1.2, 1], "steps": 50, "optimizers": [{"name": "adam", "lr": 0.05}]`
	own := apiRuns(t, srv, `{"surface": "rosenbrock", `+opts+`}`)
	zoomed := apiRuns(t, srv, `{"surface": "rosenbrock", "view": [-1.5, 0, 0, 1.5], `+opts+`}`)
	if !slices.Equal(own.Runs[0].Path, zoomed.Runs[0].Path) {
		t.Error("the view changed the run")
	}
	gif := func(q string) []byte {
		resp, body := getAnimation(t, srv, "surface=rosenbrock&start=-1.2,1&steps=20&opt=adam"+q)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GIF%s: %d %.200s", q, resp.StatusCode, body)
		}
		return body
	}
	if slices.Equal(gif(""), gif("&view=-1.5,0,0,1.5")) {
		t.Error("the GIF of a view is the GIF of the surface's own")
	}
}

// fieldArrow is an arrow of the plot's gradient field, its tail and tip in
// SVG units.
type fieldArrow struct {
	tail, tip [2]float64
}

// readField reads the gradient field of a plot.
func readField(t *testing.T, doc *html.Node) []fieldArrow {
	t.Helper()
	var out []fieldArrow
	for _, g := range findAll(doc, hasClass("gradient-field")) {
		if attr(g, "marker-end") != "url(#field-head)" || len(findAll(doc, byID("field-head"))) != 1 {
			t.Error("the field's arrows have no heads")
		}
		for _, p := range findAll(g, func(n *html.Node) bool { return n.Data == "path" }) {
			var v [4]float64
			if _, err := fmt.Sscanf(attr(p, "d"), "M%g,%gl%g,%g", &v[0], &v[1], &v[2], &v[3]); err != nil {
				t.Fatalf("arrow %q: %v", attr(p, "d"), err)
			}
			out = append(out, fieldArrow{tail: [2]float64{v[0], v[1]}, tip: [2]float64{v[0] + v[2], v[1] + v[3]}})
		}
	}
	return out
}

// TestGradientField checks the field's arrows against each surface's own
// gradient: they are centred on the cells of a grid over the plot area,
// each points along −∇f at its centre (to the tenth of a unit the SVG
// keeps), grows with |∇f|, and lies within the lengths the field allows.
func TestGradientField(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	typed, err := expression.Surface("sin(3*x) + y^2 - x*y", surfaces.View{XMin: -2, XMax: 2, YMin: -1, YMax: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		query   string
		surface surfaces.Surface
	}{
		{"surface=rosenbrock", mustSurface(t, "rosenbrock")},
		{"surface=himmelblau", mustSurface(t, "himmelblau")},
		{"surface=rosenbrock&view=0.5,1.5,0.5,1.5", mustSurface(t, "rosenbrock")},
		{"surface=custom&expr=" + url.QueryEscape("sin(3*x) + y^2 - x*y") + "&view=-2,2,-1,1", typed},
	} {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			doc := fetchHTML(t, srv.URL+"/plot?"+tc.query)
			box := make([]float64, 4)
			for i, f := range strings.Fields(attr(findAll(doc, byID("plot"))[0], "data-box")) {
				box[i], _ = strconv.ParseFloat(f, 64)
			}
			view := make([]float64, 4)
			for i, f := range strings.Fields(attr(findAll(doc, byID("plot"))[0], "data-view")) {
				view[i], _ = strconv.ParseFloat(f, 64)
			}
			arrows := readField(t, doc)
			nx, ny := math.Round(box[2]/fieldSpacing), math.Round(box[3]/fieldSpacing)
			if len(arrows) != int(nx*ny) {
				t.Errorf("%d arrows, want one on each of %g × %g cells", len(arrows), nx, ny)
			}
			spacing := min(box[2]/nx, box[3]/ny)
			type sized struct{ norm, length float64 }
			var sizes []sized
			cellW, cellH := box[2]/nx, box[3]/ny
			for _, a := range arrows {
				// The centre, to the 0.05 the ends are rounded to, is a cell's.
				mx, my := (a.tail[0]+a.tip[0])/2, (a.tail[1]+a.tip[1])/2
				i, j := math.Round((mx-box[0])/cellW-0.5), math.Round((my-box[1])/cellH-0.5)
				cx, cy := box[0]+(i+0.5)*cellW, box[1]+(j+0.5)*cellH
				if math.Abs(mx-cx) > 0.1 || math.Abs(my-cy) > 0.1 || i < 0 || i >= nx || j < 0 || j >= ny {
					t.Errorf("arrow %v is centred on (%g, %g), off the grid", a, mx, my)
				}
				at := surfaces.Point{view[0] + (cx-box[0])/box[2]*(view[1]-view[0]), view[3] - (cy-box[1])/box[3]*(view[3]-view[2])}
				g := tc.surface.Gradient(at)
				dx, dy := a.tip[0]-a.tail[0], a.tip[1]-a.tail[1]
				length := math.Hypot(dx, dy)
				// −∇f in SVG units, whose y axis points down.
				wx, wy := -g[0], g[1]
				cos := (dx*wx + dy*wy) / (length * math.Hypot(wx, wy))
				// Each coordinate of the ends is rounded to a tenth, which
				// turns an arrow by up to about 0.15/length radians.
				if limit := math.Cos(0.15/length + 1e-6); !(cos >= limit) {
					t.Errorf("arrow at %v points along (%g, %g), −∇f is (%g, %g): cos %g", at, dx, -dy, -g[0], -g[1], cos)
				}
				if length < fieldShortest*spacing-0.15 || length > fieldLongest*spacing+0.15 { // ends within 0.05√2
					t.Errorf("arrow at %v is %g long, want %g to %g", at, length, fieldShortest*spacing, fieldLongest*spacing)
				}
				sizes = append(sizes, sized{math.Hypot(g[0], g[1]), length})
			}
			slices.SortFunc(sizes, func(a, b sized) int { return cmp.Compare(a.norm, b.norm) })
			for i := 1; i < len(sizes); i++ {
				if sizes[i].length < sizes[i-1].length-0.3 { // both lengths within 0.15
					t.Errorf("|∇f| %g has an arrow %g long, shorter than %g for |∇f| %g", sizes[i].norm, sizes[i].length, sizes[i-1].length, sizes[i-1].norm)
				}
			}
			if n := len(sizes); n > 1 && (math.Abs(sizes[0].length-fieldShortest*spacing) > 0.15 || math.Abs(sizes[n-1].length-fieldLongest*spacing) > 0.15) {
				t.Errorf("arrows run from %g to %g long, want %g to %g", sizes[0].length, sizes[n-1].length, fieldShortest*spacing, fieldLongest*spacing)
			}
		})
	}
}

func mustSurface(t *testing.T, name string) surfaces.Surface {
	t.Helper()
	s, ok := surfaces.Lookup(name)
	if !ok {
		t.Fatalf("no surface %q", name)
	}
	return s
}

// TestGradientFieldSkipsUndefined checks that where f or ∇f is not finite,
// or ∇f is zero, there is no arrow: a function defined nowhere, or flat, has
// no field.
func TestGradientFieldSkipsUndefined(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, expr := range []string{"log(-1-x^2)", "3"} {
		doc := fetchHTML(t, srv.URL+"/plot?surface=custom&expr="+url.QueryEscape(expr))
		if arrows := readField(t, doc); len(arrows) != 0 {
			t.Errorf("%s: %d arrows, want none", expr, len(arrows))
		}
	}
}

// TestContourLabels checks the labels on the contour lines: there are some
// on every surface but rastrigin (whose rings crowd too closely for any),
// each is the value of a level drawn, lies inside the plot area, reads left
// to right, and meets no other label.
func TestContourLabels(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, name := range append(surfaces.Names(), "rosenbrock&view=0.5,1.5,0.5,1.5") {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc := fetchHTML(t, srv.URL+"/plot?surface="+name)
			box := make([]float64, 4)
			for i, f := range strings.Fields(attr(findAll(doc, byID("plot"))[0], "data-box")) {
				box[i], _ = strconv.ParseFloat(f, 64)
			}
			var levels []float64
			for _, c := range findAll(doc, hasClass("contour")) {
				l, _ := strconv.ParseFloat(attr(c, "data-level"), 64)
				levels = append(levels, l)
			}
			labels := findAll(doc, hasClass("contour-label"))
			if (len(labels) == 0) != (name == "rastrigin") || len(labels) > maxLabels {
				t.Fatalf("%d labels, want 1 to %d", len(labels), maxLabels)
			}
			var boxes []labelBox
			for _, l := range labels {
				// data-level keeps four digits and the label three.
				value, err := strconv.ParseFloat(strings.Replace(text(l), "−", "-", 1), 64)
				if err != nil || !slices.ContainsFunc(levels, func(level float64) bool {
					return math.Abs(value-level) <= 0.006*math.Abs(level)
				}) {
					t.Errorf("label %q is no level drawn (%v)", text(l), levels)
				}
				var x, y, angle float64
				if _, err := fmt.Sscanf(attr(l, "transform"), "translate(%g %g) rotate(%g)", &x, &y, &angle); err != nil {
					t.Fatalf("transform %q: %v", attr(l, "transform"), err)
				}
				if angle < -90 || angle > 90 {
					t.Errorf("label %q turned %g°, upside down", text(l), angle)
				}
				rad := angle * math.Pi / 180
				b := labelBox{cx: x, cy: y, ux: math.Cos(rad), uy: math.Sin(rad),
					halfW: float64(len([]rune(text(l))))*labelCharWidth/2 + labelGap - 0.2, halfH: labelFontSize/2 + labelGap - 0.2}
				if !b.inside(box[0], box[1], box[2], box[3]) {
					t.Errorf("label %q at (%g, %g) leaves the plot area %v", text(l), x, y, box)
				}
				for _, o := range boxes {
					if b.overlaps(o) {
						t.Errorf("label %q at (%g, %g) meets the label at (%g, %g)", text(l), x, y, o.cx, o.cy)
					}
				}
				boxes = append(boxes, b)
			}
		})
	}
}

// TestLabelBoxOverlaps checks the separating-axis test on rectangles whose
// answer is plain.
func TestLabelBoxOverlaps(t *testing.T) {
	t.Parallel()
	flat := labelBox{cx: 0, cy: 0, ux: 1, uy: 0, halfW: 10, halfH: 2}
	s := math.Sqrt(0.5)
	for _, tc := range []struct {
		name string
		b    labelBox
		want bool
	}{
		{"the same", flat, true},
		{"beside, apart", labelBox{cx: 21, ux: 1, halfW: 10, halfH: 2}, false},
		{"beside, touching over", labelBox{cx: 19, ux: 1, halfW: 10, halfH: 2}, true},
		{"above, apart", labelBox{cy: 4.5, ux: 1, halfW: 10, halfH: 2}, false},
		{"crossed", labelBox{ux: 0, uy: 1, halfW: 10, halfH: 2}, true},
		// A diagonal label whose bounding box meets flat's corner, but
		// which passes it by.
		{"diagonal, past the corner", labelBox{cx: 13, cy: 5, ux: s, uy: -s, halfW: 6, halfH: 1}, false},
		{"diagonal, through the end", labelBox{cx: 8, cy: 4, ux: s, uy: -s, halfW: 6, halfH: 1}, true},
	} {
		if got := flat.overlaps(tc.b); got != tc.want {
			t.Errorf("%s: overlaps %v, want %v", tc.name, got, tc.want)
		}
		if got := tc.b.overlaps(flat); got != tc.want {
			t.Errorf("%s, the other way: overlaps %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestPageOverlays checks the overlays' checkboxes and the plot container's
// list of them: the defaults, a link's choice, none, and an unknown one,
// which leaves the defaults and says so.
func TestPageOverlays(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, tc := range []struct{ query, shown, problem string }{
		{"", "labels probes averages minima", ""},
		{"?overlays=velocity,grad", "grad velocity", ""},
		{"?overlays=", "", ""},
		{"?overlays=labels,arrows", "labels probes averages minima", `overlays: unknown overlay "arrows"`},
	} {
		doc := fetchHTML(t, srv.URL+"/"+tc.query)
		if got := attr(findAll(doc, byID("plot-container"))[0], "data-overlays"); got != tc.shown {
			t.Errorf("%q: the plot shows overlays %q, want %q", tc.query, got, tc.shown)
		}
		var checked []string
		boxes := findAll(doc, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "overlay" })
		for _, b := range boxes {
			if _, ok := attrOK(b, "checked"); ok {
				checked = append(checked, attr(b, "value"))
			}
		}
		if strings.Join(checked, " ") != tc.shown || len(boxes) != len(plotOverlays) {
			t.Errorf("%q: %d boxes, %v ticked, want %d with %q", tc.query, len(boxes), checked, len(plotOverlays), tc.shown)
		}
		if msg := text(findAll(doc, byID("error"))[0]); !strings.HasPrefix(msg, tc.problem) || (tc.problem == "") != (msg == "") {
			t.Errorf("%q: the page says %q, want %q", tc.query, msg, tc.problem)
		}
	}
}

// TestClearOfNeighbours: a label's place is refused when a line of the level
// below or above passes within r of it, and only those levels count.
func TestClearOfNeighbours(t *testing.T) {
	t.Parallel()
	horizontal := func(y float64) [][][2]float64 { return [][][2]float64{{{0, y}, {100, y}}} }
	lines := [][][][2]float64{horizontal(0), horizontal(10), horizontal(20), horizontal(10.5)}
	for _, tc := range []struct {
		level  int
		cx, cy float64
		want   bool
	}{
		{1, 50, 10, true},   // levels 0 and 2 lie 10 away
		{1, 50, 14, false},  // level 2 lies 6 away
		{0, 150, 3, true},   // beyond the end of level 1's line, 50 away
		{0, 104, 7, false},  // 5 from the end of level 1's line
		{3, 50, 10.5, true}, // level 2 lies 9.5 away; level 1, 0.5 away, is no neighbour of level 3
		{2, 50, 16, false},  // level 3 lies 5.5 away
	} {
		if got := clearOfNeighbours(lines, tc.level, tc.cx, tc.cy, 7); got != tc.want {
			t.Errorf("level %d at (%g, %g): clear %v, want %v", tc.level, tc.cx, tc.cy, got, tc.want)
		}
	}
}
