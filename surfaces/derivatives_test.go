package surfaces

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

// central4 is the fourth-order central difference
//
//	f'(x) ≈ (f(x−2h) − 8f(x−h) + 8f(x+h) − f(x+2h)) / 12h,
//
// accurate enough that a tolerance tight enough to catch a 1% error in any
// term of a derivative still clears its truncation error on the rippled
// Rastrigin and the steep corners of Beale. fd.Hessian applies it twice.
var central4 = fd.Formula{
	Stencil: []fd.Point{
		{Loc: -2, Coeff: 1.0 / 12}, {Loc: -1, Coeff: -8.0 / 12},
		{Loc: 1, Coeff: 8.0 / 12}, {Loc: 2, Coeff: -1.0 / 12},
	},
	Derivative: 1,
	Step:       1e-3,
}

// Step sizes balance truncation error (∝ h⁴) against rounding error
// (∝ ε|f|/h for the gradient, ε|f|/h² for the Hessian).
const (
	gradientStep = 1e-3
	hessianStep  = 2e-3
)

// Tolerances: a finite-difference estimate d of an exact derivative a passes
// when |a − d| ≤ tol·(1 + |f| + ‖a‖), with ‖a‖ the largest entry of the
// exact gradient or Hessian. The |f| term covers the rounding error of
// differencing large values. Over the test points the largest error is
// about 20 times smaller than the tolerance (on Rastrigin), while a 1% error
// in any single term of any value, gradient or Hessian exceeds it at some
// test point.
const (
	gradientTol = 1e-9
	hessianTol  = 1e-7
)

// lengthScale shrinks the finite-difference steps, and so their truncation
// error, on surfaces that change over short distances: the cliff's wall
// rises over a width of about 1/200.
var lengthScale = map[string]float64{"cliff": 0.05}

// steps returns the gradient and Hessian steps for s.
func steps(s Surface) (gradient, hessian float64) {
	scale, ok := lengthScale[s.Name]
	if !ok {
		scale = 1
	}
	return gradientStep * scale, hessianStep * scale
}

// testPoints returns a 9 × 9 grid over v, edges included, and 40 seeded
// random points inside it.
func testPoints(v View) []Point {
	const n = 9
	var pts []Point
	for i := range n {
		for j := range n {
			pts = append(pts, Point{
				v.XMin + (v.XMax-v.XMin)*float64(i)/(n-1),
				v.YMin + (v.YMax-v.YMin)*float64(j)/(n-1),
			})
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 40 {
		pts = append(pts, Point{
			v.XMin + (v.XMax-v.XMin)*rng.Float64(),
			v.YMin + (v.YMax-v.YMin)*rng.Float64(),
		})
	}
	return pts
}

func TestDerivatives(t *testing.T) {
	t.Parallel()
	for _, s := range All() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			for _, p := range testPoints(s.View) {
				checkGradient(t, s, p)
				checkHessian(t, s, p)
			}
		})
	}
}

// valueFunc adapts s's value to the []float64 form fd works with.
func valueFunc(s TwiceDifferentiable) func([]float64) float64 {
	return func(x []float64) float64 { return s.Value(Point{x[0], x[1]}) }
}

// checkGradient compares s's exact gradient at p with a finite-difference
// estimate from its values.
func checkGradient(tb testing.TB, s Surface, p Point) {
	tb.Helper()
	got := s.Gradient(p)
	step, _ := steps(s)
	want := fd.Gradient(nil, valueFunc(s), p[:], &fd.Settings{Formula: central4, Step: step})
	tol := gradientTol * (1 + math.Abs(s.Value(p)) + max(math.Abs(got[0]), math.Abs(got[1])))
	for i := range 2 {
		if math.Abs(got[i]-want[i]) > tol {
			tb.Errorf("%s: ∂f/∂%c at (%g, %g) = %.12g, finite differences give %.12g (tolerance %.3g)",
				s.Name, "xy"[i], p[0], p[1], got[i], want[i], tol)
		}
	}
}

