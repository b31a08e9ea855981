package engine_test

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// lineSearchMethods are the gonum-driven optimizers with each of their
// variants, as the tests below run them.
var lineSearchMethods = []struct {
	name   string
	method string
	params engine.Params
}{
	{"cg fletcher-reeves", "cg", engine.Params{"variant": "fletcher-reeves"}},
	{"cg polak-ribiere", "cg", engine.Params{"variant": "polak-ribiere"}},
	{"cg hestenes-stiefel", "cg", engine.Params{"variant": "hestenes-stiefel"}},
	{"bfgs", "bfgs", nil},
	{"lbfgs", "lbfgs", nil},
	{"newton-ls", "newton-ls", nil},
}

// The standard starts of the test functions, from which SciPy's counts
// below were taken.
var testFunctionStarts = []struct {
	surface string
	start   engine.Point
}{
	{"rosenbrock", engine.Point{-1.2, 1}},
	{"beale", engine.Point{1, 1.5}},
	{"himmelblau", engine.Point{0, 0}},
}

// TestLineSearchReachesMinimum runs each gonum-driven method from the standard
// start of each test function to ‖∇f‖ < 1e-8 and checks that it ends within
// 1e-6 of the minimiser in at most 1.5 times as many iterations as
// scipy.optimize.minimize takes for the same method, function, start and
// exact gradient, with gtol = 1e-8 (SciPy 1.10.1; the script and its output
// are in testdata/linesearch_scipy.py). SciPy's CG is Polak–Ribière, and its
// L-BFGS-B keeps 10 pairs to our 5. From (0, 0) on himmelblau every method
// but newton-ls finds the minimum at (3, 2). With gonum v0.17.0 the methods
// take, on rosenbrock, beale and himmelblau: cg fletcher-reeves 39, 16, 21;
// polak-ribiere 21, 14, 12; hestenes-stiefel 23, 11, 12; bfgs 39, 17, 12;
// lbfgs 36, 18, 12; newton-ls 21, 9, 7.
//
// Fletcher–Reeves is not SciPy's method, and on himmelblau it shows its
// known weakness: after a short step β = ‖g‖²/‖g₋‖² stays near 1, the
// direction barely turns, and the method crawls until gonum restarts it
// after 12 iterations, converging after 21. TestLineSearchMatchesMinimize
// shows that this is gonum's own count, so its bound there is twice SciPy's.
func TestLineSearchReachesMinimum(t *testing.T) {
	t.Parallel()
	type reach struct {
		surface string
		minimum engine.Point
		most    int // the most iterations allowed
	}
	rosenbrock, beale := engine.Point{1, 1}, engine.Point{3, 0.5}
	himmelblau := engine.Point{3, 2}
	// SciPy's iterations, bounded by 1.5 times them rounded down.
	bfgs := []reach{{"rosenbrock", rosenbrock, 34 * 3 / 2}, {"beale", beale, 19 * 3 / 2}, {"himmelblau", himmelblau, 12 * 3 / 2}}
	cg := []reach{{"rosenbrock", rosenbrock, 37 * 3 / 2}, {"beale", beale, 15 * 3 / 2}, {"himmelblau", himmelblau, 11 * 3 / 2}}
	lbfgs := []reach{{"rosenbrock", rosenbrock, 38 * 3 / 2}, {"beale", beale, 18 * 3 / 2}, {"himmelblau", himmelblau, 11 * 3 / 2}}
	fletcherReeves := []reach{cg[0], cg[1], {"himmelblau", himmelblau, 11 * 2}}
	// gonum's Newton has no SciPy counterpart (SciPy's Newton-CG solves the
	// Newton system inexactly), so its bounds are those of BFGS. From (0, 0)
	// on himmelblau it finds another minimum than the others.
	newton := []reach{bfgs[0], bfgs[1], {"himmelblau", engine.Point{3.5844283403304917, -1.8481265269644036}, 12 * 3 / 2}}
	reaches := map[string][]reach{
		"cg fletcher-reeves": fletcherReeves, "cg polak-ribiere": cg, "cg hestenes-stiefel": cg,
		"bfgs": bfgs, "lbfgs": lbfgs, "newton-ls": newton,
	}
	for _, m := range lineSearchMethods {
		for _, tt := range reaches[m.name] {
			t.Run(m.name+" "+tt.surface, func(t *testing.T) {
				t.Parallel()
				s := lookupSurface(t, tt.surface)
				start := startOf(t, tt.surface)
				limits := engine.Limits{Steps: 1000, Tol: 1e-8}
				r := engine.Run(s, newOptimizer(t, m.method, m.params), start, limits)
				checkRunRules(t, s, start, limits, r)
				last := r.Path[len(r.Path)-1]
				iterations := len(r.Path) - 1
				if r.Status != engine.Converged {
					t.Fatalf("status %s after %d iterations at %v, want converged", r.Status, iterations, last)
				}
				if d := math.Hypot(last[0]-tt.minimum[0], last[1]-tt.minimum[1]); d > 1e-6 {
					t.Errorf("ended at %v, %.3g from the minimiser %v; want within 1e-6", last, d, tt.minimum)
				}
				if iterations > tt.most {
					t.Errorf("took %d iterations, want at most %d", iterations, tt.most)
				}
			})
		}
	}
}

