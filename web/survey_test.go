package web

import (
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
	"saddlepoint/survey"
)

// postTo posts body to path and returns the status code and raw body.
func postTo(tb testing.TB, srv *httptest.Server, path, body string) (int, []byte) {
	tb.Helper()
	resp, err := http.Post(srv.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp.StatusCode, data
}

// postOK posts body to path, expects 200 and decodes the answer into v.
func postOK(tb testing.TB, srv *httptest.Server, path, body string, v any) {
	tb.Helper()
	code, data := postTo(tb, srv, path, body)
	if code != http.StatusOK {
		tb.Fatalf("POST %s: status %d: %s", path, code, data)
	}
	if err := json.Unmarshal(data, v); err != nil {
		tb.Fatalf("POST %s: %v in %s", path, err, data)
	}
}

// directRun is engine.Run of one optimizer from start with the given
// parameters, and its last iterate.
func directRun(tb testing.TB, surface, optimizer string, params engine.Params, start surfaces.Point, limits engine.Limits) (engine.Result, int) {
	tb.Helper()
	s, ok := surfaces.Lookup(surface)
	if !ok {
		tb.Fatalf("no surface %q", surface)
	}
	m, _ := engine.LookupMethod(optimizer)
	opt, _, err := m.New(params)
	if err != nil {
		tb.Fatal(err)
	}
	r := engine.Run(s.TwiceDifferentiable, opt, start, limits)
	return r, len(r.Path) - 1
}

type basinsReply struct {
	Surface    string         `json:"surface"`
	Optimizer  string         `json:"optimizer"`
	Params     map[string]any `json:"params"`
	View       [4]float64     `json:"view"`
	Resolution int            `json:"resolution"`
	Minima     [][2]float64   `json:"minima"`
	Known      int            `json:"known"`
	Radius     float64        `json:"radius"`
	Basin      []int          `json:"basin"`
	Steps      []int          `json:"steps"`
}

func TestBasinsEndpoint(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, tc := range []struct {
		name, body string
		minima     [][2]float64 // want, with known of them the surface's
		known      int
		all        *int // the basin of every start, if they share one
	}{
		{"bowl", `{"surface": "bowl", "optimizer": {"name": "sgd", "lr": 0.25}, "resolution": 8}`, [][2]float64{{0, 0}}, 1, everywhere(0)},
		{"sgd lr 10 diverges", `{"surface": "bowl", "optimizer": {"name": "sgd", "lr": 10}, "resolution": 8}`, [][2]float64{{0, 0}}, 1, everywhere(-1)},
		{"too few steps", `{"surface": "rosenbrock", "optimizer": {"name": "adam"}, "steps": 3, "resolution": 8}`, [][2]float64{{1, 1}}, 1, everywhere(-2)},
		// The saddle has no minimum: newton jumps to the saddle point,
		// where the gradient vanishes, which becomes a cluster of its own.
		{"saddle", `{"surface": "saddle", "optimizer": {"name": "newton"}, "resolution": 6}`, [][2]float64{{0, 0}}, 0, everywhere(0)},
		{"himmelblau", `{"surface": "himmelblau", "optimizer": {"name": "newton-ls"}, "steps": 100, "resolution": 32}`, nil, 4, nil},
		// A typed function has no known minima: the two wells are found as
		// clusters, the left one first since the grid starts bottom left.
		{"custom", `{"surface": "custom", "expr": "(x^2 - 1)^2 + y^2", "view": [-2, 2, -1, 1],
			"optimizer": {"name": "sgd", "lr": 0.05}, "steps": 2000, "resolution": 8}`, [][2]float64{{-1, 0}, {1, 0}}, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got basinsReply
			postOK(t, srv, "/api/basins", tc.body, &got)
			s, ok := surfaces.Lookup(got.Surface)
			if !ok { // custom
				s.View = surfaces.View{XMin: -2, XMax: 2, YMin: -1, YMax: 1}
			}
			n := got.Resolution
			view := [4]float64{s.View.XMin, s.View.XMax, s.View.YMin, s.View.YMax}
			if got.View != view || len(got.Basin) != n*n || len(got.Steps) != n*n {
				t.Fatalf("view %v with %d basins and %d steps at resolution %d, want %v and %d² of each", got.View, len(got.Basin), len(got.Steps), n, view, n)
			}
			near := func(p, q [2]float64) bool { return math.Hypot(p[0]-q[0], p[1]-q[1]) < 1e-6 }
			if tc.minima != nil && !slices.EqualFunc(got.Minima, tc.minima, near) || got.Known != tc.known {
				t.Errorf("minima %v (%d known), want %v (%d known)", got.Minima, got.Known, tc.minima, tc.known)
			}
			for k, b := range got.Basin {
				if tc.all != nil && b != *tc.all {
					t.Fatalf("start %d is in basin %d, want %d", k, b, *tc.all)
				}
			}
			if tc.known == 0 && tc.all == nil {
				// Each well's half of the view: columns 0–3 and 4–7.
				for k, b := range got.Basin {
					if want := (k % n) / (n / 2); b != want {
						t.Errorf("start %d is in basin %d, want %d", k, b, want)
					}
				}
			}
			if tc.all == nil {
				for i, p := range s.Minima {
					// The cell holding the minimum, and the one on its left.
					col := int((p[0] - s.View.XMin) / (s.View.XMax - s.View.XMin) * float64(n))
					row := int((p[1] - s.View.YMin) / (s.View.YMax - s.View.YMin) * float64(n))
					if k := row*n + col; got.Basin[k] != i || got.Basin[k-1] != i {
						t.Errorf("the cells %d and %d at minimum %d %v are in basins %d and %d", k, k-1, i, p, got.Basin[k], got.Basin[k-1])
					}
				}
			}
		})
	}
}