// checkHessian compares s's exact Hessian at p with a finite-difference
// estimate from its values.
func checkHessian(tb testing.TB, s Surface, p Point) {
	tb.Helper()
	var want mat.SymDense
	_, step := steps(s)
	fd.Hessian(&want, valueFunc(s), p[:], &fd.Settings{Formula: central4, Step: step})
	h := s.Hessian(p)
	got := [3]float64{h.XX, h.XY, h.YY}
	tol := hessianTol * (1 + math.Abs(s.Value(p)) + max(math.Abs(h.XX), math.Abs(h.XY), math.Abs(h.YY)))
	for k, ij := range [3][2]int{{0, 0}, {0, 1}, {1, 1}} {
		if w := want.At(ij[0], ij[1]); math.Abs(got[k]-w) > tol {
			tb.Errorf("%s: ∂²f/∂%c∂%c at (%g, %g) = %.12g, finite differences give %.12g (tolerance %.3g)",
				s.Name, "xy"[ij[0]], "xy"[ij[1]], p[0], p[1], got[k], w, tol)
		}
	}
}

// checkHessianOfGradient compares s's exact Hessian at p with the
// finite-difference Jacobian of its exact gradient. The Jacobian of a true
// gradient is symmetric, so this catches a Hessian whose off-diagonal entry
// fits only one of ∂²f/∂x∂y and ∂²f/∂y∂x.
func checkHessianOfGradient(tb testing.TB, s Surface, p Point) {
	tb.Helper()
	var jac mat.Dense
	jac.ReuseAs(2, 2)
	grad := func(g, x []float64) {
		gp := s.Gradient(Point{x[0], x[1]})
		copy(g, gp[:])
	}
	step, _ := steps(s)
	fd.Jacobian(&jac, grad, p[:], &fd.JacobianSettings{Formula: central4, Step: step})
	h := s.Hessian(p)
	want := [2][2]float64{{h.XX, h.XY}, {h.XY, h.YY}}
	g := s.Gradient(p)
	tol := gradientTol * (1 + math.Hypot(g[0], g[1]) + max(math.Abs(h.XX), math.Abs(h.XY), math.Abs(h.YY)))
	for i := range 2 {
		for j := range 2 {
			if d := jac.At(i, j); math.Abs(d-want[i][j]) > tol {
				tb.Errorf("%s: ∂(∂f/∂%c)/∂%c at (%g, %g) is %.12g by finite differences of the gradient, Hessian says %.12g (tolerance %.3g)",
					s.Name, "xy"[i], "xy"[j], p[0], p[1], d, want[i][j], tol)
			}
		}
	}
}

func TestHessianOfGradient(t *testing.T) {
	t.Parallel()
	for _, s := range All() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			for _, p := range testPoints(s.View) {
				checkHessianOfGradient(t, s, p)
			}
		})
	}
}

// FuzzDerivatives checks, at any point of any surface's view, that the
// exact gradient matches finite differences of the value and that the exact
// Hessian matches finite differences of the gradient. The fuzzed u and v
// place the point: their fractional parts are the point's relative position
// across the view, so every finite input lands inside it.
func FuzzDerivatives(f *testing.F) {
	for i, s := range All() {
		v := s.View
		f.Add(uint8(i), (s.Start[0]-v.XMin)/(v.XMax-v.XMin), (s.Start[1]-v.YMin)/(v.YMax-v.YMin))
	}
	all := All()
	f.Fuzz(func(t *testing.T, which uint8, u, v float64) {
		if math.IsNaN(u) || math.IsInf(u, 0) || math.IsNaN(v) || math.IsInf(v, 0) {
			t.Skip("the point must be finite")
		}
		s := all[int(which)%len(all)]
		w := s.View
		// min guards against XMin + (XMax − XMin) rounding past XMax.
		p := Point{
			min(w.XMin+(w.XMax-w.XMin)*(u-math.Floor(u)), w.XMax),
			min(w.YMin+(w.YMax-w.YMin)*(v-math.Floor(v)), w.YMax),
		}
		checkGradient(t, s, p)
		checkHessianOfGradient(t, s, p)
	})
}
