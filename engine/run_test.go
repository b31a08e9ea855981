package engine_test

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"testing"
	"time"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// checkRunRules checks what every finished run must satisfy: the path starts
// at start, has one loss per point, the loss is f at the point, every number
// is finite and inside the divergence bound, and the length agrees with the
// status.
func checkRunRules(tb testing.TB, f surfaces.Function, start engine.Point, limits engine.Limits, r engine.Result) {
	tb.Helper()
	if len(r.Loss) != len(r.Path) {
		tb.Fatalf("len(Loss) = %d, len(Path) = %d; want them equal", len(r.Loss), len(r.Path))
	}
	if r.Average != nil && len(r.Average) != len(r.Path) {
		tb.Errorf("len(Average) = %d, len(Path) = %d; want them equal", len(r.Average), len(r.Path))
	}
	if r.Trace != nil && len(r.Trace) != len(r.Path) {
		tb.Errorf("len(Trace) = %d, len(Path) = %d; want them equal", len(r.Trace), len(r.Path))
	}
	for _, e := range r.Evals {
		if k := int(e[0]); float64(k) != e[0] || k < 1 || k >= len(r.Path) {
			tb.Errorf("eval %v: k must be the index of an iterate after the start", e)
		}
	}
	if len(r.Path) > 0 && r.Path[0] != start {
		tb.Errorf("Path[0] = %v, want the start %v", r.Path[0], start)
	}
	if most := max(limits.Steps, 0) + 1; len(r.Path) > most {
		tb.Errorf("len(Path) = %d, more than steps + 1 = %d", len(r.Path), most)
	}
	for i, p := range r.Path {
		if !finite(p[0]) || !finite(p[1]) || !finite(r.Loss[i]) ||
			math.Abs(p[0]) > engine.DivergenceBound || math.Abs(p[1]) > engine.DivergenceBound {
			tb.Errorf("Path[%d] = %v with loss %v: every yielded number must be finite and within the bound", i, p, r.Loss[i])
		}
		if v := f.Value(p); v != r.Loss[i] && !(math.IsNaN(v) && math.IsNaN(r.Loss[i])) {
			tb.Errorf("Loss[%d] = %v, want f(Path[%d]) = %v", i, r.Loss[i], i, v)
		}
	}
	switch r.Status {
	case engine.MaxSteps:
		if want := max(limits.Steps, 0) + 1; len(r.Path) != want {
			tb.Errorf("status %s with %d points, want steps + 1 = %d", r.Status, len(r.Path), want)
		}
	case engine.Converged:
		if len(r.Path) == 0 {
			tb.Fatalf("status %s with an empty path", r.Status)
		}
		g := f.Gradient(r.Path[len(r.Path)-1])
		if !(limits.Tol > 0 && math.Hypot(g[0], g[1]) < limits.Tol) {
			tb.Errorf("status %s but ‖∇f‖ = %v at the last point with tol %v", r.Status, math.Hypot(g[0], g[1]), limits.Tol)
		}
	case engine.Diverged, engine.Singular, engine.Stalled:
	default:
		tb.Errorf("status %q is not a final status", r.Status)
	}
}

