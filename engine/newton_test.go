package engine_test

import (
	"errors"
	"math"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

func TestNewtonSteps(t *testing.T) {
	t.Parallel()
	tests := []stepCase{
		{
			// H = 2I and g = 2θ, so (H)⁻¹·g = θ: the minimum in one step, and
			// there g = 0 keeps it there.
			name: "bowl", method: "newton",
			f: &surfaces.Bowl{}, start: engine.Point{1, -2},
			want: []engine.Point{{0, 0}, {0, 0}},
		},
		{
			// H + 2I = 4I, so the step is g/4 = θ/2: (0.5, −1), then (0.25, −0.5).
			name: "bowl alpha 2", method: "newton", params: engine.Params{"alpha": 2},
			f: &surfaces.Bowl{}, start: engine.Point{1, -2},
			want: []engine.Point{{0.5, -1}, {0.25, -0.5}},
		},
		{
			// H = [2 1; 1 2], det 3, g = (2·1 + 0, 1 + 0) = (2, 1),
			// H⁻¹·g = (2·2 − 1·1, 2·1 − 1·2)/3 = (1, 0) = θ: the origin.
			name: "coupled quadratic", method: "newton",
			f: quadratic{2, 1, 2}, start: engine.Point{1, 0},
			want: []engine.Point{{0, 0}},
		},
		{
			// H + I = [3 1; 1 3], det 8, g = (2, 1),
			// (H + I)⁻¹·g = (3·2 − 1·1, 3·1 − 1·2)/8 = (5/8, 1/8),
			// θ₁ = (1 − 5/8, 0 − 1/8) = (3/8, −1/8).
			name: "coupled quadratic alpha 1", method: "newton", params: engine.Params{"alpha": 1},
			f: quadratic{2, 1, 2}, start: engine.Point{1, 0},
			want: []engine.Point{{0.375, -0.125}},
		},
		{
			// The pure step goes to the critical point whatever its kind:
			// H = diag(2, −2), g = (2, −2), H⁻¹·g = (1, 1) = θ, the saddle.
			name: "saddle", method: "newton",
			f: quadratic{2, 0, -2}, start: engine.Point{1, 1},
			want: []engine.Point{{0, 0}},
		},
		{
			// A tiny but well-conditioned Hessian 1e-20·I is not singular:
			// H⁻¹·g = θ as for the bowl.
			name: "tiny curvature", method: "newton",
			f: quadratic{1e-20, 0, 1e-20}, start: engine.Point{1, -2},
			want: []engine.Point{{0, 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkSteps(t, tt)
		})
	}
}

func TestNewtonSingular(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		f        quadratic
		alpha    float64
		singular bool
	}{
		{"saddle alpha 2", quadratic{2, 0, -2}, 2, true},          // H + 2I = diag(4, 0)
		{"rank one", quadratic{1, 1, 1}, 0, true},                 // det = 1 − 1 = 0
		{"zero", quadratic{0, 0, 0}, 0, true},                     // H = 0
		{"rounding noise", quadratic{1, 1, 1 + 0x1p-50}, 0, true}, // det = 2⁻⁵⁰ ≈ 8.9e-16 ≤ 1e-14·2
		{"rounding noise scaled", quadratic{1e-20, 1e-20, 1e-20 * (1 + 0x1p-50)}, 0, true},
		{"ill-conditioned", quadratic{1, 1, 1 + 1e-12}, 0, false}, // det = 1e-12 > 1e-14·2
		{"tiny", quadratic{1e-20, 0, 1e-20}, 0, false},            // det = 1e-40 > 1e-14·1e-40
		{"huge", quadratic{1e150, 0, 1e150}, 0, false},
		{"alpha rescues", quadratic{1, 1, 1}, 1, false}, // [2 1; 1 2], det 3
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opt := newOptimizer(t, "newton", engine.Params{"alpha": tt.alpha})
			start := engine.Point{1, -2}
			next, err := opt.Step(tt.f, start, tt.f.Gradient(start))
			switch {
			case tt.singular && !errors.Is(err, engine.ErrSingular):
				t.Errorf("Step = %v, %v; want an error wrapping ErrSingular", next, err)
			case !tt.singular && err != nil:
				t.Errorf("Step: %v, want a step", err)
			case !tt.singular && (!finite(next[0]) || !finite(next[1])):
				t.Errorf("Step = %v, want a finite point", next)
			}
		})
	}
}