// startOf returns the standard start of a test function.
func startOf(tb testing.TB, surface string) engine.Point {
	tb.Helper()
	for _, s := range testFunctionStarts {
		if s.surface == surface {
			return s.start
		}
	}
	tb.Fatalf("no standard start for %s", surface)
	return engine.Point{}
}

// TestLineSearchMatchesMinimize checks that stepping a method one line
// search at a time gives exactly the major iterates that gonum's own
// optimize.Minimize gives with the same method left at its defaults, bit
// for bit: the settings the engine fills in explicitly are gonum's.
func TestLineSearchMatchesMinimize(t *testing.T) {
	t.Parallel()
	gonumMethod := map[string]func() optimize.Method{
		"cg fletcher-reeves":  func() optimize.Method { return &optimize.CG{Variant: &optimize.FletcherReeves{}} },
		"cg polak-ribiere":    func() optimize.Method { return &optimize.CG{Variant: &optimize.PolakRibierePolyak{}} },
		"cg hestenes-stiefel": func() optimize.Method { return &optimize.CG{} }, // gonum's default variant
		"bfgs":                func() optimize.Method { return &optimize.BFGS{} },
		"lbfgs":               func() optimize.Method { return &optimize.LBFGS{Store: 5} },
		"newton-ls":           func() optimize.Method { return &optimize.Newton{} },
	}
	for _, m := range lineSearchMethods {
		for _, s := range testFunctionStarts {
			t.Run(m.name+" "+s.surface, func(t *testing.T) {
				t.Parallel()
				f := lookupSurface(t, s.surface)
				want := minimizePath(t, f, s.start, gonumMethod[m.name]())
				r := engine.Run(f, newOptimizer(t, m.method, m.params), s.start, engine.Limits{Steps: 1000, Tol: 1e-8})
				if len(r.Path) > len(want) {
					t.Fatalf("%d iterates, gonum's Minimize gave only %d", len(r.Path), len(want))
				}
				for k, p := range r.Path {
					if p != want[k] {
						t.Fatalf("iterate %d = %v, gonum's Minimize gives %v", k, p, want[k])
					}
				}
			})
		}
	}
}

