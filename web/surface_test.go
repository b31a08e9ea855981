package web

import (
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestCustomSurfaceMatchesBuiltin pins that a function typed by hand runs
// exactly like the catalogue surface it spells out.
func TestCustomSurfaceMatchesBuiltin(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, tc := range []struct {
		name, expr string
	}{
		{"rosenbrock", "(1-x)^2 + 100*(y-x^2)^2"},
		{"himmelblau", "(x^2+y-11)^2 + (x+y^2-7)^2"},
		{"rastrigin", "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := `"start": [-1.2, 1], "steps": 400, "optimizers": [{"name": "adam", "lr": 0.02}, {"name": "newton-ls"}, {"name": "momentum", "lr": 0.0005}]`
			run := func(surface string) runReply {
				code, body := postRun(t, srv, "{"+surface+", "+opts+"}")
				if code != http.StatusOK {
					t.Fatalf("%s: %d %s", surface, code, body)
				}
				var r runReply
				if err := json.Unmarshal(body, &r); err != nil {
					t.Fatal(err)
				}
				return r
			}
			exprJSON, _ := json.Marshal(tc.expr)
			builtin := run(`"surface": "` + tc.name + `"`)
			typed := run(`"surface": "custom", "expr": ` + string(exprJSON) + `, "view": [-5, 5, -5, 5]`)
			for i := range builtin.Runs {
				b, c := builtin.Runs[i], typed.Runs[i]
				if len(b.Path) != len(c.Path) || b.Status != c.Status {
					t.Fatalf("%s: built-in %d points %s, typed %d points %s", b.Name, len(b.Path), b.Status, len(c.Path), c.Status)
				}
				for k := range b.Path {
					for j := range 2 {
						if d := math.Abs(b.Path[k][j] - c.Path[k][j]); d > 1e-9*math.Max(1, math.Abs(b.Path[k][j])) {
							t.Fatalf("%s: iterate %d differs by %g: %v against %v", b.Name, k, d, b.Path[k], c.Path[k])
						}
					}
				}
			}
		})
	}
}

func TestCustomSurfaceErrors(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, tc := range []struct {
		fields string
		want   string
	}{
		{`"surface": "custom"`, "expr: required"},
		{`"surface": "custom", "expr": "(x + 2*y"`, "expr: expected ')' at column"},
		{`"surface": "custom", "expr": "sine(x) + y^2"`, "unknown function 'sine' (did you mean sin?)"},
		{`"surface": "custom", "expr": "x^2 + z^2"`, "unknown variable 'z'"},
		{`"surface": "custom", "expr": "` + strings.Repeat("x+", 251) + `x"`, "expr: "},
		{`"surface": "custom", "expr": "x^2", "view": [1, 2, 3]`, "view: must be [xmin, xmax, ymin, ymax]"},
		{`"surface": "custom", "expr": "x^2", "view": [2, 1, 0, 1]`, "view: "},
		{`"surface": "bowl", "expr": "x^2"`, `expr: only with "surface": "custom"`},
		{`"surface": "bowl", "view": [1, 0, 0, 1]`, `view: want xmin < xmax and ymin < ymax`},
		{`"surface": "bowl", "normalize": true`, `normalize: only with "surface": "least-squares"`},
		{`"surface": "custom", "expr": 3`, "expr: must be a string"},
	} {
		code, body := postRun(t, srv, `{`+tc.fields+`, "optimizers": [{"name": "sgd"}]}`)
		var e struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(body, &e)
		if code != http.StatusBadRequest || !strings.Contains(e.Error, tc.want) {
			t.Errorf("%s: %d %q, want 400 containing %q", tc.fields, code, e.Error, tc.want)
		}
	}
}

// TestCustomSurfaceDomainError checks that a run that leaves the domain of
// its function (log of a negative number) stops as diverged, with only
// finite numbers, and the server goes on.
func TestCustomSurfaceDomainError(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	code, body := postRun(t, srv, `{"surface": "custom", "expr": "log(x) + y^2", "start": [1, 1], "steps": 100,
		"optimizers": [{"name": "sgd", "lr": 0.5}]}`)
	if code != http.StatusOK {
		t.Fatalf("%d %s", code, body)
	}
	var r runReply
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	if r.Runs[0].Status != "diverged" {
		t.Errorf("status %q, want diverged", r.Runs[0].Status)
	}
	for _, p := range r.Runs[0].Path {
		if !(p[0] > 0) {
			t.Errorf("iterate %v outside the domain of log(x) was kept", p)
		}
	}
}

