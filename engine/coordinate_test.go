package engine_test

import (
	"math"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// gradientOnly hides a surface's Hessian, so that coordinate descent has to
// bracket and search instead of taking the Newton step.
type gradientOnly struct{ surfaces.Function }

// TestCoordinateDescentCoupled pins the staircase of section 8.7.2 on
// f = (x − y)² + 0.01(x² + y²) from (1.5, −1): minimising exactly along x
// sets x = y/1.01 (from 2(x − y) + 0.02x = 0), along y sets y = x/1.01, and
// the steps alternate, x first. With the Hessian the Newton step lands on
// each minimiser at once; without it the bracket and Brent's method must
// find the same point.
func TestCoordinateDescentCoupled(t *testing.T) {
	t.Parallel()
	coupled := lookupSurface(t, "coupled")
	for _, f := range []surfaces.Function{coupled, gradientOnly{coupled}} {
		opt := newOptimizer(t, "coordinate-descent", nil)
		theta := engine.Point{1.5, -1}
		want := theta
		for k := range 12 {
			i := k % 2 // the coordinate that moves: x on even k, y on odd
			want[i] = want[1-i] / 1.01
			next, err := opt.Step(f, theta, f.Gradient(theta))
			if err != nil {
				t.Fatalf("%T step %d: %v", f, k, err)
			}
			if next[1-i] != theta[1-i] {
				t.Fatalf("%T step %d from %v to %v: coordinate %d moved, only %d may", f, k, theta, next, 1-i, i)
			}
			if math.Abs(next[i]-want[i]) > 1e-12 {
				t.Fatalf("%T step %d from %v: θ = %v, want %v", f, k, theta, next, want)
			}
			theta = next
		}
	}
}

// TestCoordinateDescentQuadratics checks that on a quadratic each
// minimisation is the Newton step along the coordinate, with no other
// point tried: the partial derivative is linear along the axis, so
// θᵢ − (∂f/∂θᵢ)/(∂²f/∂θᵢ²) is its zero.
func TestCoordinateDescentQuadratics(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"ravine", "rotated-ravine", "coupled"} {
		s := lookupSurface(t, name)
		steps := stepDirectly(t, s, newOptimizer(t, "coordinate-descent", nil), s.Start, 20)
		for k, st := range steps {
			i := k % 2
			h := s.Hessian(st.from)
			g := s.Gradient(st.from)
			want := st.from
			want[i] -= g[i] / [2]float64{h.XX, h.YY}[i]
			if len(st.probes) != 0 || math.Abs(st.to[i]-want[i]) > 1e-12*math.Max(1, math.Abs(want[i])) {
				t.Errorf("%s step %d from %v: %v after trying %v, want %v at once", name, k, st.from, st.to, st.probes, want)
			}
		}
	}
}

// TestCoordinateDescentDescends checks each step on surfaces that are not
// quadratic, with and without the Hessian: it moves only the coordinate
// whose turn it is, f never rises, the step ends where the partial
// derivative along that coordinate vanishes (an exact minimisation), and
// every probe is finite, on the downhill ray along that coordinate, and
// neither end of the step.
func TestCoordinateDescentDescends(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"rosenbrock", "himmelblau", "beale", "six-hump-camel", "rastrigin"} {
		s := lookupSurface(t, name)
		for _, f := range []surfaces.Function{s, gradientOnly{s}} {
			label := name + " with Hessian"
			if _, ok := f.(gradientOnly); ok {
				label = name + " gradient only"
			}
			t.Run(label, func(t *testing.T) {
				t.Parallel()
				steps := stepDirectly(t, f, newOptimizer(t, "coordinate-descent", nil), s.Start, 200)
				if len(steps) < 2 {
					t.Fatalf("only %d steps", len(steps))
				}
				probes := 0
				for k, st := range steps {
					i := k % 2
					if st.to[1-i] != st.from[1-i] {
						t.Fatalf("step %d from %v to %v moved coordinate %d", k, st.from, st.to, 1-i)
					}
					if f.Value(st.to) > f.Value(st.from) {
						t.Fatalf("step %d from %v to %v: f rose from %v to %v", k, st.from, st.to, f.Value(st.from), f.Value(st.to))
					}
					before, after := f.Gradient(st.from)[i], f.Gradient(st.to)[i]
					if math.Abs(after) > 1e-9*math.Max(1, math.Abs(before)) {
						t.Errorf("step %d from %v to %v: ∂f/∂θ%d = %g, was %g; want it gone", k, st.from, st.to, i, after, before)
					}
					d := *st.state.Direction
					if want := -math.Copysign(1, before); d[i] != want || d[1-i] != 0 {
						t.Errorf("step %d: direction %v, want %g along coordinate %d", k, d, want, i)
					}
					for _, p := range st.probes {
						if !finite(p[0]) || !finite(p[1]) || p == st.from || p == st.to {
							t.Errorf("step %d from %v to %v: probe %v", k, st.from, st.to, p)
						}
						checkOnRay(t, k, "probe", st.from, d, p)
					}
					probes += len(st.probes)
				}
				if probes == 0 {
					t.Error("no probes in the whole run")
				}
			})
		}
	}
}