func TestRunRules(t *testing.T) {
	t.Parallel()
	bowl := &surfaces.Bowl{}
	tests := []struct {
		name   string
		f      surfaces.Function
		method string
		params engine.Params
		start  engine.Point
		limits engine.Limits
		status engine.Status
		points int           // the length of the path
		last   *engine.Point // the last point, when known by hand
	}{
		{
			// H = 2I: one Newton step lands exactly on the origin, where
			// ∇f = 0 < tol.
			name: "newton converges in one step", f: bowl, method: "newton",
			start: engine.Point{-1.5, 1.7}, limits: engine.Limits{Steps: 200, Tol: 1e-8},
			status: engine.Converged, points: 2, last: &engine.Point{0, 0},
		},
		{
			// Already at the minimum: converged with the start alone.
			name: "start at the minimum", f: bowl, method: "sgd",
			start: engine.Point{0, 0}, limits: engine.Limits{Steps: 200, Tol: 1e-8},
			status: engine.Converged, points: 1, last: &engine.Point{0, 0},
		},
		{
			// Tol 0 never converges, even with ∇f exactly 0.
			name: "tol 0 disables convergence", f: bowl, method: "newton",
			start: engine.Point{-1.5, 1.7}, limits: engine.Limits{Steps: 5, Tol: 0},
			status: engine.MaxSteps, points: 6, last: &engine.Point{0, 0},
		},
		{
			// θ ← θ − 1.5·2θ = −2θ, so |θₖ| = 2ᵏ from (1, 1): 2¹⁹ = 524288 is
			// within the bound 1e6 and 2²⁰ = 1048576 is not, so θ₀ … θ₁₉ are
			// kept and θ₂₀ is left out.
			name: "sgd diverges", f: bowl, method: "sgd", params: engine.Params{"lr": 1.5},
			start: engine.Point{1, 1}, limits: engine.Limits{Steps: 100, Tol: 1e-8},
			status: engine.Diverged, points: 20, last: &engine.Point{-524288, -524288},
		},
		{
			// A tiny lr on the bowl: θ ← 0.98·θ never gets near tol in 7 steps.
			name: "max steps", f: bowl, method: "sgd",
			start: engine.Point{1, -2}, limits: engine.Limits{Steps: 7, Tol: 1e-8},
			status: engine.MaxSteps, points: 8,
		},
		{
			name: "zero steps", f: bowl, method: "adam",
			start: engine.Point{1, -2}, limits: engine.Limits{Steps: 0, Tol: 1e-8},
			status: engine.MaxSteps, points: 1, last: &engine.Point{1, -2},
		},
		{
			// A start beyond the bound is not yielded at all.
			name: "start out of bounds", f: bowl, method: "sgd",
			start: engine.Point{2e6, 0}, limits: engine.Limits{Steps: 10, Tol: 1e-8},
			status: engine.Diverged, points: 0,
		},
		{
			// A non-finite start is not yielded at all.
			name: "start NaN", f: bowl, method: "sgd",
			start: engine.Point{math.NaN(), 0}, limits: engine.Limits{Steps: 10, Tol: 1e-8},
			status: engine.Diverged, points: 0,
		},
		{
			// H + 2I = diag(4, 0) everywhere: singular before the first step.
			name: "newton singular", f: quadratic{2, 0, -2}, method: "newton", params: engine.Params{"alpha": 2},
			start: engine.Point{1, 1}, limits: engine.Limits{Steps: 10, Tol: 1e-8},
			status: engine.Singular, points: 1, last: &engine.Point{1, 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opt := newOptimizer(t, tt.method, tt.params)
			r := engine.Run(tt.f, opt, tt.start, tt.limits)
			if r.Status != tt.status || len(r.Path) != tt.points {
				t.Fatalf("Run = %s with %d points, want %s with %d\npath %v", r.Status, len(r.Path), tt.status, tt.points, r.Path)
			}
			if tt.last != nil && r.Path[len(r.Path)-1] != *tt.last {
				t.Errorf("last point %v, want %v", r.Path[len(r.Path)-1], *tt.last)
			}
			if tt.points > 0 {
				checkRunRules(t, tt.f, tt.start, tt.limits, r)
			}
		})
	}
}

// TestRunSurfaces runs every optimizer with its defaults over every surface
// of the catalogue from the surface's start and checks the run rules.
func TestRunSurfaces(t *testing.T) {
	t.Parallel()
	limits := engine.Limits{Steps: 500, Tol: engine.DefaultTol}
	for _, s := range surfaces.All() {
		for _, m := range engine.Methods() {
			t.Run(s.Name+"/"+m.Name, func(t *testing.T) {
				t.Parallel()
				opt, _, err := m.New(nil)
				if err != nil {
					t.Fatal(err)
				}
				r := engine.Run(s, opt, s.Start, limits)
				if len(r.Path) == 0 {
					t.Fatalf("empty path from the start %v", s.Start)
				}
				checkRunRules(t, s, s.Start, limits, r)
			})
		}
	}
}