// everywhere is the basin of every start.
func everywhere(basin int) *int { return &basin }

// The starts are the cells' centres, row-major from the lower-left corner,
// and each cell's steps are those of engine.Run from there.
func TestBasinsGrid(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	var got basinsReply
	postOK(t, srv, "/api/basins", `{"surface": "rosenbrock", "optimizer": {"name": "adam", "lr": 0.05}, "steps": 3000, "tol": 1e-6, "resolution": 4}`, &got)
	// Rosenbrock's view is [-2, 2] × [-1, 3]: cells 1 wide, centres at -1.5, -0.5, 0.5, 1.5 and -0.5, 0.5, 1.5, 2.5.
	for k, start := range map[int]surfaces.Point{0: {-1.5, -0.5}, 1: {-0.5, -0.5}, 3: {1.5, -0.5}, 4: {-1.5, 0.5}, 15: {1.5, 2.5}} {
		want, last := directRun(t, "rosenbrock", "adam", engine.Params{"lr": 0.05}, start, engine.Limits{Steps: 3000, Tol: 1e-6})
		if got.Steps[k] != last || (want.Status == engine.Converged) != (got.Basin[k] == 0) {
			t.Errorf("start %d: %d steps in basin %d, engine.Run from %v: %d steps, %s", k, got.Steps[k], got.Basin[k], start, last, want.Status)
		}
	}
	if !slices.Contains(got.Basin, 0) {
		t.Error("no start converged: the test proves little")
	}
}

type sweepReply struct {
	Optimizer string         `json:"optimizer"`
	Params    map[string]any `json:"params"`
	Start     [2]float64     `json:"start"`
	X         struct {
		Param  string    `json:"param"`
		Scale  string    `json:"scale"`
		Values []float64 `json:"values"`
	} `json:"x"`
	Y struct {
		Param  string    `json:"param"`
		Scale  string    `json:"scale"`
		Values []float64 `json:"values"`
	} `json:"y"`
	Loss   []float64 `json:"loss"`
	Status []string  `json:"status"`
	Steps  []int     `json:"steps"`
}