// minimizePath returns the major iterates of optimize.Minimize of f from
// start, the start first, until gonum's own convergence test stops it.
func minimizePath(tb testing.TB, f surfaces.TwiceDifferentiable, start engine.Point, method optimize.Method) []engine.Point {
	tb.Helper()
	at := func(x []float64) engine.Point { return engine.Point{x[0], x[1]} }
	problem := optimize.Problem{
		Func: func(x []float64) float64 { return f.Value(at(x)) },
		Grad: func(grad, x []float64) {
			g := f.Gradient(at(x))
			copy(grad, g[:])
		},
		Hess: func(hess *mat.SymDense, x []float64) {
			h := f.Hessian(at(x))
			hess.SetSym(0, 0, h.XX)
			hess.SetSym(0, 1, h.XY)
			hess.SetSym(1, 1, h.YY)
		},
	}
	rec := &majorRecorder{}
	settings := &optimize.Settings{Recorder: rec, Converger: optimize.NeverTerminate{}, MajorIterations: 1000}
	if _, err := optimize.Minimize(problem, start[:], settings, method); err != nil {
		tb.Fatalf("optimize.Minimize: %v", err)
	}
	return rec.path
}

// majorRecorder is an optimize.Recorder that keeps the major iterates.
type majorRecorder struct{ path []engine.Point }

func (r *majorRecorder) Init() error { return nil }

func (r *majorRecorder) Record(loc *optimize.Location, op optimize.Operation, _ *optimize.Stats) error {
	if op == optimize.MajorIteration {
		r.path = append(r.path, engine.Point{loc.X[0], loc.X[1]}) // loc.X is reused
	}
	return nil
}

// stepped is one Step of an optimizer, called directly, with what it showed.
type stepped struct {
	from, to engine.Point
	probes   []engine.Point
	state    engine.State
}

// stepDirectly takes up to n steps of opt over f from start as the run loop
// would, stopping early when ‖∇f‖ < 1e-8 or a step fails, and records each.
func stepDirectly(tb testing.TB, f surfaces.Function, opt engine.Optimizer, start engine.Point, n int) []stepped {
	tb.Helper()
	var steps []stepped
	theta := start
	for range n {
		g := f.Gradient(theta)
		if math.Hypot(g[0], g[1]) < 1e-8 {
			break
		}
		next, err := opt.Step(f, theta, g)
		if err != nil {
			break
		}
		s := stepped{from: theta, to: next}
		if p, ok := opt.(engine.Prober); ok {
			s.probes = append([]engine.Point(nil), p.Probes()...)
		}
		if st, ok := opt.(engine.Stater); ok {
			s.state = st.State()
		}
		steps = append(steps, s)
		theta = next
	}
	return steps
}

// TestLineSearchProbes checks the trial points each line search reports:
// finite, never the start of the step nor the point it accepted, each
// reported once however many evaluations it took there, and on the ray from
// the start along the direction State reports, as is the accepted point.
// Some line searches accept their first trial, but not all of them, so a
// run must report some probes.
func TestLineSearchProbes(t *testing.T) {
	t.Parallel()
	for _, m := range lineSearchMethods {
		for _, s := range testFunctionStarts {
			t.Run(m.name+" "+s.surface, func(t *testing.T) {
				t.Parallel()
				f := lookupSurface(t, s.surface)
				steps := stepDirectly(t, f, newOptimizer(t, m.method, m.params), s.start, 100)
				if len(steps) == 0 {
					t.Fatal("no step was taken")
				}
				total := 0
				for k, st := range steps {
					if st.state.Direction == nil {
						t.Fatalf("step %d: State has no direction", k)
					}
					d := *st.state.Direction
					checkOnRay(t, k, "accepted point", st.from, d, st.to)
					for j, p := range st.probes {
						if !finite(p[0]) || !finite(p[1]) {
							t.Errorf("step %d: probe %v is not finite", k, p)
						}
						if j > 0 && p == st.probes[j-1] {
							t.Errorf("step %d: probe %v reported twice in a row", k, p)
						}
						if p == st.from || p == st.to {
							t.Errorf("step %d from %v to %v: probe %v is an end of the step", k, st.from, st.to, p)
						}
						checkOnRay(t, k, "probe", st.from, d, p)
					}
					total += len(st.probes)
				}
				if total == 0 {
					t.Error("no probes in the whole run")
				}
			})
		}
	}
}

