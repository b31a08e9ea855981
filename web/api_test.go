package web

import (
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// newTestServer starts the real handler on a loopback port.
func newTestServer(tb testing.TB) *httptest.Server {
	tb.Helper()
	return newTestServerFor(tb, NewServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
}

func newTestServerFor(tb testing.TB, s *Server) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(s)
	tb.Cleanup(srv.Close)
	return srv
}

// postRun posts body to /api/run and returns the status code and raw body.
func postRun(tb testing.TB, srv *httptest.Server, body string) (int, []byte) {
	tb.Helper()
	resp, err := http.Post(srv.URL+"/api/run", "application/json", strings.NewReader(body))
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

func getJSON(tb testing.TB, url string, v any) {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: status %d", url, resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		tb.Fatalf("GET %s: Content-Type %q", url, ct)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
}

func TestSurfacesEndpoint(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	var got []struct {
		Name    string      `json:"name"`
		Formula string      `json:"formula"`
		View    [4]float64  `json:"view"`
		Start   [2]float64  `json:"start"`
		Minima  [][]float64 `json:"minima"`
	}
	getJSON(t, srv.URL+"/api/surfaces", &got)
	want := []string{"bowl", "ravine", "rotated-ravine", "saddle", "rosenbrock", "beale", "himmelblau", "rastrigin", "six-hump-camel", "coupled", "deep-linear"}
	if len(got) != len(surfaces.Names()) || len(got) < len(want) {
		t.Fatalf("got %d surfaces, want the %d of the catalogue, the pinned %d first", len(got), len(surfaces.Names()), len(want))
	}
	for i, s := range got {
		if i < len(want) && s.Name != want[i] {
			t.Errorf("surface %d is %q, want %q", i, s.Name, want[i])
		}
		if s.Formula == "" || s.Minima == nil {
			t.Errorf("%s: formula %q, minima %v: both must be present", s.Name, s.Formula, s.Minima)
		}
	}
	rosen := got[4]
	if rosen.View != [4]float64{-2, 2, -1, 3} || rosen.Start != [2]float64{-1.2, 1} {
		t.Errorf("rosenbrock view %v start %v", rosen.View, rosen.Start)
	}
	if len(rosen.Minima) != 1 || rosen.Minima[0][0] != 1 || rosen.Minima[0][1] != 1 {
		t.Errorf("rosenbrock minima %v, want [[1 1]]", rosen.Minima)
	}
}

func TestOptimizersEndpoint(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	type param struct {
		Name     string   `json:"name"`
		Kind     string   `json:"kind"`
		Default  any      `json:"default"`
		Min      *float64 `json:"min"`
		Max      *float64 `json:"max"`
		Choices  []string `json:"choices"`
		Advanced bool     `json:"advanced"`
	}
	var got []struct {
		Name   string  `json:"name"`
		Rule   string  `json:"rule"`
		Params []param `json:"params"`
	}
	getJSON(t, srv.URL+"/api/optimizers", &got)
	// The pinned optimizers of the foundation with their pinned defaults;
	// knobs (advanced parameters) are checked only for consistency.
	pinned := map[string]map[string]float64{
		"sgd":      {"lr": 0.01},
		"momentum": {"lr": 0.01, "momentum": 0.9},
		"nesterov": {"lr": 0.01, "momentum": 0.9},
		"adagrad":  {"lr": 0.01, "eps": 1e-7},
		"rmsprop":  {"lr": 0.001, "rho": 0.9, "eps": 1e-6},
		"adam":     {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
		"newton":   {"alpha": 0},
	}
	if len(got) != len(engine.Methods()) {
		t.Fatalf("got %d optimizers, the engine has %d", len(got), len(engine.Methods()))
	}
	seen := 0
	for _, o := range got {
		if o.Rule == "" {
			t.Errorf("%s has no update rule", o.Name)
		}
		want, isPinned := pinned[o.Name]
		basic := 0
		for _, p := range o.Params {
			switch p.Kind {
			case "number", "integer":
				d, ok := p.Default.(float64)
				if !ok || p.Min == nil || p.Max == nil || !(*p.Min <= d && d <= *p.Max) {
					t.Errorf("%s.%s: default %v outside [%v, %v]", o.Name, p.Name, p.Default, p.Min, p.Max)
				}
			case "boolean":
				if _, ok := p.Default.(bool); !ok {
					t.Errorf("%s.%s: boolean with default %v", o.Name, p.Name, p.Default)
				}
			case "choice":
				d, _ := p.Default.(string)
				if !slices.Contains(p.Choices, d) {
					t.Errorf("%s.%s: default %v is not one of %v", o.Name, p.Name, p.Default, p.Choices)
				}
			default:
				t.Errorf("%s.%s: unknown kind %q", o.Name, p.Name, p.Kind)
			}
			if !isPinned || p.Advanced {
				continue
			}
			basic++
			if d, ok := want[p.Name]; !ok || d != p.Default {
				t.Errorf("%s.%s: default %v, want %g (pinned: %v)", o.Name, p.Name, p.Default, d, ok)
			}
		}
		if isPinned {
			seen++
			if basic != len(want) {
				t.Errorf("%s: %d parameters besides the knobs, want %d", o.Name, basic, len(want))
			}
		}
	}
	if seen != len(pinned) {
		t.Errorf("found %d of the %d pinned optimizers", seen, len(pinned))
	}
}

type runReply struct {
	Surface string `json:"surface"`
	Runs    []struct {
		Name    string            `json:"name"`
		Params  map[string]any    `json:"params"`
		Path    [][2]float64      `json:"path"`
		Loss    []float64         `json:"loss"`
		Average [][2]float64      `json:"average"`
		Evals   [][3]float64      `json:"evals"`
		Trace   []json.RawMessage `json:"trace"`
		Stages  []stageStart      `json:"stages"`
		Status  string            `json:"status"`
	} `json:"runs"`
}

func TestRunMatchesEngine(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	code, body := postRun(t, srv, `{"surface": "rosenbrock", "start": [-1.2, 1], "steps": 500,
		"optimizers": [{"name": "adam", "lr": 0.01}, {"name": "sgd"}, {"name": "newton"}]}`)
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	var got runReply
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Surface != "rosenbrock" || len(got.Runs) != 3 {
		t.Fatalf("surface %q with %d runs", got.Surface, len(got.Runs))
	}
	rosen, _ := surfaces.Lookup("rosenbrock")
	for i, tc := range []struct {
		name   string
		params engine.Params
	}{
		{"adam", engine.Params{"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}},
		{"sgd", engine.Params{"lr": 0.01}},
		{"newton", engine.Params{"alpha": 0.0}},
	} {
		r := got.Runs[i]
		if r.Name != tc.name {
			t.Fatalf("run %d is %q, want %q (request order)", i, r.Name, tc.name)
		}
		for k, v := range tc.params {
			if r.Params[k] != v {
				t.Errorf("%s: resolved %s = %g, want %g", r.Name, k, r.Params[k], v)
			}
		}
		m, _ := engine.LookupMethod(tc.name)
		opt, _, err := m.New(tc.params)
		if err != nil {
			t.Fatal(err)
		}
		want := engine.Run(rosen, opt, surfaces.Point{-1.2, 1}, engine.Limits{Steps: 500, Tol: engine.DefaultTol})
		if string(want.Status) != r.Status {
			t.Errorf("%s: status %q, want %q", r.Name, r.Status, want.Status)
		}
		if len(r.Path) != len(want.Path) || len(r.Loss) != len(r.Path) {
			t.Fatalf("%s: %d points and %d losses, want %d of each", r.Name, len(r.Path), len(r.Loss), len(want.Path))
		}
		for k := range want.Path {
			// JSON numbers round-trip float64 exactly.
			if r.Path[k] != [2]float64(want.Path[k]) || r.Loss[k] != want.Loss[k] {
				t.Fatalf("%s: point %d is %v (loss %g), want %v (loss %g)", r.Name, k, r.Path[k], r.Loss[k], want.Path[k], want.Loss[k])
			}
		}
	}
	if got.Runs[2].Status != "converged" {
		t.Errorf("newton on rosenbrock: status %q, want converged", got.Runs[2].Status)
	}
}

func TestRunDefaults(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	code, body := postRun(t, srv, `{"surface": "ravine", "tol": 0, "optimizers": [{"name": "momentum"}]}`)
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	var got runReply
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	r := got.Runs[0]
	if len(r.Path) != engine.DefaultSteps+1 || r.Status != "max_steps" {
		t.Errorf("%d points with status %q, want %d points and max_steps", len(r.Path), r.Status, engine.DefaultSteps+1)
	}
	if r.Path[0] != [2]float64{-4.5, 1.5} {
		t.Errorf("path[0] = %v, want the ravine's default start (-4.5, 1.5)", r.Path[0])
	}
	if r.Params["lr"] != 0.01 || r.Params["momentum"] != 0.9 {
		t.Errorf("resolved params %v, want the defaults", r.Params)
	}
}

func TestRunDivergedHasOnlyFiniteNumbers(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	code, body := postRun(t, srv, `{"surface": "rosenbrock", "steps": 1000, "optimizers": [{"name": "sgd", "lr": 0.1}]}`)
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	var got runReply
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	r := got.Runs[0]
	if r.Status != "diverged" {
		t.Fatalf("status %q, want diverged", r.Status)
	}
	for k, p := range r.Path {
		if math.Abs(p[0]) > engine.DivergenceBound || math.Abs(p[1]) > engine.DivergenceBound || math.IsInf(r.Loss[k], 0) {
			t.Errorf("point %d = %v with loss %g is past the bound", k, p, r.Loss[k])
		}
	}
}

func TestRunBadInput(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, tc := range []struct {
		name, body string
		want       []string // substrings of the error
	}{
		{"malformed", `{"surface": "bowl",`, []string{"malformed JSON"}},
		{"empty", ``, []string{"empty request"}},
		{"not an object", `[1, 2]`, []string{"expected a JSON object"}},
		{"trailing data", `{"surface": "bowl", "optimizers": [{"name": "sgd"}]} {}`, []string{"unexpected data"}},
		{"unknown field", `{"surface": "bowl", "speed": 3, "optimizers": [{"name": "sgd"}]}`, []string{"speed", "unknown field", "optimizers"}},
		{"missing surface", `{"optimizers": [{"name": "sgd"}]}`, []string{"surface", "required", "rosenbrock"}},
		{"unknown surface", `{"surface": "banana", "optimizers": [{"name": "sgd"}]}`, []string{"surface", "banana", "rosenbrock"}},
		{"surface not a string", `{"surface": 3, "optimizers": [{"name": "sgd"}]}`, []string{"surface", "string"}},
		{"start too short", `{"surface": "bowl", "start": [1], "optimizers": [{"name": "sgd"}]}`, []string{"start"}},
		{"start not numbers", `{"surface": "bowl", "start": ["a", 1], "optimizers": [{"name": "sgd"}]}`, []string{"start", "two numbers"}},
		{"start too far", `{"surface": "bowl", "start": [2e6, 0], "optimizers": [{"name": "sgd"}]}`, []string{"start[0]", "1e+06"}},
		{"steps too many", `{"surface": "bowl", "steps": 100001, "optimizers": [{"name": "sgd"}]}`, []string{"steps", "100000"}},
		{"steps zero", `{"surface": "bowl", "steps": 0, "optimizers": [{"name": "sgd"}]}`, []string{"steps", "1 to 100000"}},
		{"steps fractional", `{"surface": "bowl", "steps": 2.5, "optimizers": [{"name": "sgd"}]}`, []string{"steps", "whole number"}},
		{"tol negative", `{"surface": "bowl", "tol": -1, "optimizers": [{"name": "sgd"}]}`, []string{"tol", "between 0 and 1"}},
		{"no optimizers", `{"surface": "bowl", "optimizers": []}`, []string{"optimizers", "1 to 8"}},
		{"too many optimizers", `{"surface": "bowl", "optimizers": [` + strings.Repeat(`{"name": "sgd"},`, 8) + `{"name": "sgd"}]}`, []string{"optimizers", "1 to 8", "got 9"}},
		{"optimizer without name", `{"surface": "bowl", "optimizers": [{"lr": 0.1}]}`, []string{"optimizers[0].name", "required", "adam"}},
		{"unknown optimizer", `{"surface": "bowl", "optimizers": [{"name": "sgd"}, {"name": "adamax"}]}`, []string{"optimizers[1].name", "adamax", "rmsprop"}},
		{"unknown parameter", `{"surface": "bowl", "optimizers": [{"name": "sgd", "momentum": 0.9}]}`, []string{"optimizers[0].momentum", "unknown parameter", "lr"}},
		{"parameter out of range", `{"surface": "bowl", "optimizers": [{"name": "adam", "beta1": 1.5}]}`, []string{"optimizers[0].beta1", "between 0 and"}},
		{"parameter not a number", `{"surface": "bowl", "optimizers": [{"name": "sgd", "lr": "fast"}]}`, []string{"optimizers[0].lr", "must be a number"}},
		{"parameter null", `{"surface": "bowl", "optimizers": [{"name": "sgd", "lr": null}]}`, []string{"optimizers[0].lr", "must be a number", "got null"}},
		{"parameter overflows", `{"surface": "bowl", "optimizers": [{"name": "sgd", "lr": 1e999}]}`, []string{"optimizers[0].lr", "must be a finite number"}},
		{"knob on the wrong optimizer", `{"surface": "bowl", "optimizers": [{"name": "sgd", "bias_correction": false}]}`, []string{"optimizers[0].bias_correction", "unknown parameter", "schedule"}},
		{"clip on newton", `{"surface": "bowl", "optimizers": [{"name": "newton", "clip": 1}]}`, []string{"optimizers[0].clip", "unknown parameter", "alpha"}},
		{"boolean as string", `{"surface": "bowl", "optimizers": [{"name": "adam", "bias_correction": "no"}]}`, []string{"optimizers[0].bias_correction", "true or false", `"no"`}},
		{"unknown choice", `{"surface": "bowl", "optimizers": [{"name": "cg", "variant": "fast"}]}`, []string{"optimizers[0].variant", `"fletcher-reeves"`, `"polak-ribiere"`, `got "fast"`}},
		{"unknown schedule", `{"surface": "bowl", "optimizers": [{"name": "adam", "schedule": "cubic"}]}`, []string{"optimizers[0].schedule", `"cosine"`}},
		{"fractional integer", `{"surface": "bowl", "optimizers": [{"name": "lbfgs", "memory": 2.5}]}`, []string{"optimizers[0].memory", "whole number"}},
		{"integer out of range", `{"surface": "bowl", "optimizers": [{"name": "adam", "decay_steps": 0}]}`, []string{"optimizers[0].decay_steps", "between 1 and"}},
		{"trace not a boolean", `{"surface": "bowl", "trace": 1, "optimizers": [{"name": "sgd"}]}`, []string{"trace"}},
		{"batch off least-squares", `{"surface": "bowl", "optimizers": [{"name": "sgd", "batch": 8}]}`, []string{"optimizers[0].batch", "only on least-squares"}},
		{"batch too large", `{"surface": "least-squares", "optimizers": [{"name": "sgd"}, {"name": "adam", "batch": 65}]}`, []string{"optimizers[1].batch", "at most the 64 examples"}},
		{"batch with continuation", `{"surface": "least-squares", "optimizers": [{"name": "sgd", "batch": 4, "continuation": {"sigma0": 1, "stages": 3}}]}`, []string{"optimizers[0].batch", "not with continuation"}},
		{"parameter an array", `{"surface": "bowl", "optimizers": [{"name": "sgd", "lr": [1]}]}`, []string{"optimizers[0].lr", "must be a number", "got an array"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, body := postRun(t, srv, tc.body)
			checkRefusal(t, code, body, tc.want...)
		})
	}
}

func TestRunBodyTooLarge(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	body := `{"surface": "bowl", "optimizers": [{"name": "sgd"}], "pad": "` + strings.Repeat("x", maxBodyBytes) + `"}`
	code, data := postRun(t, srv, body)
	if code != http.StatusRequestEntityTooLarge || !strings.Contains(string(data), "64 KiB") {
		t.Fatalf("status %d: %s", code, data)
	}
}

func TestHealthAndErrors(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, tc := range []struct {
		method, path string
		code         int
	}{
		{"GET", "/healthz", http.StatusOK},
		{"GET", "/nowhere", http.StatusNotFound},
		{"GET", "/api/run", http.StatusMethodNotAllowed},
		{"GET", "/?surface=banana", http.StatusOK}, // the page opens and says what it could not read
		{"GET", "/plot?surface=bowl&start=1", http.StatusBadRequest},
		{"GET", "/plot?surface=bowl&start=1,2", http.StatusOK},
	} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.code {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.path, resp.StatusCode, tc.code)
		}
	}
}

func TestRunTraceAndAverage(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	code, body := postRun(t, srv, `{"surface": "bowl", "start": [1, -0.5], "steps": 4, "trace": true,
		"optimizers": [{"name": "sgd", "lr": 0.25, "average": "uniform"}, {"name": "newton"}]}`)
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	var got struct {
		Runs []struct {
			Path    [][2]float64 `json:"path"`
			Average [][2]float64 `json:"average"`
			Trace   []struct {
				Gradient [2]float64      `json:"gradient"`
				Step     *[2]float64     `json:"step"`
				State    json.RawMessage `json:"state"`
			} `json:"trace"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	sgd := got.Runs[0]
	// On x² + y² with lr 0.25 every step halves θ: (1, -0.5), (0.5, -0.25), …
	if len(sgd.Path) != 5 || len(sgd.Trace) != 5 || len(sgd.Average) != 5 {
		t.Fatalf("%d points, %d trace entries, %d averages; want 5 of each", len(sgd.Path), len(sgd.Trace), len(sgd.Average))
	}
	var sum [2]float64
	for k, p := range sgd.Path {
		if want := [2]float64{math.Ldexp(1, -k), -math.Ldexp(1, -k-1)}; p != want {
			t.Errorf("path[%d] = %v, want %v", k, p, want)
		}
		tr := sgd.Trace[k]
		if tr.Gradient != [2]float64{2 * p[0], 2 * p[1]} {
			t.Errorf("trace[%d].gradient = %v, want ∇f = 2θ = %v", k, tr.Gradient, [2]float64{2 * p[0], 2 * p[1]})
		}
		if k < 4 && (tr.Step == nil || *tr.Step != [2]float64{sgd.Path[k+1][0] - p[0], sgd.Path[k+1][1] - p[1]}) {
			t.Errorf("trace[%d].step = %v, want the difference to the next iterate", k, tr.Step)
		}
		sum[0], sum[1] = sum[0]+p[0], sum[1]+p[1]
		if want := [2]float64{sum[0] / float64(k+1), sum[1] / float64(k+1)}; sgd.Average[k] != want {
			t.Errorf("average[%d] = %v, want the mean of the first %d iterates %v", k, sgd.Average[k], k+1, want)
		}
	}
	if sgd.Trace[4].Step != nil {
		t.Errorf("the last iterate has a step %v", *sgd.Trace[4].Step)
	}
	newton := got.Runs[1]
	if len(newton.Trace) != 2 || !strings.Contains(string(newton.Trace[0].State), `"eigenvalues":[2,2]`) {
		t.Errorf("newton's trace %s lacks the bowl's eigenvalues [2, 2]", newton.Trace[0].State)
	}
	if newton.Average != nil {
		t.Errorf("newton without averaging has averages %v", newton.Average)
	}
}

func TestRunManyStarts(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	code, body := postRun(t, srv, `{"surface": "deep-linear", "start": [0.1, 0.2], "steps": 50,
		"starts": {"n": 5, "distribution": "uniform", "scale": 0.3, "seed": 3},
		"optimizers": [{"name": "sgd", "lr": 0.1}, {"name": "adam", "lr": 0.05}]}`)
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	var got runReply
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	starts := engine.StartCloud{N: 5, Distribution: "uniform", Scale: 0.3, Center: surfaces.Point{0.1, 0.2}, Seed: 3}.Points()
	if len(got.Runs) != 10 {
		t.Fatalf("%d runs, want 2 optimizers × 5 starts", len(got.Runs))
	}
	f, _ := surfaces.Lookup("deep-linear")
	for i, r := range got.Runs {
		wantName := []string{"sgd", "adam"}[i/5]
		start := starts[i%5]
		if r.Name != wantName || r.Path[0] != [2]float64(start) {
			t.Errorf("run %d is %s from %v, want %s from %v (optimizer-major)", i, r.Name, r.Path[0], wantName, start)
		}
		m, _ := engine.LookupMethod(r.Name)
		opt, _, err := m.New(map[string]any{"lr": r.Params["lr"]})
		if err != nil {
			t.Fatal(err)
		}
		want := engine.Run(f.TwiceDifferentiable, opt, start, engine.Limits{Steps: 50, Tol: engine.DefaultTol})
		if len(want.Path) != len(r.Path) || [2]float64(want.Path[len(want.Path)-1]) != r.Path[len(r.Path)-1] {
			t.Errorf("run %d does not match the engine's run from its start", i)
		}
	}
	for _, tc := range []struct {
		starts string
		want   string
	}{
		{`{}`, "starts.n: required"},
		{`{"n": 501}`, "from 1 to 500"},
		{`{"n": 5, "distribution": "cauchy"}`, `starts.distribution: must be "normal" or "uniform"`},
		{`{"n": 5, "scale": -1}`, "starts.scale"},
		{`{"n": 5, "center": [1]}`, "starts.center"},
		{`{"n": 5, "spread": 2}`, "spread: unknown field"},
		{`{"n": "five"}`, "starts.n"},
		{`{"n": 500, "seed": 1}`, "more than the limit"},
	} {
		code, body := postRun(t, srv, `{"surface": "bowl", "steps": 100000, "starts": `+tc.starts+`, "optimizers": [{"name": "sgd"}]}`)
		var e struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(body, &e)
		if code != http.StatusBadRequest || !strings.Contains(e.Error, tc.want) {
			t.Errorf("starts %s: %d %s, want 400 mentioning %q", tc.starts, code, body, tc.want)
		}
	}
}

// checkRefusal checks that a request was refused with 400 and an error
// message mentioning each of want.
func checkRefusal(tb testing.TB, code int, body []byte, want ...string) {
	tb.Helper()
	if code != http.StatusBadRequest {
		tb.Fatalf("status %d, want 400: %s", code, body)
	}
	var e struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		tb.Fatalf("error body %q: %v", body, err)
	}
	for _, w := range want {
		if !strings.Contains(e.Error, w) {
			tb.Errorf("error %q does not mention %q", e.Error, w)
		}
	}
}
