package surfaces

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

func TestAllInDisplayOrder(t *testing.T) {
	t.Parallel()
	want := []string{
		"bowl", "ravine", "rotated-ravine", "saddle", "rosenbrock", "beale",
		"himmelblau", "rastrigin", "six-hump-camel", "coupled", "deep-linear",
		"plateau", "cliff", "two-wells", "monkey-saddle", "booth", "matyas",
		"least-squares",
	}
	if got := Names(); !slices.Equal(got, want) {
		t.Errorf("Names() = %q, want %q", got, want)
	}
	for i, s := range All() {
		if s.Name != want[i] {
			t.Errorf("All()[%d].Name = %q, want %q", i, s.Name, want[i])
		}
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ok   bool
	}{
		{"rosenbrock", true},
		{"deep-linear", true},
		{"", false},
		{"Rosenbrock", false},
		{"no-such-surface", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, ok := Lookup(tt.name)
			if ok != tt.ok {
				t.Fatalf("Lookup(%q) ok = %v, want %v", tt.name, ok, tt.ok)
			}
			if ok && s.Name != tt.name {
				t.Errorf("Lookup(%q).Name = %q", tt.name, s.Name)
			}
		})
	}
}

func TestCatalogueEntries(t *testing.T) {
	t.Parallel()
	for _, s := range All() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			if s.TwiceDifferentiable == nil || s.Formula == "" || s.About == "" {
				t.Errorf("incomplete entry: function %v, formula %q, about %q", s.TwiceDifferentiable, s.Formula, s.About)
			}
			if v := s.View; !(v.XMin < v.XMax && v.YMin < v.YMax) {
				t.Errorf("empty view %+v", v)
			}
			if !s.View.Contains(s.Start) {
				t.Errorf("start %v outside the view %+v", s.Start, s.View)
			}
			for _, m := range s.Minima {
				if !s.View.Contains(m) {
					t.Errorf("minimum %v outside the view %+v", m, s.View)
				}
			}
		})
	}
}

func TestValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    Point
		want float64
	}{
		{"bowl", Point{-1.5, 1.7}, 5.14},
		{"ravine", Point{-4.5, 1.5}, 6.525},
		{"ravine", Point{1, 1}, 2.1},
		{"rotated-ravine", Point{-3, -1}, 4.8},
		{"rotated-ravine", Point{1, 1}, 0.2}, // along the shallow diagonal: u = √2, v = 0
		{"rotated-ravine", Point{1, -1}, 4},  // across it: u = 0, v = √2
		{"saddle", Point{-1.5, 0.01}, 2.2499},
		{"saddle", Point{0, 1}, -1},
		{"rosenbrock", Point{-1.2, 1}, 24.2},
		{"rosenbrock", Point{0, 0}, 1},
		{"rosenbrock", Point{1, 1}, 0},
		{"beale", Point{3, 0.5}, 0},
		{"beale", Point{1, 1.5}, 41.25}, // residuals 2, 3.5, 5
		{"beale", Point{0, 0}, 14.203125},
		{"himmelblau", Point{3, 2}, 0},
		{"himmelblau", Point{0, 0}, 170},
		{"rastrigin", Point{0, 0}, 0},
		{"rastrigin", Point{1, 1}, 2},
		{"rastrigin", Point{0.5, -0.5}, 40.5},
		{"six-hump-camel", Point{0, 0}, 0},
		{"six-hump-camel", Point{1, 1}, 97.0 / 30},
		{"six-hump-camel", Point{1.2, 0.8}, 2.439168},
		{"coupled", Point{1.5, -1}, 6.2825},
		{"coupled", Point{1, 1}, 0.02},
		{"deep-linear", Point{0.05, 0.1}, 0.990025},
		{"deep-linear", Point{0, 0}, 1},
		{"deep-linear", Point{2, 0.5}, 0},
		{"plateau", Point{0, 0}, 0},
		{"plateau", Point{1, 1}, 1 - 1/math.E},
		{"plateau", Point{-3, 2.5}, 1 - math.Exp(-7.625)},
		{"cliff", Point{-3, 2}, 5 + 0.505*math.Log1p(math.Exp(-600))},
		{"cliff", Point{0, 0}, 0.505 * math.Ln2},
		{"cliff", Point{1, 0}, 100 + 0.505*math.Log1p(math.Exp(-200))}, // 200·0.505 − 1
		{"two-wells", Point{1, 0}, 0.3},
		{"two-wells", Point{-1, 2}, 1.7},
		{"two-wells", Point{0, 0}, 1},
		{"monkey-saddle", Point{1, 1}, -2},
		{"monkey-saddle", Point{2, 0}, 8},
		{"monkey-saddle", Point{-1, 0}, -1},
		{"booth", Point{1, 3}, 0},
		{"booth", Point{0, 0}, 74},
		{"booth", Point{-8, 8}, 170},
		{"matyas", Point{0, 0}, 0},
		{"matyas", Point{1, 1}, 0.04},
		{"matyas", Point{1, -1}, 1},
		{"least-squares", Point{0, 0}, leastSquaresMeanSquareTarget},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s(%g,%g)", tt.name, tt.p[0], tt.p[1]), func(t *testing.T) {
			t.Parallel()
			s := mustLookup(t, tt.name)
			if got := s.Value(tt.p); !closeTo(got, tt.want, 1e-12) {
				t.Errorf("f(%g, %g) = %.17g, want %.17g", tt.p[0], tt.p[1], got, tt.want)
			}
		})
	}
}