// checkOnRay checks that p = from + α·d for some α > 0, to rounding.
func checkOnRay(tb testing.TB, k int, what string, from, d, p engine.Point) {
	tb.Helper()
	v := engine.Point{p[0] - from[0], p[1] - from[1]}
	nd, nv := math.Hypot(d[0], d[1]), math.Hypot(v[0], v[1])
	cross := v[0]*d[1] - v[1]*d[0]
	dot := v[0]*d[0] + v[1]*d[1]
	scale := math.Max(math.Abs(from[0]), math.Abs(from[1])) + nv
	if math.Abs(cross) > 1e-12*nd*scale || dot <= 0 {
		tb.Errorf("step %d: %s %v is not on the ray from %v along %v (cross %g, dot %g)", k, what, p, from, d, cross, dot)
	}
}

// TestLineSearchState checks what each method shows of itself against what
// it must be: d = −M·g with BFGS's M; d = −g + β·d₋ for CG, with β = 0
// on the first step and on a restart; for newton-ls the Hessian at θ, its
// eigen-decomposition, and d = −H⁻¹·g wherever H is positive definite.
func TestLineSearchState(t *testing.T) {
	t.Parallel()
	for _, m := range lineSearchMethods {
		for _, s := range testFunctionStarts {
			t.Run(m.name+" "+s.surface, func(t *testing.T) {
				t.Parallel()
				f := lookupSurface(t, s.surface)
				steps := stepDirectly(t, f, newOptimizer(t, m.method, m.params), s.start, 100)
				for k, st := range steps {
					g := f.Gradient(st.from)
					d := *st.state.Direction
					switch m.method {
					case "bfgs":
						h := st.state.InverseHessian
						if h == nil {
							t.Fatalf("step %d: no inverse Hessian", k)
						}
						want := engine.Point{-(h.XX*g[0] + h.XY*g[1]), -(h.XY*g[0] + h.YY*g[1])}
						checkVector(t, k, "d = −M·g", d, want, 1e-10)
						if h.XX <= 0 || h.XX*h.YY-h.XY*h.XY <= 0 {
							t.Errorf("step %d: M = %+v is not positive definite", k, *h)
						}
					case "cg":
						if st.state.Beta == nil {
							t.Fatalf("step %d: no β", k)
						}
						beta := *st.state.Beta
						want := engine.Point{-g[0], -g[1]}
						if k == 0 {
							if beta != 0 {
								t.Errorf("step 0: β = %g, want 0", beta)
							}
						} else {
							prev := *steps[k-1].state.Direction
							want[0] += beta * prev[0]
							want[1] += beta * prev[1]
						}
						checkVector(t, k, "d = −g + β·d₋", d, want, 1e-12)
					case "newton-ls":
						checkNewtonState(t, k, f, st.from, g, st.state)
					case "lbfgs":
						if dot := d[0]*g[0] + d[1]*g[1]; !(dot < 0) {
							t.Errorf("step %d: d = %v is not a descent direction for g = %v", k, d, g)
						}
					}
				}
			})
		}
	}
}