// TestRunSingularSurfaces stops Newton's method on catalogue surfaces where
// H + αI is singular.
func TestRunSingularSurfaces(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		surface string
		alpha   float64
		start   engine.Point
		tol     float64
	}{
		// f = x² − y², H = diag(2, −2): H + 2I = diag(4, 0) everywhere.
		{"saddle alpha 2", "saddle", 2, engine.Point{-1.5, 0.01}, 1e-8},
		// f = (1 − xy)², H = [2y² 4xy − 2; 4xy − 2 2x²], so
		// det H = 4x²y² − (4xy − 2)² = (2 − 2xy)(6xy − 2), zero on the
		// curves xy = 1 and xy = 1/3.
		// On xy = 1/3 the gradient −2(1 − xy)(y, x) is not zero. 1/3 is not a
		// float, so at (1, fl(1/3)) det H ≈ −1.5e-16 against terms of
		// about 0.44: zero to rounding, singular by the relative test.
		{"deep-linear xy = 1/3", "deep-linear", 0, engine.Point{1, 1.0 / 3}, 1e-8},
		// On the valley of minima xy = 1, H = [0.5 2; 2 8] at (2, 0.5) and
		// det H = 4 − 4 = 0 exactly; ∇f = 0 there, so only with tol 0 does
		// the run try a step.
		{"deep-linear minimum tol 0", "deep-linear", 0, engine.Point{2, 0.5}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := lookupSurface(t, tt.surface)
			h := s.Hessian(tt.start)
			a, b, d := h.XX+tt.alpha, h.XY, h.YY+tt.alpha
			if det := a*d - b*b; math.Abs(det) > 1e-15 {
				t.Fatalf("det(H + %gI) at %v = %v; the test needs a point where it is 0", tt.alpha, tt.start, det)
			}
			opt := newOptimizer(t, "newton", engine.Params{"alpha": tt.alpha})
			limits := engine.Limits{Steps: 10, Tol: tt.tol}
			r := engine.Run(s, opt, tt.start, limits)
			if r.Status != engine.Singular || len(r.Path) != 1 {
				t.Errorf("Run = %s with path %v, want singular with the start alone", r.Status, r.Path)
			}
			checkRunRules(t, s, tt.start, limits, r)
		})
	}
}

// TestRunDeterministic runs every optimizer twice over the same surface and
// wants the same bits.
func TestRunDeterministic(t *testing.T) {
	t.Parallel()
	f := surfaces.Function(&surfaces.Bowl{})
	if s, ok := surfaces.Lookup("rosenbrock"); ok {
		f = s
	}
	start := engine.Point{-1.2, 1}
	limits := engine.Limits{Steps: 300, Tol: 0}
	for _, m := range engine.Methods() {
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			run := func() engine.Result {
				opt, _, err := m.New(nil)
				if err != nil {
					t.Fatal(err)
				}
				return engine.Run(f, opt, start, limits)
			}
			a, b := run(), run()
			if a.Status != b.Status || len(a.Path) != len(b.Path) {
				t.Fatalf("runs end %s after %d points and %s after %d", a.Status, len(a.Path), b.Status, len(b.Path))
			}
			for i := range a.Path {
				if bits(a.Path[i][0]) != bits(b.Path[i][0]) || bits(a.Path[i][1]) != bits(b.Path[i][1]) ||
					bits(a.Loss[i]) != bits(b.Loss[i]) {
					t.Fatalf("point %d: %v (%v) then %v (%v)", i, a.Path[i], a.Loss[i], b.Path[i], b.Loss[i])
				}
			}
		})
	}
}

func bits(v float64) uint64 { return math.Float64bits(v) }