// Each cell of a sweep is what engine.Run gives for that pair of values,
// including the last finite loss of a diverged run.
func TestSweepEndpoint(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	var got sweepReply
	postOK(t, srv, "/api/sweep", `{"surface": "rosenbrock", "start": [-1, 2], "steps": 300,
		"optimizer": {"name": "momentum", "clip": 0},
		"x": {"param": "lr", "min": 1e-5, "max": 0.01, "n": 7, "scale": "log"},
		"y": {"param": "momentum", "min": 0, "max": 0.99, "n": 4}}`, &got)
	// As docs/api.md defines them: min·(max/min)^(i/(n−1)) and
	// min + i·(max − min)/(n − 1), the ends exact.
	lo, hi := 1e-5, 0.01 // variables: a constant quotient would be exact
	xs := []float64{lo, 0, 0, 0, 0, 0, hi}
	for i := 1; i < 6; i++ {
		xs[i] = lo * math.Pow(hi/lo, float64(i)/6)
	}
	ys := []float64{0, 0.99 / 3, 2 * 0.99 / 3, 0.99}
	if got.X.Param != "lr" || got.X.Scale != "log" || !slices.Equal(got.X.Values, xs) {
		t.Errorf("x %+v, want lr on a log scale %v", got.X, xs)
	}
	if got.Y.Param != "momentum" || got.Y.Scale != "linear" || !slices.Equal(got.Y.Values, ys) {
		t.Errorf("y %+v, want momentum on a linear scale %v", got.Y, ys)
	}
	if _, swept := got.Params["lr"]; swept || got.Params["clip"] != 0.0 || got.Start != [2]float64{-1, 2} {
		t.Errorf("params %v and start %v: want the fixed ones without the swept lr and momentum", got.Params, got.Start)
	}
	if len(got.Loss) != 28 || len(got.Status) != 28 || len(got.Steps) != 28 {
		t.Fatalf("%d losses, %d statuses, %d steps, want 7 × 4", len(got.Loss), len(got.Status), len(got.Steps))
	}
	if !slices.Contains(got.Status, "diverged") {
		t.Errorf("statuses %v: want diverged runs, to check their loss", got.Status)
	}
	for k := range got.Loss {
		i, j := k%7, k/7
		want, last := directRun(t, "rosenbrock", "momentum", engine.Params{"lr": xs[i], "momentum": ys[j]}, surfaces.Point{-1, 2}, engine.Limits{Steps: 300, Tol: engine.DefaultTol})
		if got.Loss[k] != want.Loss[last] || got.Status[k] != string(want.Status) || got.Steps[k] != last {
			t.Errorf("cell %d (lr %g, momentum %g): loss %g, %s after %d steps; engine.Run: %g, %s after %d",
				k, xs[i], ys[j], got.Loss[k], got.Status[k], got.Steps[k], want.Loss[last], want.Status, last)
		}
	}
}

func TestTuneEndpoint(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	var got struct {
		Surface    string    `json:"surface"`
		Grid       []float64 `json:"grid"`
		Optimizers []struct {
			Name   string         `json:"name"`
			Params map[string]any `json:"params"`
			Tuned  bool           `json:"tuned"`
			LR     *float64       `json:"lr"`
			Loss   *float64       `json:"loss"`
			Status string         `json:"status"`
			Steps  *int           `json:"steps"`
			Note   string         `json:"note"`
		} `json:"optimizers"`
	}
	postOK(t, srv, "/api/tune", `{"surface": "rosenbrock", "steps": 400, "trace": true,
		"optimizers": [{"name": "momentum", "momentum": 0.5}, {"name": "bfgs"}, {"name": "sgd"}]}`, &got)
	if !slices.Equal(got.Grid, survey.LRGrid()) || len(got.Optimizers) != 3 {
		t.Fatalf("grid %v and %d optimizers", got.Grid, len(got.Optimizers))
	}
	limits := engine.Limits{Steps: 400, Tol: engine.DefaultTol}
	rosen, _ := surfaces.Lookup("rosenbrock")
	for _, o := range []int{0, 2} {
		tuned := got.Optimizers[o]
		if !tuned.Tuned || tuned.LR == nil || tuned.Loss == nil || tuned.Steps == nil || tuned.Params["lr"] != *tuned.LR {
			t.Fatalf("%s: %+v, want a tuned lr in its params", tuned.Name, tuned)
		}
		if tuned.Status == "diverged" {
			t.Errorf("%s: the chosen lr %g diverged", tuned.Name, *tuned.LR)
		}
		best := slices.Index(got.Grid, *tuned.LR)
		if best < 0 {
			t.Fatalf("%s: lr %g is not on the grid", tuned.Name, *tuned.LR)
		}
		// The chosen run, its neighbours on the grid, and the ends.
		for _, k := range []int{0, best - 1, best, best + 1, len(got.Grid) - 1} {
			if k < 0 || k >= len(got.Grid) {
				continue
			}
			params := engine.Params{"lr": got.Grid[k]}
			if tuned.Name == "momentum" {
				params["momentum"] = 0.5
			}
			want, last := directRun(t, "rosenbrock", tuned.Name, params, rosen.Start, limits)
			if k == best && (want.Loss[last] != *tuned.Loss || string(want.Status) != tuned.Status || last != *tuned.Steps) {
				t.Errorf("%s at lr %g: loss %g, %s after %d steps; engine.Run: %g, %s after %d", tuned.Name, got.Grid[k], *tuned.Loss, tuned.Status, *tuned.Steps, want.Loss[last], want.Status, last)
			}
			if want.Status != engine.Diverged && want.Loss[last] < *tuned.Loss {
				t.Errorf("%s: lr %g ends at %g, below the chosen lr %g's %g", tuned.Name, got.Grid[k], want.Loss[last], *tuned.LR, *tuned.Loss)
			}
		}
	}
	if got.Optimizers[0].Params["momentum"] != 0.5 {
		t.Errorf("momentum's other parameters %v, want them as requested", got.Optimizers[0].Params)
	}
	bfgs := got.Optimizers[1]
	if bfgs.Name != "bfgs" || bfgs.Tuned || bfgs.LR != nil || !strings.Contains(bfgs.Note, "no learning rate") || bfgs.Params == nil {
		t.Errorf("bfgs: %+v, want it untuned with a note", bfgs)
	}
}