func checkNewtonState(tb testing.TB, k int, f surfaces.TwiceDifferentiable, theta, g engine.Point, st engine.State) {
	tb.Helper()
	if st.Hessian == nil || st.Eigenvalues == nil || st.Eigenvectors == nil {
		tb.Fatalf("step %d: State %+v lacks the Hessian or its eigen-decomposition", k, st)
	}
	h := *st.Hessian
	if want := f.Hessian(theta); h != want {
		tb.Errorf("step %d: Hessian %+v, want ∇²f(θ) = %+v", k, h, want)
	}
	vals, vecs := *st.Eigenvalues, *st.Eigenvectors
	if vals[0] > vals[1] {
		tb.Errorf("step %d: eigenvalues %v are not ascending", k, vals)
	}
	for j, v := range vecs {
		hv := engine.Point{h.XX*v[0] + h.XY*v[1], h.XY*v[0] + h.YY*v[1]}
		checkVector(tb, k, "H·v = λ·v", hv, engine.Point{vals[j] * v[0], vals[j] * v[1]}, 1e-10)
		if n := math.Hypot(v[0], v[1]); math.Abs(n-1) > 1e-12 {
			tb.Errorf("step %d: eigenvector %v has length %g", k, v, n)
		}
	}
	if vals[0] > 0 {
		det := h.XX*h.YY - h.XY*h.XY
		want := engine.Point{-(h.YY*g[0] - h.XY*g[1]) / det, -(h.XX*g[1] - h.XY*g[0]) / det}
		checkVector(tb, k, "d = −H⁻¹·g", *st.Direction, want, 1e-9)
	}
}

// checkVector compares got to want, relative to the length of want.
func checkVector(tb testing.TB, k int, what string, got, want engine.Point, rel float64) {
	tb.Helper()
	scale := math.Max(math.Hypot(want[0], want[1]), 1e-300)
	if math.Hypot(got[0]-want[0], got[1]-want[1]) > rel*scale {
		tb.Errorf("step %d: %s: got %v, want %v", k, what, got, want)
	}
}

// TestCGRestart checks the restart parameter: with restart = 1 every
// direction is −g, which is gradient descent with a line search, and with
// restart = 3 the method restarts at least every third iteration.
func TestCGRestart(t *testing.T) {
	t.Parallel()
	f := lookupSurface(t, "rosenbrock")
	for _, restart := range []float64{1, 3} {
		steps := stepDirectly(t, f, newOptimizer(t, "cg", engine.Params{"restart": restart}), engine.Point{-1.2, 1}, 30)
		if len(steps) < 10 {
			t.Fatalf("restart %g: only %d steps", restart, len(steps))
		}
		sinceRestart := 0
		for k, st := range steps {
			if *st.state.Beta == 0 {
				sinceRestart = 0
				continue
			}
			sinceRestart++
			if sinceRestart >= int(restart) {
				t.Errorf("restart %g: step %d has β = %g, %d steps after the last restart", restart, k, *st.state.Beta, sinceRestart)
			}
		}
	}
	// The default keeps β ≠ 0 on most steps.
	conjugate := 0
	for _, st := range stepDirectly(t, f, newOptimizer(t, "cg", nil), engine.Point{-1.2, 1}, 30) {
		if *st.state.Beta != 0 {
			conjugate++
		}
	}
	if conjugate < 15 {
		t.Errorf("default restart: only %d of 30 steps had β ≠ 0", conjugate)
	}
}

// TestNewtonLSLeavesSaddle checks the point of gonum's modified Newton
// method: where the pure Newton step goes straight to the saddle point of
// x² − y², newton-ls adds τ to H's diagonal until it is positive definite,
// which makes its direction a descent direction that moves away from the
// saddle along y. Since f falls without bound along y, the line search runs
// off the plane and the run ends as diverged, never near the saddle.
func TestNewtonLSLeavesSaddle(t *testing.T) {
	t.Parallel()
	s := lookupSurface(t, "saddle")
	for _, start := range []engine.Point{s.Start, {1, 1}, {-0.5, -0.1}, {1e-3, 1e-6}} {
		pure := engine.Run(s, newOptimizer(t, "newton", nil), start, engine.Limits{Steps: 10, Tol: 1e-8})
		if last := pure.Path[len(pure.Path)-1]; pure.Status != engine.Converged || last != (engine.Point{}) {
			t.Fatalf("from %v: pure newton ends %s at %v, want converged at the saddle (0, 0)", start, pure.Status, last)
		}

		r := engine.Run(s, newOptimizer(t, "newton-ls", nil), start, engine.Limits{Steps: 100, Tol: 1e-8})
		if r.Status != engine.Diverged {
			t.Errorf("from %v: newton-ls ends %s at %v, want diverged", start, r.Status, r.Path[len(r.Path)-1])
		}
		for _, p := range r.Path {
			if math.Abs(p[1]) < math.Abs(start[1]) {
				t.Errorf("from %v: iterate %v is closer to the saddle's y = 0", start, p)
			}
		}

		// The first direction goes downhill and away from y = 0, whether or
		// not its line search stays on the plane.
		opt := newOptimizer(t, "newton-ls", nil)
		g := s.Gradient(start)
		if _, err := opt.Step(s, start, g); errors.Is(err, engine.ErrStalled) {
			t.Errorf("from %v: step error %v; a line search that runs away is no stall", start, err)
		}
		d := *opt.(engine.Stater).State().Direction
		if d[0]*g[0]+d[1]*g[1] >= 0 || d[1]*start[1] <= 0 {
			t.Errorf("from %v: direction %v, want a descent direction away from y = 0", start, d)
		}
	}
}