// TestTrajectoryMatchesRun checks that stepping a Trajectory by hand yields
// what Run collects, and that it stays finished.
func TestTrajectoryMatchesRun(t *testing.T) {
	t.Parallel()
	f := &surfaces.Bowl{}
	start := engine.Point{-1.5, 1.7}
	limits := engine.Limits{Steps: 50, Tol: 1e-8}
	want := engine.Run(f, newOptimizer(t, "momentum", nil), start, limits)

	tr := engine.NewTrajectory(f, newOptimizer(t, "momentum", nil), start, limits)
	if tr.Status() != engine.Running {
		t.Errorf("Status before the first Next = %s, want %s", tr.Status(), engine.Running)
	}
	var n int
	for tr.Next() {
		it := tr.Iterate()
		if n >= len(want.Path) || it.Theta != want.Path[n] || it.Loss != want.Loss[n] {
			t.Fatalf("iterate %d = %+v, Run has %v (%v)", n, it, want.Path[n:], want.Loss[n:])
		}
		// The status is final as soon as the last iterate is yielded.
		if last := n == len(want.Path)-1; (tr.Status() == engine.Running) == last {
			t.Errorf("iterate %d of %d: status %s", n, len(want.Path), tr.Status())
		}
		if it.Trace != nil || it.Probes != nil || it.Average != (engine.Point{}) {
			t.Errorf("iterate %d = %+v records more than asked", n, it)
		}
		n++
	}
	if n != len(want.Path) || tr.Status() != want.Status {
		t.Errorf("Trajectory gave %d iterates and %s, Run %d and %s", n, tr.Status(), len(want.Path), want.Status)
	}
	if tr.Next() || tr.Status() != want.Status {
		t.Errorf("Next after the end = true or status changed to %s", tr.Status())
	}
}

// failing is an optimizer that halves θ and fails at its step from θ_fail
// with err.
type failing struct {
	fail  int
	err   error
	steps int
}

func (o *failing) Step(_ surfaces.Function, theta, _ engine.Point) (engine.Point, error) {
	if o.steps == o.fail {
		return engine.Point{math.NaN(), math.NaN()}, o.err
	}
	o.steps++
	return engine.Point{theta[0] / 2, theta[1] / 2}, nil
}

// TestRunStepErrors checks that a step that fails stops the run at the
// iterate it was taken from, which is still yielded.
func TestRunStepErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		err    error
		status engine.Status
	}{
		{"singular", fmt.Errorf("wrapped: %w", engine.ErrSingular), engine.Singular},
		{"stalled", fmt.Errorf("wrapped: %w", engine.ErrStalled), engine.Stalled},
		{"other", errors.New("engine: cannot step"), engine.Diverged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			limits := engine.Limits{Steps: 10, Tol: 1e-8}
			start := engine.Point{1, -2}
			r := engine.Run(&surfaces.Bowl{}, &failing{fail: 3, err: tt.err}, start, limits, engine.WithTrace())
			want := []engine.Point{{1, -2}, {0.5, -1}, {0.25, -0.5}, {0.125, -0.25}}
			if r.Status != tt.status || !slices.Equal(r.Path, want) {
				t.Fatalf("Run = %s with %v, want %s with %v", r.Status, r.Path, tt.status, want)
			}
			checkRunRules(t, &surfaces.Bowl{}, start, limits, r)
			if r.Trace[3].Step != nil || r.Trace[2].Step == nil {
				t.Errorf("steps traced %v, %v; want one from θ₂ and none from θ₃", r.Trace[2].Step, r.Trace[3].Step)
			}
		})
	}
}