func TestSurveyBadInput(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	const (
		opt   = `"optimizer": {"name": "adam"}`
		lrX   = `"x": {"param": "lr", "min": 0.001, "max": 1, "n": 8, "scale": "log"}`
		betaY = `"y": {"param": "beta1", "min": 0, "max": 0.9, "n": 8}`
	)
	sweep := func(fields string) string { return `{"surface": "rosenbrock", ` + fields + `}` }
	for _, tc := range []struct {
		name, path, body string
		want             []string // substrings of the error
	}{
		{"basins unknown field", "/api/basins", `{"surface": "bowl", ` + opt + `, "start": [1, 1]}`, []string{"start", "unknown field", "resolution"}},
		{"basins no surface", "/api/basins", `{` + opt + `}`, []string{"surface", "required"}},
		{"basins unknown surface", "/api/basins", `{"surface": "banana", ` + opt + `}`, []string{"surface", "banana"}},
		{"basins no optimizer", "/api/basins", `{"surface": "bowl"}`, []string{"optimizer: required"}},
		{"basins optimizer list", "/api/basins", `{"surface": "bowl", "optimizer": [{"name": "adam"}]}`, []string{"optimizer: must be an object", "array"}},
		{"basins unknown optimizer", "/api/basins", `{"surface": "bowl", "optimizer": {"name": "adamax"}}`, []string{"optimizer.name", "adamax"}},
		{"basins bad parameter", "/api/basins", `{"surface": "bowl", "optimizer": {"name": "adam", "beta1": 2}}`, []string{"optimizer.beta1", "between 0 and 0.9999"}},
		{"basins resolution too large", "/api/basins", `{"surface": "bowl", ` + opt + `, "resolution": 257}`, []string{"resolution", "2 to 256", "257"}},
		{"basins resolution one", "/api/basins", `{"surface": "bowl", ` + opt + `, "resolution": 1}`, []string{"resolution", "2 to 256"}},
		{"basins resolution a string", "/api/basins", `{"surface": "bowl", ` + opt + `, "resolution": "high"}`, []string{"resolution", "whole number from 2 to 256"}},
		{"basins resolution fractional", "/api/basins", `{"surface": "bowl", ` + opt + `, "resolution": 2.5}`, []string{"resolution", "whole number"}},
		{"basins steps", "/api/basins", `{"surface": "bowl", ` + opt + `, "steps": 100001}`, []string{"steps", "1 to 100000"}},
		{"basins tol", "/api/basins", `{"surface": "bowl", ` + opt + `, "tol": 2}`, []string{"tol", "between 0 and 1"}},
		{"basins too much work", "/api/basins", `{"surface": "bowl", ` + opt + `, "resolution": 256, "steps": 1000}`, []string{"steps", "resolution² × steps", "33554432", "up to 512"}},

		{"sweep unknown field", "/api/sweep", sweep(opt + `, ` + lrX + `, ` + betaY + `, "z": {}`), []string{"z", "unknown field", "x, y"}},
		{"sweep no optimizer", "/api/sweep", sweep(lrX + `, ` + betaY), []string{"optimizer: required"}},
		{"sweep start", "/api/sweep", sweep(`"start": [1], ` + opt + `, ` + lrX + `, ` + betaY), []string{"start", "two numbers"}},
		{"sweep bad fixed parameter", "/api/sweep", sweep(`"optimizer": {"name": "adam", "lr": -1}, ` + lrX + `, ` + betaY), []string{"optimizer.lr", "between 0 and 100"}},
		{"sweep no x", "/api/sweep", sweep(opt + `, ` + betaY), []string{"x: required", `"param"`}},
		{"sweep null y", "/api/sweep", sweep(opt + `, ` + lrX + `, "y": null`), []string{"y: required"}},
		{"sweep axis a number", "/api/sweep", sweep(opt + `, "x": 3, ` + betaY), []string{"x: must be an object", "number"}},
		{"sweep axis unknown field", "/api/sweep", sweep(opt + `, "x": {"param": "lr", "min": 0.1, "max": 1, "n": 4, "steps": 3}, ` + betaY), []string{"x.steps", "unknown field", "param, min, max, n, scale"}},
		{"sweep axis without param", "/api/sweep", sweep(opt + `, "x": {"min": 0.1, "max": 1, "n": 4}, ` + betaY), []string{"x.param", "required", "beta2"}},
		{"sweep axis param a number", "/api/sweep", sweep(opt + `, "x": {"param": 3, "min": 0.1, "max": 1, "n": 4}, ` + betaY), []string{"x.param", "must be a string"}},
		{"sweep unknown param", "/api/sweep", sweep(opt + `, "x": {"param": "momentum", "min": 0.1, "max": 1, "n": 4}, ` + betaY), []string{"x.param", "momentum", "lr, beta1"}},
		{"sweep non-numeric param", "/api/sweep", sweep(opt + `, ` + lrX + `, "y": {"param": "bias_correction", "min": 0, "max": 1, "n": 2}`), []string{"y.param", "boolean", "only number and integer"}},
		{"sweep same param twice", "/api/sweep", sweep(opt + `, ` + lrX + `, "y": {"param": "lr", "min": 0.1, "max": 1, "n": 4}`), []string{"y.param", "already swept on x"}},
		{"sweep min out of range", "/api/sweep", sweep(opt + `, ` + lrX + `, "y": {"param": "beta1", "min": -1, "max": 0.9, "n": 4}`), []string{"y.min", "between 0 and 0.9999", "-1"}},
		{"sweep max out of range", "/api/sweep", sweep(opt + `, "x": {"param": "lr", "min": 0.1, "max": 1000, "n": 4}, ` + betaY), []string{"x.max", "between 0 and 100", "1000"}},
		{"sweep max below min", "/api/sweep", sweep(opt + `, "x": {"param": "lr", "min": 0.1, "max": 0.01, "n": 4}, ` + betaY), []string{"x.max", "greater than min"}},
		{"sweep min missing", "/api/sweep", sweep(opt + `, "x": {"param": "lr", "max": 0.01, "n": 4}, ` + betaY), []string{"x.min", "required"}},
		{"sweep min a string", "/api/sweep", sweep(opt + `, "x": {"param": "lr", "min": "low", "max": 0.01, "n": 4}, ` + betaY), []string{"x.min", "must be a number"}},
		{"sweep n too large", "/api/sweep", sweep(opt + `, ` + lrX + `, "y": {"param": "beta1", "min": 0, "max": 0.9, "n": 65}`), []string{"y.n", "2 to 64", "65"}},
		{"sweep n missing", "/api/sweep", sweep(opt + `, ` + lrX + `, "y": {"param": "beta1", "min": 0, "max": 0.9}`), []string{"y.n", "required"}},
		{"sweep n fractional", "/api/sweep", sweep(opt + `, ` + lrX + `, "y": {"param": "beta1", "min": 0, "max": 0.9, "n": 4.5}`), []string{"y.n", "whole number from 2 to 64"}},
		{"sweep log from zero", "/api/sweep", sweep(opt + `, "x": {"param": "lr", "min": 0, "max": 1, "n": 4, "scale": "log"}, ` + betaY), []string{"x.min", "greater than 0 on a log scale"}},
		{"sweep unknown scale", "/api/sweep", sweep(opt + `, "x": {"param": "lr", "min": 0.1, "max": 1, "n": 4, "scale": "cubic"}, ` + betaY), []string{"x.scale", `"linear" or "log"`, "cubic"}},
		{"sweep too much work", "/api/sweep", sweep(`"steps": 10000, ` + opt + `, "x": {"param": "lr", "min": 0.1, "max": 1, "n": 64}, "y": {"param": "beta1", "min": 0, "max": 0.9, "n": 64}`), []string{"steps", "x.n × y.n × steps", "33554432"}},
		{"sweep nothing to sweep", "/api/sweep", sweep(`"optimizer": {"name": "bfgs"}, ` + lrX + `, ` + betaY), []string{"x.param", "bfgs has no number or integer parameter"}},

		{"tune unknown field", "/api/tune", `{"surface": "bowl", "optimizers": [{"name": "adam"}], "grid": 3}`, []string{"grid", "unknown field"}},
		{"tune no optimizers", "/api/tune", `{"surface": "bowl", "optimizers": []}`, []string{"optimizers", "1 to 8"}},
		{"tune bad parameter", "/api/tune", `{"surface": "bowl", "optimizers": [{"name": "adam", "lr": 200}]}`, []string{"optimizers[0].lr", "between 0 and 100"}},
		{"tune many starts", "/api/tune", `{"surface": "bowl", "optimizers": [{"name": "adam"}], "starts": {"n": 10}}`, []string{"starts", "not allowed"}},
		{"basins custom without expr", "/api/basins", `{"surface": "custom", ` + opt + `}`, []string{"expr", "required"}},
		{"sweep with an upside-down view", "/api/sweep", sweep(`"view": [0, 1, 1, 0], ` + opt + `, ` + lrX + `, ` + betaY), []string{"view", "ymin < ymax"}},
		{"tune steps", "/api/tune", `{"surface": "bowl", "steps": 0, "optimizers": [{"name": "adam"}]}`, []string{"steps", "1 to 100000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, body := postTo(t, srv, tc.path, tc.body)
			checkRefusal(t, code, body, tc.want...)
		})
	}
}