// TestLineSearchDeterministic runs every method twice and wants the same
// iterates and probes, bit for bit.
func TestLineSearchDeterministic(t *testing.T) {
	t.Parallel()
	for _, m := range lineSearchMethods {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			f := lookupSurface(t, "rosenbrock")
			a := stepDirectly(t, f, newOptimizer(t, m.method, m.params), engine.Point{-1.2, 1}, 100)
			b := stepDirectly(t, f, newOptimizer(t, m.method, m.params), engine.Point{-1.2, 1}, 100)
			if len(a) != len(b) {
				t.Fatalf("%d steps, then %d", len(a), len(b))
			}
			for k := range a {
				if a[k].to != b[k].to || len(a[k].probes) != len(b[k].probes) {
					t.Fatalf("step %d: %v with %d probes, then %v with %d", k, a[k].to, len(a[k].probes), b[k].to, len(b[k].probes))
				}
				for i := range a[k].probes {
					if a[k].probes[i] != b[k].probes[i] {
						t.Fatalf("step %d probe %d: %v, then %v", k, i, a[k].probes[i], b[k].probes[i])
					}
				}
			}
		})
	}
}

// TestLineSearchRestartsFromGivenPoint checks that a Step from a point other
// than the one the last Step returned starts the method afresh there.
func TestLineSearchRestartsFromGivenPoint(t *testing.T) {
	t.Parallel()
	f := lookupSurface(t, "rosenbrock")
	for _, m := range lineSearchMethods {
		opt := newOptimizer(t, m.method, m.params)
		stepDirectly(t, f, opt, engine.Point{-1.2, 1}, 5)
		from := engine.Point{0.5, -0.5}
		got, err := opt.Step(f, from, f.Gradient(from))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := newOptimizer(t, m.method, m.params).Step(f, from, f.Gradient(from))
		if got != want {
			t.Errorf("%s: step from %v = %v, want %v as a fresh optimizer gives", m.name, from, got, want)
		}
	}
}

// TestNewtonLSNeedsHessian checks that a function without a Hessian makes
// Step fail rather than panic.
func TestNewtonLSNeedsHessian(t *testing.T) {
	t.Parallel()
	f := plane{3, -4}
	if _, err := newOptimizer(t, "newton-ls", nil).Step(f, engine.Point{1, 1}, f.Gradient(engine.Point{1, 1})); err == nil {
		t.Fatal("Step on a function without a Hessian succeeded, want an error")
	}
}

// TestLineSearchStalls checks that a line search that cannot improve ends
// the run as stalled: at the exact minimum of the bowl, −g = 0 is no descent
// direction.
func TestLineSearchStalls(t *testing.T) {
	t.Parallel()
	for _, m := range lineSearchMethods {
		opt := newOptimizer(t, m.method, m.params)
		_, err := opt.Step(&surfaces.Bowl{}, engine.Point{}, engine.Point{})
		if !errors.Is(err, engine.ErrStalled) {
			t.Errorf("%s: step from the minimum gives error %v, want one wrapping ErrStalled", m.name, err)
		}
	}
}

