package web

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// The page's run colours by index (web/static/css/app.css, .c0 … .c7),
// written out here so that the test does not take them from the code it
// checks.
var pageRunColours = []color.RGBA{
	{0x00, 0x72, 0xb2, 0xff}, {0xd5, 0x5e, 0x00, 0xff}, {0x00, 0x9e, 0x73, 0xff}, {0xcc, 0x79, 0xa7, 0xff},
	{0xe6, 0x9f, 0x00, 0xff}, {0x56, 0xb4, 0xe9, 0xff}, {0x00, 0x00, 0x00, 0xff}, {0x8c, 0x56, 0x4b, 0xff},
}

// pageFrameColour is the colour of the line around the plot (.axes .frame).
var pageFrameColour = color.RGBA{0x87, 0x95, 0xa3, 0xff}

// getAnimation fetches /api/animation.gif?query.
func getAnimation(tb testing.TB, srv *httptest.Server, query string) (*http.Response, []byte) {
	tb.Helper()
	resp, err := http.Get(srv.URL + "/api/animation.gif?" + query)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp, body
}

// playGIF decodes a GIF and returns it with its first and last frames as a
// viewer sees them: every frame drawn over the one before, its transparent
// pixels showing what was there.
func playGIF(tb testing.TB, data []byte) (g *gif.GIF, first, last *image.RGBA) {
	tb.Helper()
	g, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("decoding the GIF: %v", err)
	}
	screen := image.NewRGBA(image.Rect(0, 0, g.Config.Width, g.Config.Height))
	for i, frame := range g.Image {
		if g.Disposal[i] != gif.DisposalNone {
			tb.Fatalf("frame %d: disposal %d, want none, each frame drawn over the last", i, g.Disposal[i])
		}
		draw.Draw(screen, frame.Bounds(), frame, frame.Bounds().Min, draw.Over)
		if i == 0 {
			first = image.NewRGBA(screen.Bounds())
			copy(first.Pix, screen.Pix)
		}
	}
	return g, first, screen
}

// plotArea finds the plot in a frame by the line around it: the columns
// and rows that hold the most pixels of its colour. It returns the pixels
// inside the line.
func plotArea(tb testing.TB, img *image.RGBA) image.Rectangle {
	tb.Helper()
	b := img.Bounds()
	cols, rows := make([]int, b.Dx()), make([]int, b.Dy())
	for y := range b.Dy() {
		for x := range b.Dx() {
			if img.RGBAAt(x, y) == pageFrameColour {
				cols[x]++
				rows[y]++
			}
		}
	}
	lines := func(counts []int) (lo, hi int) {
		top := slices.Max(counts)
		lo = slices.IndexFunc(counts, func(n int) bool { return n > top/2 })
		hi = len(counts) - 1 - slices.IndexFunc(backward(counts), func(n int) bool { return n > top/2 })
		return lo, hi
	}
	x0, x1 := lines(cols)
	y0, y1 := lines(rows)
	if x1-x0 < 20 || y1-y0 < 20 {
		tb.Fatalf("found no frame around the plot: columns %d–%d, rows %d–%d", x0, x1, y0, y1)
	}
	return image.Rect(x0+1, y0+1, x1, y1)
}

// backward returns a reversed copy of s.
func backward(s []int) []int {
	r := slices.Clone(s)
	slices.Reverse(r)
	return r
}

// pixelOf returns the pixel where point p of view [xmin, xmax, ymin, ymax]
// is drawn in a plot covering area, y up.
func pixelOf(view [4]float64, area image.Rectangle, p []float64) image.Point {
	x := float64(area.Min.X) + (p[0]-view[0])/(view[1]-view[0])*float64(area.Dx())
	y := float64(area.Min.Y) + (view[3]-p[1])/(view[3]-view[2])*float64(area.Dy())
	return image.Pt(int(math.Floor(x)), int(math.Floor(y)))
}