// TestRunAverage checks the averages of a short path by hand. Gradient
// descent with lr 0.25 on the bowl halves θ: from (1, −2) to (0.5, −1),
// (0.25, −0.5) and (0.125, −0.25).
func TestRunAverage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opt  engine.Option
		want []engine.Point
	}{
		{
			// The mean of the iterates so far: x = 1, 1.5/2, 1.75/3, 1.875/4.
			name: "uniform", opt: engine.WithPolyakAverage(),
			want: []engine.Point{{1, -2}, {0.75, -1.5}, {1.75 / 3, -3.5 / 3}, {0.46875, -0.9375}},
		},
		{
			// aₖ = 0.9·aₖ₋₁ + 0.1·θₖ: x = 1, 0.9 + 0.05 = 0.95,
			// 0.855 + 0.025 = 0.88, 0.792 + 0.0125 = 0.8045.
			name: "exponential 0.9", opt: engine.WithExponentialAverage(0.9),
			want: []engine.Point{{1, -2}, {0.95, -1.9}, {0.88, -1.76}, {0.8045, -1.609}},
		},
		{
			// aₖ = 0.5·aₖ₋₁ + 0.5·θₖ: x = 1, 0.75, 0.5, 0.3125.
			name: "exponential 0.5", opt: engine.WithExponentialAverage(0.5),
			want: []engine.Point{{1, -2}, {0.75, -1.5}, {0.5, -1}, {0.3125, -0.625}},
		},
		{
			// Decay 0 forgets everything: the average is the path.
			name: "exponential 0", opt: engine.WithExponentialAverage(0),
			want: []engine.Point{{1, -2}, {0.5, -1}, {0.25, -0.5}, {0.125, -0.25}},
		},
		{
			// Decay 1 never moves from the start.
			name: "exponential 1", opt: engine.WithExponentialAverage(1),
			want: []engine.Point{{1, -2}, {1, -2}, {1, -2}, {1, -2}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			limits := engine.Limits{Steps: 3}
			r := engine.Run(&surfaces.Bowl{}, &engine.SGD{LR: 0.25}, engine.Point{1, -2}, limits, tt.opt)
			checkRunRules(t, &surfaces.Bowl{}, engine.Point{1, -2}, limits, r)
			if len(r.Average) != len(tt.want) {
				t.Fatalf("Average = %v, want %v", r.Average, tt.want)
			}
			for k, want := range tt.want {
				if got := r.Average[k]; !near(got[0], want[0], 1e-15) || !near(got[1], want[1], 1e-15) {
					t.Errorf("Average[%d] = %v, want %v", k, got, want)
				}
			}
			// The trajectory gives the same averages one iterate at a time.
			tr := engine.NewTrajectory(&surfaces.Bowl{}, &engine.SGD{LR: 0.25}, engine.Point{1, -2}, limits, tt.opt)
			for k := 0; tr.Next(); k++ {
				if tr.Iterate().Average != r.Average[k] {
					t.Errorf("iterate %d has average %v, Run %v", k, tr.Iterate().Average, r.Average[k])
				}
			}
		})
	}
	// Averages of a run that stops early cover every iterate it yielded.
	r := engine.Run(&surfaces.Bowl{}, &engine.SGD{LR: 1.5}, engine.Point{1, 1}, engine.Limits{Steps: 100}, engine.WithPolyakAverage())
	if r.Status != engine.Diverged || len(r.Average) != len(r.Path) {
		t.Errorf("diverged run: %s with %d averages for %d points", r.Status, len(r.Average), len(r.Path))
	}
}

// TestRunAllocations checks that a run that records nothing extra does not
// allocate per iterate. It is not parallel: testing.AllocsPerRun must not be.
func TestRunAllocations(t *testing.T) {
	s := lookupSurface(t, "rosenbrock")
	collectFirst()
	allocs := func(steps int) float64 {
		return testing.AllocsPerRun(5, func() {
			tr := engine.NewTrajectory(s.TwiceDifferentiable, newOptimizer(t, "adam", nil), s.Start, engine.Limits{Steps: steps})
			for tr.Next() {
			}
		})
	}
	if few, many := allocs(10), allocs(5000); many != few {
		t.Errorf("a trajectory of 10 steps allocates %v times and one of 5000 %v times; want the same", few, many)
	}
}

// TestRunAllocationsIndependentOfSteps checks that Run, path and loss
// included, allocates as many times for a long run as for a short one: the
// path and the loss are allocated once, with room for every iterate. It is
// not parallel: testing.AllocsPerRun must not be.
func TestRunAllocationsIndependentOfSteps(t *testing.T) {
	s := lookupSurface(t, "rosenbrock")
	collectFirst()
	m, _ := engine.LookupMethod("adam")
	p, err := m.Resolve(nil)
	if err != nil {
		t.Fatal(err)
	}
	allocs := func(steps int) float64 {
		return testing.AllocsPerRun(5, func() {
			r := engine.Run(s.TwiceDifferentiable, m.Build(p), s.Start, engine.Limits{Steps: steps})
			if len(r.Path) != steps+1 {
				t.Fatalf("%d points after %d steps", len(r.Path), steps)
			}
		})
	}
	if few, many := allocs(10), allocs(10000); many != few {
		t.Errorf("a run of 10 steps allocates %v times and one of 10000 %v times; want the same", few, many)
	}
}

// collectFirst runs a garbage collection before a test counts allocations:
// the first collection of a process allocates for the collector itself, a
// dozen or more objects that would otherwise be counted against whatever
// was running when the heap first grew large enough.
func collectFirst() { runtime.GC() }