// TestLineSearchParams checks the parameters of cg and lbfgs.
func TestLineSearchParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method string
		given  engine.Params
		param  string // the parameter the error must name, or "" for none
	}{
		{"cg", engine.Params{"variant": "polak-ribiere", "restart": 5}, ""},
		{"cg", engine.Params{"variant": "hestenes-stiefel"}, ""},
		{"cg", engine.Params{"variant": "dai-yuan"}, "variant"},
		{"cg", engine.Params{"variant": "Fletcher-Reeves"}, "variant"},
		{"cg", engine.Params{"variant": 1.0}, "variant"},
		{"cg", engine.Params{"restart": -1}, "restart"},
		{"cg", engine.Params{"restart": 2.5}, "restart"},
		{"cg", engine.Params{"restart": 1001}, "restart"},
		{"cg", engine.Params{"memory": 5}, "memory"},
		{"lbfgs", engine.Params{"memory": 1}, ""},
		{"lbfgs", engine.Params{"memory": 100}, ""},
		{"lbfgs", engine.Params{"memory": 0}, "memory"},
		{"lbfgs", engine.Params{"memory": 2.5}, "memory"},
		{"lbfgs", engine.Params{"memory": 101}, "memory"},
		{"lbfgs", engine.Params{"memory": "5"}, "memory"},
		{"bfgs", engine.Params{"memory": 5}, "memory"},
		{"newton-ls", engine.Params{"alpha": 1}, "alpha"},
	}
	for _, tt := range tests {
		m, _ := engine.LookupMethod(tt.method)
		_, err := m.Resolve(tt.given)
		if tt.param == "" {
			if err != nil {
				t.Errorf("%s.Resolve(%v): %v", tt.method, tt.given, err)
			}
			continue
		}
		var pe *engine.ParamError
		if !errors.As(err, &pe) || pe.Param != tt.param || pe.Optimizer != tt.method {
			t.Errorf("%s.Resolve(%v) = %v, want a *ParamError naming %s", tt.method, tt.given, err, tt.param)
		}
	}
}

// TestLineSearchCatalogue pins the registration of the gonum-driven methods.
func TestLineSearchCatalogue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		params       []engine.Param
		needsHessian bool
	}{
		{"cg", []engine.Param{
			{Name: "variant", Kind: engine.Choice, Default: "fletcher-reeves"},
			{Name: "restart", Kind: engine.Integer, Default: 0.0, Min: 0, Max: 1000},
		}, false},
		{"bfgs", nil, false},
		{"lbfgs", []engine.Param{{Name: "memory", Kind: engine.Integer, Default: 5.0, Min: 1, Max: 100}}, false},
		{"newton-ls", nil, true},
	}
	for _, tt := range tests {
		m, ok := engine.LookupMethod(tt.name)
		if !ok {
			t.Fatalf("no optimizer %q", tt.name)
		}
		if m.Title == "" || m.Rule == "" || m.NeedsHessian != tt.needsHessian || len(m.Params) != len(tt.params) {
			t.Fatalf("%s: %+v", tt.name, m)
		}
		for i, p := range m.Params {
			want := tt.params[i]
			if p.Name != want.Name || p.Kind != want.Kind || p.Default != want.Default || p.Min != want.Min || p.Max != want.Max || p.About == "" {
				t.Errorf("%s: Params[%d] = %+v, want %+v", tt.name, i, p, want)
			}
		}
	}
	cg, _ := engine.LookupMethod("cg")
	if got := cg.Params[0].Choices; len(got) != 3 || got[0] != "fletcher-reeves" || got[1] != "polak-ribiere" || got[2] != "hestenes-stiefel" {
		t.Errorf("cg variants = %q", got)
	}
}