// apiPaths posts a run to /api/run and returns the path of each run.
func apiPaths(tb testing.TB, srv *httptest.Server, body string) [][][]float64 {
	tb.Helper()
	code, data := postRun(tb, srv, body)
	if code != http.StatusOK {
		tb.Fatalf("POST /api/run %s: status %d: %s", body, code, data)
	}
	var resp struct {
		Runs []struct {
			Path [][]float64 `json:"path"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &resp); err != nil {
		tb.Fatal(err)
	}
	var paths [][][]float64
	for _, r := range resp.Runs {
		paths = append(paths, r.Path)
	}
	return paths
}

func pixelDistance(a, b image.Point) float64 {
	return math.Hypot(float64(a.X-b.X), float64(a.Y-b.Y))
}

func TestAnimationGIF(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, tc := range []struct {
		name  string
		query string
		// run is the same run as a POST /api/run body, its optimizers in
		// the order of the page's form, which colours them.
		run      string
		view     [4]float64
		start    []float64
		width    int
		filename string
	}{
		{
			name:     "two runs on rosenbrock",
			query:    "surface=rosenbrock&start=-1.2,1&steps=60&opt=sgd(lr=0.001)&opt=momentum(lr=0.001)",
			run:      `{"surface": "rosenbrock", "start": [-1.2, 1], "steps": 60, "optimizers": [{"name": "sgd", "lr": 0.001}, {"name": "momentum", "lr": 0.001}]}`,
			view:     [4]float64{-2, 2, -1, 3},
			start:    []float64{-1.2, 1},
			width:    640,
			filename: "saddlepoint-rosenbrock.gif",
		},
		{
			// The URL lists adam first, but the page runs and colours
			// its optimizers in the order of its form: momentum, then adam.
			name:     "a long run sampled, colours in the page's order",
			query:    "surface=rosenbrock&start=-1.2,1&steps=500&opt=adam(lr=0.01)&opt=momentum(lr=0.001)",
			run:      `{"surface": "rosenbrock", "start": [-1.2, 1], "steps": 500, "optimizers": [{"name": "momentum", "lr": 0.001}, {"name": "adam", "lr": 0.01}]}`,
			view:     [4]float64{-2, 2, -1, 3},
			start:    []float64{-1.2, 1},
			width:    640,
			filename: "saddlepoint-rosenbrock.gif",
		},
		{
			name:     "a typed surface with its view, narrower",
			query:    "surface=custom&expr=x%5E2%2B3*y%5E2&view=-3,3,-2,2&start=2.5,1.5&steps=30&opt=sgd(lr=0.05)&opt=adam(lr=0.2)&width=480",
			run:      `{"surface": "custom", "expr": "x^2+3*y^2", "view": [-3, 3, -2, 2], "start": [2.5, 1.5], "steps": 30, "optimizers": [{"name": "sgd", "lr": 0.05}, {"name": "adam", "lr": 0.2}]}`,
			view:     [4]float64{-3, 3, -2, 2},
			start:    []float64{2.5, 1.5},
			width:    480,
			filename: "saddlepoint-custom.gif",
		},
		{
			name:     "runs of different lengths on a wide view",
			query:    "surface=six-hump-camel&start=1.2,0.8&steps=80&opt=newton&opt=sgd(lr=0.002)&opt=adam(lr=0.05)&width=900",
			run:      `{"surface": "six-hump-camel", "start": [1.2, 0.8], "steps": 80, "optimizers": [{"name": "sgd", "lr": 0.002}, {"name": "adam", "lr": 0.05}, {"name": "newton"}]}`,
			view:     [4]float64{-2, 2, -1, 1},
			start:    []float64{1.2, 0.8},
			width:    900,
			filename: "saddlepoint-six-hump-camel.gif",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			paths := apiPaths(t, srv, tc.run)
			resp, body := getAnimation(t, srv, tc.query)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "image/gif" {
				t.Errorf("Content-Type %q, want image/gif", ct)
			}
			if cd, want := resp.Header.Get("Content-Disposition"), `inline; filename="`+tc.filename+`"`; cd != want {
				t.Errorf("Content-Disposition %q, want %q", cd, want)
			}
			g, first, last := playGIF(t, body)

			// Frames: one per iterate of the longest run, at most 120.
			longest := 0
			for _, p := range paths {
				longest = max(longest, len(p))
			}
			if want := min(longest, 120); len(g.Image) != want {
				t.Errorf("%d frames, want %d for a longest run of %d iterates", len(g.Image), want, longest)
			}
			if g.LoopCount != 0 {
				t.Errorf("loop count %d, want 0: for ever", g.LoopCount)
			}
			d := g.Delay[0]
			for i, got := range g.Delay[:len(g.Delay)-1] {
				if got != d {
					t.Fatalf("frame %d: delay %d, want every frame but the last at %d", i, got, d)
				}
			}
			if len(g.Image) >= 100 && (d < 4 || d > 6) || d < 4 || d > 50 {
				t.Errorf("delay %d0 ms between %d frames, want 40–60 ms, or up to 500 ms for a short run", d, len(g.Image))
			}
			if end := g.Delay[len(g.Delay)-1]; end < 100 {
				t.Errorf("last frame held %d0 ms, want a pause of a second or more", end)
			}

			// Size: the width asked for, and the view's aspect.
			if g.Config.Width != tc.width {
				t.Errorf("width %d, want %d", g.Config.Width, tc.width)
			}
			area := plotArea(t, last)
			dx, dy := tc.view[1]-tc.view[0], tc.view[3]-tc.view[2]
			if got, want := float64(area.Dy()), float64(area.Dx())*dy/dx; math.Abs(got-want) > 1.5 {
				t.Errorf("plot %v is %d × %d, want the view's aspect %g:%g", area, area.Dx(), area.Dy(), dx, dy)
			}
			if area.Dx() < tc.width*3/4 {
				t.Errorf("plot %d wide in a %d-wide picture, want most of it", area.Dx(), tc.width)
			}

			// Each run ends in its colour where its last iterate lies, and
			// does not show there at the start.
			start := pixelOf(tc.view, area, tc.start)
			ends := make([]image.Point, len(paths))
			for i, p := range paths {
				ends[i] = pixelOf(tc.view, area, p[len(p)-1])
			}
			for i, end := range ends {
				for _, later := range ends[i+1:] {
					if pixelDistance(end, later) < 12 {
						t.Fatalf("test case: runs end %g px apart, too close to tell their heads apart", pixelDistance(end, later))
					}
				}
				if !end.In(area) {
					t.Fatalf("test case: run %d ends at %v, outside the plot %v", i, end, area)
				}
				want := pageRunColours[i]
				if got := last.RGBAAt(end.X, end.Y); got != want {
					t.Errorf("last frame: run %d's last iterate at %v is %v, want its colour %v", i, end, got, want)
				}
				if pixelDistance(end, start) > 12 {
					if got := first.RGBAAt(end.X, end.Y); got == want {
						t.Errorf("first frame: run %d's colour already at its last iterate %v", i, end)
					}
				}
			}

			// The start marker: a dark ring around the start, 7 px across
			// at 640 px wide, outside the heads sitting on it.
			u := float64(tc.width) / 640
			for _, dir := range [][2]float64{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
				if !darkNear(first, start, dir, 7*u) {
					t.Errorf("first frame: no dark ring %.1f px from the start %v towards %v", 7*u, start, dir)
				}
			}
		})
	}
}

// darkNear reports whether a pixel within a pixel of the point r away from
// centre in direction dir is dark.
func darkNear(img *image.RGBA, centre image.Point, dir [2]float64, r float64) bool {
	cx, cy := float64(centre.X)+0.5+dir[0]*r, float64(centre.Y)+0.5+dir[1]*r
	for y := int(cy) - 1; y <= int(cy)+1; y++ {
		for x := int(cx) - 1; x <= int(cx)+1; x++ {
			c := img.RGBAAt(x, y)
			if int(c.R)+int(c.G)+int(c.B) < 3*80 {
				return true
			}
		}
	}
	return false
}

// TestAnimationRunsAsAPIRun checks that a GIF draws exactly the paths that
// POST /api/run returns for the run its page shows.
func TestAnimationRunsAsAPIRun(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, tc := range []struct {
		name, query, run string
	}{
		{
			"plain runs in the page's order",
			"surface=ravine&steps=120&opt=adam(lr=0.05)&opt=sgd",
			`{"surface": "ravine", "steps": 120, "optimizers": [{"name": "sgd"}, {"name": "adam", "lr": 0.05}]}`,
		},
		{
			"a continuation",
			"surface=rastrigin&start=3.2,2.1&steps=90&opt=momentum(lr=0.002,stages=3,sigma0=1.5)",
			`{"surface": "rastrigin", "start": [3.2, 2.1], "steps": 90, "optimizers": [{"name": "momentum", "lr": 0.002, "continuation": {"sigma0": 1.5, "stages": 3}}]}`,
		},
		{
			// The page sends no batch off least-squares, whatever its link says.
			"batch left out off least-squares",
			"surface=bowl&steps=40&opt=sgd(batch=4,noise=0.5)",
			`{"surface": "bowl", "steps": 40, "optimizers": [{"name": "sgd", "noise": 0.5}]}`,
		},
		{
			"minibatches on least-squares",
			"surface=least-squares&normalize=true&steps=60&opt=sgd(batch=8,seed=3)",
			`{"surface": "least-squares", "normalize": true, "steps": 60, "optimizers": [{"name": "sgd", "batch": 8, "seed": 3}]}`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want := apiPaths(t, srv, tc.run)
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			a, err := parseAnimation(q)
			if err != nil {
				t.Fatalf("parseAnimation: %v", err)
			}
			runs, err := a.run.trajectories(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) != len(want) {
				t.Fatalf("%d runs, /api/run has %d", len(runs), len(want))
			}
			for i, r := range runs {
				if len(r.path) != len(want[i]) {
					t.Fatalf("run %d (%s): %d iterates, /api/run has %d", i, r.name, len(r.path), len(want[i]))
				}
				for k, p := range r.path {
					if p[0] != want[i][k][0] || p[1] != want[i][k][1] {
						t.Fatalf("run %d (%s), iterate %d: %v, /api/run has %v", i, r.name, k, p, want[i][k])
					}
				}
			}
		})
	}
}

func TestAnimationRefusesBadState(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, tc := range []struct {
		name, query, field string
	}{
		{"unknown surface", "surface=nowhere", "surface"},
		{"unknown optimizer", "opt=sgd&opt=nope", "opt[1]"},
		{"bad parameter", "opt=sgd(lr=-1)", "opt[0]"},
		{"optimizer twice", "opt=sgd&opt=sgd", "opt[1]"},
		{"bad start", "start=1,2,3", "start"},
		{"no steps", "steps=0", "steps"},
		{"typo in the expression", "surface=custom&expr=x%5E%5E2", "expr"},
		{"a cloud of starts", "starts=100,normal,0.5,1", "starts"},
		{"too narrow", "width=100", "width"},
		{"too wide", "width=5000", "width"},
		{"width not a number", "width=wide", "width"},
		{"too much work", "steps=100000&opt=sgd&opt=momentum&opt=adam", "steps"},
		{"a sliver of a view", "surface=custom&expr=x%5E2&view=-1,1,-0.01,0.01", "view"},
		{"batch larger than the data", "surface=least-squares&opt=sgd(batch=100000)", "batch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, body := getAnimation(t, srv, tc.query)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %.200q", resp.StatusCode, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q, want application/json", ct)
			}
			var e struct {
				Error string `json:"error"`
			}
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("body %s: %v", body, err)
			}
			if !strings.HasPrefix(e.Error, tc.field) && !strings.Contains(e.Error, " "+tc.field) {
				t.Errorf("message %q does not name %s", e.Error, tc.field)
			}
		})
	}
}

// TestAnimationOddStates checks that states at the edges of what the page
// allows still give a GIF.
func TestAnimationOddStates(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, tc := range []struct {
		name, query string
		frames      int // 0: any
	}{
		{"defaults", "", 120},
		{"smallest", "width=240&steps=1", 2},
		{"largest", "width=1280&steps=3&opt=newton", 0},
		{"a start far outside the view", "start=1000000,-1000000&steps=20", 0},
		{"undefined everywhere", "surface=custom&expr=log(-1-x%5E2)", 1},
		{"diverging", "surface=custom&expr=-x%5E2-y%5E2&view=-1,1,-1,1&steps=200&opt=sgd(lr=10)", 0},
		{"a tiny view", "surface=custom&expr=x%5E2%2By%5E2&view=-1e-300,1e-300,-1e-300,1e-300&start=1e-300,0&steps=5", 0},
		{"a tall view", "surface=custom&expr=x%5E2%2By%5E2&view=-0.5,0.5,-10,10&steps=50", 0},
		{"every colour", "surface=himmelblau&steps=30&opt=sgd&opt=momentum&opt=nesterov&opt=adagrad&opt=rmsprop&opt=adam&opt=newton&opt=bfgs", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, body := getAnimation(t, srv, tc.query)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			g, _, _ := playGIF(t, body)
			if tc.frames != 0 && len(g.Image) != tc.frames {
				t.Errorf("%d frames, want %d", len(g.Image), tc.frames)
			}
		})
	}
}

func TestFrameIterations(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 2, 7, 119, 120, 121, 201, 100001} {
		ks := frameIterations(n)
		if want := min(max(n, 1), 120); len(ks) != want {
			t.Errorf("frameIterations(%d) has %d frames, want %d", n, len(ks), want)
		}
		if ks[0] != 0 || n > 0 && ks[len(ks)-1] != n-1 {
			t.Errorf("frameIterations(%d) runs %d … %d, want 0 … %d", n, ks[0], ks[len(ks)-1], max(n-1, 0))
		}
		for f := 1; f < len(ks); f++ {
			if ks[f] <= ks[f-1] {
				t.Fatalf("frameIterations(%d): frame %d shows %d after %d", n, f, ks[f], ks[f-1])
			}
		}
	}
}

func TestFrameDelay(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ frames, want int }{
		{1, 5}, {2, 50}, {9, 50}, {11, 40}, {41, 10}, {81, 5}, {120, 5},
	} {
		if got := frameDelayFor(tc.frames); got != tc.want {
			t.Errorf("frameDelayFor(%d) = %d, want %d", tc.frames, got, tc.want)
		}
	}
}

// BenchmarkAnimationGIF renders the GIF of a 200-step run of two optimizers,
// the page's default length, through the handler.
func BenchmarkAnimationGIF(b *testing.B) {
	s := NewServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	h := http.HandlerFunc(s.handleAnimation)
	size := 0
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/animation.gif?surface=rosenbrock&start=-1.2,1&steps=200&opt=sgd(lr=0.001)&opt=momentum(lr=0.001)", nil))
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
		size = w.Body.Len()
	}
	b.ReportMetric(float64(size), "gif-bytes")
}