func TestSurveyBodyTooLarge(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, path := range []string{"/api/basins", "/api/sweep", "/api/tune"} {
		body := `{"surface": "bowl", "pad": "` + strings.Repeat("x", maxBodyBytes) + `"}`
		if code, data := postTo(t, srv, path, body); code != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: status %d: %s", path, code, data)
		}
	}
}

// A continuation run's later stages use the cell's parameters too.
func TestSweepContinuation(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	var got sweepReply
	postOK(t, srv, "/api/sweep", `{"surface": "rastrigin", "steps": 300,
		"optimizer": {"name": "momentum", "continuation": {"sigma0": 1, "stages": 3}},
		"x": {"param": "lr", "min": 0.001, "max": 0.02, "n": 3, "scale": "log"},
		"y": {"param": "momentum", "min": 0, "max": 0.9, "n": 2}}`, &got)
	s, _ := surfaces.Lookup("rastrigin")
	m, _ := engine.LookupMethod("momentum")
	limits := engine.Limits{Steps: 300, Tol: engine.DefaultTol}
	for k := range got.Loss {
		params := engine.Params{"lr": got.X.Values[k%3], "momentum": got.Y.Values[k/3]}
		fresh := func() engine.Optimizer {
			opt, _, err := m.New(params)
			if err != nil {
				t.Fatal(err)
			}
			return opt
		}
		want := engine.Run(s.TwiceDifferentiable, fresh(), s.Start, limits, engine.WithContinuation(1, 3, fresh))
		last := len(want.Path) - 1
		if got.Loss[k] != want.Loss[last] || got.Status[k] != string(want.Status) || got.Steps[k] != last {
			t.Errorf("cell %d %v: loss %g, %s after %d steps; engine.Run with the continuation: %g, %s after %d",
				k, params, got.Loss[k], got.Status[k], got.Steps[k], want.Loss[last], want.Status, last)
		}
	}
}