// minimumValues holds the value at each listed minimum, in the order
// Surface.Minima lists them, and whether the minima are isolated.
var minimumValues = map[string]struct {
	values []float64
	// flat marks minima lying on a curve of minima, where the Hessian is
	// only positive semidefinite.
	flat bool
}{
	"bowl":           {values: []float64{0}},
	"ravine":         {values: []float64{0}},
	"rotated-ravine": {values: []float64{0}},
	"saddle":         {values: nil},
	"rosenbrock":     {values: []float64{0}},
	"beale":          {values: []float64{0}},
	"himmelblau":     {values: []float64{0, 0, 0, 0}},
	"rastrigin":      {values: []float64{0}},
	"six-hump-camel": {values: []float64{
		-1.0316284534898774, -1.0316284534898774,
		-0.2154638243837176, -0.2154638243837176,
		2.1042503103112583, 2.1042503103112583,
	}},
	"coupled":       {values: []float64{0}},
	"deep-linear":   {values: []float64{0, 0, 0, 0, 0, 0}, flat: true},
	"plateau":       {values: []float64{0}},
	"cliff":         {values: []float64{0.028050768010790338}},
	"two-wells":     {values: []float64{-0.30542848374391596, 0.29414648102826285}},
	"monkey-saddle": {values: nil},
	"booth":         {values: []float64{0}},
	"matyas":        {values: []float64{0}},
	"least-squares": {values: []float64{0.22484100435180512}},
}

func TestMinima(t *testing.T) {
	t.Parallel()
	for _, s := range All() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			known, ok := minimumValues[s.Name]
			if !ok {
				t.Fatalf("no known minimum values for %s", s.Name)
			}
			if len(s.Minima) != len(known.values) {
				t.Fatalf("%d minima listed, want %d", len(s.Minima), len(known.values))
			}
			for i, m := range s.Minima {
				checkMinimum(t, s, m, known.values[i], known.flat)
			}
		})
	}
}