// TestNewtonNeedsHessian checks that a function without a Hessian makes Step
// fail rather than panic.
func TestNewtonNeedsHessian(t *testing.T) {
	t.Parallel()
	opt := newOptimizer(t, "newton", nil)
	f := plane{3, -4}
	_, err := opt.Step(f, engine.Point{1, 1}, f.Gradient(engine.Point{1, 1}))
	if err == nil {
		t.Fatal("Step on a function without a Hessian succeeded, want an error")
	}
	if errors.Is(err, engine.ErrSingular) {
		t.Errorf("Step error %v wraps ErrSingular; the Hessian is missing, not singular", err)
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// TestNewtonSaddle is the chapter's point about Newton's method near a
// saddle (section 8.6.1): on f = x² − y², H = diag(2, −2), the pure step
// lands exactly on the saddle point from anywhere, while with alpha = 3,
// H + 3I = diag(5, 1) is positive definite and the step
// θ ← (x − 2x/5, y + 2y) = (0.6x, 3y) runs away from the saddle along y.
func TestNewtonSaddle(t *testing.T) {
	t.Parallel()
	s := lookupSurface(t, "saddle")
	var starts []engine.Point
	for _, x := range []float64{-1.9, -1, -0.3, 0, 1e-9, 0.7, 2} {
		for _, y := range []float64{-1.5, -0.01, 0, 1e-7, 0.5, 1.9} {
			starts = append(starts, engine.Point{x, y})
		}
	}
	starts = append(starts, s.Start, engine.Point{123.456, -654.321})
	for _, start := range starts {
		// Tol 0, so that even a start next to the saddle takes its step.
		r := engine.Run(s, newOptimizer(t, "newton", nil), start, engine.Limits{Steps: 1, Tol: 0})
		if len(r.Path) != 2 || r.Path[1] != (engine.Point{0, 0}) {
			t.Errorf("pure newton from %v: %s with %v, want the saddle (0, 0) in one step", start, r.Status, r.Path)
		}
	}
	for _, start := range starts {
		if start[1] == 0 {
			continue // on the x axis there is nothing to escape along
		}
		r := engine.Run(s, newOptimizer(t, "newton", engine.Params{"alpha": 3}), start, engine.Limits{Steps: 5, Tol: engine.DefaultTol})
		if len(r.Path) < 2 {
			t.Fatalf("newton alpha 3 from %v: %s with %v, want it to move", start, r.Status, r.Path)
		}
		for k := 1; k < len(r.Path); k++ {
			prev, p := r.Path[k-1], r.Path[k]
			if math.Abs(p[1]) <= math.Abs(prev[1]) || !near(p[1], 3*prev[1], 1e-15) || !near(p[0], 0.6*prev[0], 1e-15) {
				t.Errorf("newton alpha 3 from %v: step %d from %v to %v, want (0.6x, 3y)", start, k, prev, p)
			}
			if s.Value(p) >= s.Value(prev) {
				t.Errorf("newton alpha 3 from %v: step %d goes uphill, f from %g to %g", start, k, s.Value(prev), s.Value(p))
			}
		}
	}
}

// TestNewtonState checks the eigen-decomposition that Newton's state shows
// against the Hessian it came from: eigenvalues ascending, eigenvectors of
// unit length, orthogonal, H·e = λ·e, and Q·Λ·Qᵀ = H to 1e-12 relative to
// the size of H, on special matrices (diagonal, repeated eigenvalues,
// singular, tiny, huge) and at many points of every catalogue surface.
func TestNewtonState(t *testing.T) {
	t.Parallel()
	hessians := []surfaces.Hessian{
		{XX: 2, XY: 0, YY: 2},        // repeated eigenvalue, diagonal
		{XX: -3, XY: 0, YY: -3},      // repeated and negative
		{XX: 0, XY: 0, YY: 0},        // zero
		{XX: 2, XY: 0, YY: -2},       // the saddle
		{XX: -2, XY: 0, YY: 2},       // diagonal, descending
		{XX: 1, XY: 0, YY: 1 + 1e-9}, // nearly repeated
		{XX: 0, XY: 1, YY: 0},        // off-diagonal only
		{XX: 0, XY: -1, YY: 0},
		{XX: 2, XY: 1, YY: 2}, // equal diagonal
		{XX: 1, XY: 1, YY: 1}, // singular
		{XX: 1e-20, XY: 3e-21, YY: -2e-20},
		{XX: 1e150, XY: -1e149, YY: 3e150},
		{XX: 1200, XY: 480, YY: 200},
		{XX: 5, XY: 1e-17, YY: 5}, // nearly diagonal with a repeated diagonal
	}
	for _, s := range surfaces.All() {
		v := s.View
		for i := range 9 {
			for j := range 9 {
				p := surfaces.Point{v.XMin + (v.XMax-v.XMin)*float64(i)/8, v.YMin + (v.YMax-v.YMin)*float64(j)/8}
				hessians = append(hessians, s.Hessian(p))
			}
		}
	}
	for _, h := range hessians {
		opt := newOptimizer(t, "newton", nil)
		f := quadratic{h.XX, h.XY, h.YY}
		theta := engine.Point{1, -2}
		_, err := opt.Step(f, theta, f.Gradient(theta))
		st := stateOf(t, opt)
		if st.Hessian == nil || *st.Hessian != h || st.Eigenvalues == nil || st.Eigenvectors == nil {
			t.Fatalf("H = %+v: state %+v, want H with its eigen-decomposition", h, st)
		}
		if (err == nil) != (st.Direction != nil) {
			t.Errorf("H = %+v: step error %v with direction %v; want a direction exactly when the step succeeds", h, err, st.Direction)
		}
		checkEigen(t, h, *st.Eigenvalues, *st.Eigenvectors)
	}
}

func checkEigen(tb testing.TB, h surfaces.Hessian, values [2]float64, vectors [2]engine.Point) {
	tb.Helper()
	size := math.Max(math.Abs(h.XX), math.Max(math.Abs(h.XY), math.Abs(h.YY)))
	tol := 1e-12 * size
	if values[0] > values[1] {
		tb.Errorf("H = %+v: eigenvalues %v not ascending", h, values)
	}
	e0, e1 := vectors[0], vectors[1]
	for i, e := range vectors {
		if n := math.Hypot(e[0], e[1]); math.Abs(n-1) > 1e-15 {
			tb.Errorf("H = %+v: eigenvector %d = %v has length %v", h, i, e, n)
		}
		he := engine.Point{h.XX*e[0] + h.XY*e[1], h.XY*e[0] + h.YY*e[1]}
		if math.Abs(he[0]-values[i]*e[0]) > tol || math.Abs(he[1]-values[i]*e[1]) > tol {
			tb.Errorf("H = %+v: H·e%d = %v, λ·e = %v", h, i, he, scale(values[i], e))
		}
	}
	if d := e0[0]*e1[0] + e0[1]*e1[1]; math.Abs(d) > 1e-15 {
		tb.Errorf("H = %+v: eigenvectors %v not orthogonal (dot %v)", h, vectors, d)
	}
	// Q·Λ·Qᵀ, with the eigenvectors as the columns of Q.
	xx := values[0]*e0[0]*e0[0] + values[1]*e1[0]*e1[0]
	xy := values[0]*e0[0]*e0[1] + values[1]*e1[0]*e1[1]
	yy := values[0]*e0[1]*e0[1] + values[1]*e1[1]*e1[1]
	if math.Abs(xx-h.XX) > tol || math.Abs(xy-h.XY) > tol || math.Abs(yy-h.YY) > tol {
		tb.Errorf("H = %+v: Q·Λ·Qᵀ = [%v %v; %v %v]", h, xx, xy, xy, yy)
	}
}

// TestNewtonDirection checks that the direction Newton's state shows is
// −(H + αI)⁻¹·g, worked by hand: H + I = [3 1; 1 3], det 8, g = (2, 1) at
// (1, 0) on the quadratic [2 1; 1 2], so −(H + I)⁻¹·g = −(5/8, 1/8).
func TestNewtonDirection(t *testing.T) {
	t.Parallel()
	opt := newOptimizer(t, "newton", engine.Params{"alpha": 1})
	f := quadratic{2, 1, 2}
	if _, err := opt.Step(f, engine.Point{1, 0}, f.Gradient(engine.Point{1, 0})); err != nil {
		t.Fatal(err)
	}
	st := stateOf(t, opt)
	if st.Direction == nil || *st.Direction != (engine.Point{-0.625, -0.125}) {
		t.Errorf("Direction = %v, want (−0.625, −0.125)", st.Direction)
	}
	// H = [2 1; 1 2] has eigenvalues 1 and 3 along (1, −1)/√2 and (1, 1)/√2.
	if st.Eigenvalues == nil || !near(st.Eigenvalues[0], 1, 1e-15) || !near(st.Eigenvalues[1], 3, 1e-15) {
		t.Errorf("Eigenvalues = %v, want (1, 3)", st.Eigenvalues)
	}
	r := math.Sqrt2 / 2
	if e := st.Eigenvectors; e == nil ||
		!nearPoint(engine.Point{math.Abs(e[0][0]), math.Abs(e[0][1])}, engine.Point{r, r}, 1e-15) || e[0][0]*e[0][1] > 0 ||
		!nearPoint(engine.Point{math.Abs(e[1][0]), math.Abs(e[1][1])}, engine.Point{r, r}, 1e-15) || e[1][0]*e[1][1] < 0 {
		t.Errorf("Eigenvectors = %v, want ±(1, −1)/√2 and ±(1, 1)/√2", e)
	}
}