func TestLeastSquaresNormalize(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	// Normalised, a learning rate of 0.05 crosses the bowl; the raw problem's
	// steep side cannot take it.
	steps := func(normalize bool) runReply {
		body := `{"surface": "least-squares", "normalize": ` + map[bool]string{true: "true", false: "false"}[normalize] +
			`, "steps": 2000, "optimizers": [{"name": "sgd", "lr": 0.05}]}`
		code, data := postRun(t, srv, body)
		if code != http.StatusOK {
			t.Fatalf("%d %s", code, data)
		}
		var r runReply
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	raw, norm := steps(false), steps(true)
	if norm.Runs[0].Status != "converged" || raw.Runs[0].Status != "diverged" {
		t.Errorf("normalised: %s after %d iterates; raw: %s after %d; want converged and diverged",
			norm.Runs[0].Status, len(norm.Runs[0].Path), raw.Runs[0].Status, len(raw.Runs[0].Path))
	}
}

func TestPlotCustomSurface(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	get := func(q url.Values) (int, string) {
		resp, err := http.Get(srv.URL + "/plot?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	code, body := get(url.Values{"surface": {"custom"}, "expr": {"x^4 - x^2 + y^2"}, "view": {"-2,2,-1,1"}})
	if code != http.StatusOK || !strings.Contains(body, `data-view="-2 2 -1 1"`) || !strings.Contains(body, `data-surface="custom"`) {
		t.Fatalf("%d %.300s", code, body)
	}
	code, body = get(url.Values{"surface": {"custom"}, "expr": {"x^4 - sine(y)"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "did you mean sin?") {
		t.Errorf("bad expression: %d %s", code, body)
	}
	code, body = get(url.Values{"surface": {"least-squares"}, "normalize": {"true"}})
	if code != http.StatusOK || !strings.Contains(body, "standardised") {
		t.Errorf("normalised least squares: %d %.200s", code, body)
	}
}

func TestLeastSquaresMinibatches(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	body := `{"surface": "least-squares", "normalize": true, "steps": 300, "tol": 0,
		"optimizers": [{"name": "sgd", "lr": 0.1, "batch": 4, "seed": 9}, {"name": "sgd", "lr": 0.1}]}`
	run := func() runReply {
		code, data := postRun(t, srv, body)
		if code != http.StatusOK {
			t.Fatalf("%d %s", code, data)
		}
		var r runReply
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	a, b := run(), run()
	mini, full := a.Runs[0], a.Runs[1]
	for k := range mini.Path {
		if mini.Path[k] != b.Runs[0].Path[k] {
			t.Fatalf("the same seed gave a different iterate %d", k)
		}
	}
	// Minibatch noise keeps the run jittering around the minimum that the
	// full-batch run settles on.
	last := len(full.Path) - 1
	if mini.Path[last] == full.Path[last] || mini.Loss[last] <= full.Loss[last] {
		t.Errorf("minibatch run ends at %v (loss %g), full batch at %v (loss %g): want the minibatch run above the minimum",
			mini.Path[last], mini.Loss[last], full.Path[last], full.Loss[last])
	}
}

// TestContinuationRun pins the chapter's continuation lesson through the
// API: on rastrigin from its default start, adam with continuation ends at
// the global minimum, where plain adam sticks in a local one.
func TestContinuationRun(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	code, body := postRun(t, srv, `{"surface": "rastrigin", "steps": 600, "optimizers": [
		{"name": "adam", "lr": 0.05, "continuation": {"sigma0": 0.5, "stages": 2}}, {"name": "adam", "lr": 0.05}]}`)
	if code != http.StatusOK {
		t.Fatalf("%d %s", code, body)
	}
	var got struct {
		Runs []struct {
			Path   [][2]float64 `json:"path"`
			Stages []stageStart `json:"stages"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	cont, plain := got.Runs[0], got.Runs[1]
	end := func(p [][2]float64) float64 { return math.Hypot(p[len(p)-1][0], p[len(p)-1][1]) }
	if end(cont.Path) > 0.05 || end(plain.Path) < 0.5 {
		t.Errorf("continuation ends %.3g from the global minimum, plain %.3g; want < 0.05 and > 0.5", end(cont.Path), end(plain.Path))
	}
	if want := []stageStart{{0, 0.5}, {300, 0}}; len(cont.Stages) != 2 || cont.Stages[0] != want[0] || cont.Stages[1].Sigma != 0 || cont.Stages[1].From > 300 {
		t.Errorf("stages %v, want σ = 0.5 from 0, then the surface itself from 300 or sooner", cont.Stages)
	}
	if plain.Stages != nil {
		t.Errorf("a plain run has stages %v", plain.Stages)
	}
	for _, tc := range []struct{ cont, want string }{
		{`{"sigma0": 0, "stages": 2}`, "continuation.sigma0: must be above 0 and at most 3"},
		{`{"sigma0": 1, "stages": 0}`, "continuation.stages: must be a whole number from 1 to 20"},
		{`{"sigma0": 1, "stages": 21}`, "continuation.stages"},
		{`{"sigma": 1, "stages": 2}`, "continuation: must be an object"},
		{`2`, "continuation: must be an object"},
	} {
		code, body := postRun(t, srv, `{"surface": "rastrigin", "optimizers": [{"name": "adam", "continuation": `+tc.cont+`}]}`)
		var e struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(body, &e)
		if code != http.StatusBadRequest || !strings.Contains(e.Error, "optimizers[0]."+tc.want) {
			t.Errorf("continuation %s: %d %q, want 400 with %q", tc.cont, code, e.Error, tc.want)
		}
	}
}

func TestPlotBlurred(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	levels := func(q string) (int, string) {
		resp, err := http.Get(srv.URL + "/plot?" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	code, plain := levels("surface=rastrigin")
	code2, blurred := levels("surface=rastrigin&sigma=1")
	if code != 200 || code2 != 200 {
		t.Fatalf("status %d and %d", code, code2)
	}
	// Blurred by σ = 1, rastrigin's ripples (amplitude 10·e^(−2π²) ≈ 3e-8)
	// vanish, leaving the bowl x² + y² + 22: far fewer contour pieces.
	if strings.Count(blurred, "M") >= strings.Count(plain, "M")/5 {
		t.Errorf("blurred plot has %d path pieces, plain %d: the ripples were not smoothed", strings.Count(blurred, "M"), strings.Count(plain, "M"))
	}
	if code, _ := levels("surface=rastrigin&sigma=4"); code != http.StatusBadRequest {
		t.Errorf("sigma 4: status %d, want 400", code)
	}
}