// TestRunGivesBackUnusedRoom checks that a run that stops long before its
// limit does not keep the room set aside for the steps it did not take, and
// that a run with no iterate has nil slices, as before Run set room aside.
func TestRunGivesBackUnusedRoom(t *testing.T) {
	t.Parallel()
	r := engine.Run(&surfaces.Bowl{}, &engine.SGD{LR: 0.5}, engine.Point{1, 1}, engine.Limits{Steps: 10000, Tol: engine.DefaultTol})
	if r.Status != engine.Converged || len(r.Path) > 10 {
		t.Fatalf("gradient descent with lr 0.5 on the bowl: %s after %d points, want converged at once", r.Status, len(r.Path))
	}
	if cap(r.Path) != len(r.Path) || cap(r.Loss) != len(r.Loss) {
		t.Errorf("%d points in a path of capacity %d and a loss of capacity %d; want no spare room", len(r.Path), cap(r.Path), cap(r.Loss))
	}
	r = engine.Run(&surfaces.Bowl{}, &engine.SGD{LR: 0.5}, engine.Point{math.NaN(), 1}, engine.Limits{Steps: 10000})
	if r.Status != engine.Diverged || r.Path != nil || r.Loss != nil {
		t.Errorf("a run from NaN: %s with path %v and loss %v, want diverged with nil slices", r.Status, r.Path, r.Loss)
	}
}

// TestRunBudget stops a long run by its time budget: a tiny budget ends a
// 100,000-step run early with status budget and only finite numbers, and a
// generous one leaves the run exactly as without a budget.
func TestRunBudget(t *testing.T) {
	t.Parallel()
	f, _ := surfaces.Lookup("rosenbrock")
	m, _ := engine.LookupMethod("adam")
	opt, _, _ := m.New(nil)
	r := engine.Run(f.TwiceDifferentiable, opt, f.Start, engine.Limits{Steps: 100000, Budget: time.Nanosecond})
	if r.Status != engine.OverBudget || len(r.Path) != 1024 {
		t.Errorf("status %s after %d iterates, want budget after the first 1024", r.Status, len(r.Path))
	}
	opt, _, _ = m.New(nil)
	plain := engine.Run(f.TwiceDifferentiable, opt, f.Start, engine.Limits{Steps: 3000})
	opt, _, _ = m.New(nil)
	roomy := engine.Run(f.TwiceDifferentiable, opt, f.Start, engine.Limits{Steps: 3000, Budget: time.Hour})
	if roomy.Status != plain.Status || len(roomy.Path) != len(plain.Path) || roomy.Path[len(roomy.Path)-1] != plain.Path[len(plain.Path)-1] {
		t.Errorf("a roomy budget changed the run: %s %d against %s %d", roomy.Status, len(roomy.Path), plain.Status, len(plain.Path))
	}
}

// TestBudgetPause: the time a caller spends away from a run, declared with
// Pause, is not charged to its budget, and undeclared it is. Each run steps
// 1024 iterates at a time (microseconds) with 40 ms away between stretches,
// so only the waiting can use up its 100 ms budget.
func TestBudgetPause(t *testing.T) {
	t.Parallel()
	f, _ := surfaces.Lookup("rosenbrock")
	m, _ := engine.LookupMethod("adam")
	run := func(pause bool) (engine.Status, int) {
		opt, _, _ := m.New(nil)
		tr := engine.NewTrajectory(f.TwiceDifferentiable, opt, f.Start, engine.Limits{Steps: 5000, Budget: 100 * time.Millisecond})
		n := 0
		for stretch := 0; ; stretch++ {
			more := true
			for k := 0; k < 1024 && more; k++ {
				if more = tr.Next(); more {
					n++
				}
			}
			if !more {
				return tr.Status(), n
			}
			if pause {
				tr.Pause()
			}
			time.Sleep(40 * time.Millisecond)
		}
	}
	if status, n := run(true); status != engine.MaxSteps || n != 5001 {
		t.Errorf("with pauses declared: %s after %d iterates, want max_steps after 5001", status, n)
	}
	if status, n := run(false); status != engine.OverBudget {
		t.Errorf("with the waiting undeclared: %s after %d iterates, want budget", status, n)
	}
}