// TestCoordinateDescentRuns checks whole runs: on coupled the run crawls and
// has not converged after 200 steps; on the saddle the x-step goes to x = 0
// and then f falls without bound along y, which ends the run as diverged;
// on himmelblau from (0, 0) it converges to (3.584…, −1.848…).
func TestCoordinateDescentRuns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		surface string
		status  engine.Status
		last    engine.Point // where the run ends, to 1e-6
	}{
		{"saddle", engine.Diverged, engine.Point{0, 0.01}},
		{"himmelblau", engine.Converged, engine.Point{3.5844283403304917, -1.8481265269644036}},
		{"bowl", engine.Converged, engine.Point{0, 0}},
	}
	for _, tt := range tests {
		s := lookupSurface(t, tt.surface)
		limits := engine.Limits{Steps: 200, Tol: 1e-8}
		r := engine.Run(s, newOptimizer(t, "coordinate-descent", nil), s.Start, limits)
		checkRunRules(t, s, s.Start, limits, r)
		last := r.Path[len(r.Path)-1]
		if r.Status != tt.status || math.Hypot(last[0]-tt.last[0], last[1]-tt.last[1]) > 1e-6 {
			t.Errorf("%s: ends %s at %v, want %s at %v", tt.surface, r.Status, last, tt.status, tt.last)
		}
	}
	s := lookupSurface(t, "coupled")
	r := engine.Run(s, newOptimizer(t, "coordinate-descent", nil), s.Start, engine.Limits{Steps: 200, Tol: 1e-8})
	// After 200 steps, 100 of each coordinate, θ has shrunk by 1.01²⁰⁰ ≈ 7.3
	// only: y₂₀₀ = −1/1.01²⁰⁰.
	last := r.Path[len(r.Path)-1]
	if want := -math.Pow(1.01, -200); r.Status != engine.MaxSteps || math.Abs(last[1]-want) > 1e-12 {
		t.Errorf("coupled: ends %s at %v, want max_steps with y = %v", r.Status, last, want)
	}
}

// TestCoordinateDescentDeterministic runs twice and wants the same iterates
// and probes, bit for bit.
func TestCoordinateDescentDeterministic(t *testing.T) {
	t.Parallel()
	f := lookupSurface(t, "rosenbrock")
	a := stepDirectly(t, gradientOnly{f}, newOptimizer(t, "coordinate-descent", nil), f.Start, 100)
	b := stepDirectly(t, gradientOnly{f}, newOptimizer(t, "coordinate-descent", nil), f.Start, 100)
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
}

// TestCoordinateDescentCatalogue pins the registration.
func TestCoordinateDescentCatalogue(t *testing.T) {
	t.Parallel()
	m, ok := engine.LookupMethod("coordinate-descent")
	if !ok {
		t.Fatal("no coordinate-descent")
	}
	if m.Title == "" || m.Rule == "" || m.NeedsHessian || len(m.Params) != 0 {
		t.Errorf("%+v", m)
	}
	if _, err := m.Resolve(engine.Params{"lr": 0.1}); err == nil {
		t.Error("Resolve(lr) succeeded; coordinate-descent has no parameters")
	}
}