// checkMinimum checks that m is a minimiser of s with value want, accurate
// to far better than 1e-9. For a flat minimum, one on a curve of minima,
// the Hessian need only be positive semidefinite.
func checkMinimum(tb testing.TB, s Surface, m Point, want float64, flat bool) {
	tb.Helper()
	g := s.Gradient(m)
	if n := math.Hypot(g[0], g[1]); n > 1e-9 {
		tb.Errorf("‖∇f%v‖ = %.3g, want below 1e-9", m, n)
	}
	if got := s.Value(m); !closeTo(got, want, 1e-12) {
		tb.Errorf("f%v = %.17g, want %.17g", m, got, want)
	}
	h := s.Hessian(m)
	det := h.XX*h.YY - h.XY*h.XY
	scale := h.XX*h.XX + h.YY*h.YY + 2*h.XY*h.XY
	if flat {
		if h.XX < 0 || h.YY < 0 || math.Abs(det) > 1e-12*scale {
			tb.Errorf("Hessian at %v = %+v, want positive semidefinite and singular", m, h)
		}
		return
	}
	if h.XX <= 0 || det <= 0 {
		tb.Fatalf("Hessian at %v = %+v, want positive definite", m, h)
	}
	// The Newton step H⁻¹∇f estimates the distance to the exact minimiser,
	// whatever the curvature.
	step := math.Hypot(h.YY*g[0]-h.XY*g[1], h.XX*g[1]-h.XY*g[0]) / det
	if step > 1e-12 {
		tb.Errorf("%v is %.3g from the minimiser by Newton's estimate, want below 1e-12", m, step)
	}
}

// TestMinimaComplete runs Newton's method for ∇f = 0 from a grid of starts
// over each view and checks that every strict local minimum it finds there
// is listed. Rastrigin lists only its global minimum and deep-linear's
// minima form a curve, so both are left out.
func TestMinimaComplete(t *testing.T) {
	t.Parallel()
	for _, s := range All() {
		if s.Name == "rastrigin" || s.Name == "deep-linear" {
			continue
		}
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			const n = 25
			v := s.View
			for i := range n {
				for j := range n {
					p := Point{
						v.XMin + (v.XMax-v.XMin)*(float64(i)+0.5)/n,
						v.YMin + (v.YMax-v.YMin)*(float64(j)+0.5)/n,
					}
					m, ok := stationaryPoint(s, p)
					if !ok || !v.Contains(m) {
						continue
					}
					h := s.Hessian(m)
					if h.XX <= 0 || h.XX*h.YY-h.XY*h.XY <= 0 {
						continue // a saddle point or a maximum
					}
					if !slices.ContainsFunc(s.Minima, func(q Point) bool {
						return math.Hypot(q[0]-m[0], q[1]-m[1]) < 1e-6
					}) {
						t.Errorf("local minimum %v (value %.17g), found from %v, is not listed", m, s.Value(m), p)
					}
				}
			}
		})
	}
}

// stationaryPoint runs Newton's method for ∇f = 0 from p and reports where
// it converged, if it did.
func stationaryPoint(f TwiceDifferentiable, p Point) (Point, bool) {
	for range 100 {
		g, h := f.Gradient(p), f.Hessian(p)
		det := h.XX*h.YY - h.XY*h.XY
		if det == 0 {
			return p, false
		}
		dx := (h.YY*g[0] - h.XY*g[1]) / det
		dy := (h.XX*g[1] - h.XY*g[0]) / det
		p = Point{p[0] - dx, p[1] - dy}
		if math.Hypot(dx, dy) < 1e-13*(1+math.Hypot(p[0], p[1])) {
			return p, true
		}
		if math.Abs(p[0]) > 1e6 || math.Abs(p[1]) > 1e6 {
			return p, false
		}
	}
	return p, false
}

func mustLookup(tb testing.TB, name string) Surface {
	tb.Helper()
	s, ok := Lookup(name)
	if !ok {
		tb.Fatalf("Lookup(%q) failed", name)
	}
	return s
}

// closeTo reports whether got is within rel of want, relative to
// max(1, |want|).
func closeTo(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*max(1, math.Abs(want))
}
