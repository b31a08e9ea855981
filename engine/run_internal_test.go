package engine

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGradientTestMatchesHypot checks that the run's convergence test,
// decided from g·g, gives exactly the decision math.Hypot(g) < tol gives, at
// and around the boundary, for tolerances inside and outside the range
// where g·g decides, and for gradients whose squares underflow or overflow.
func TestGradientTestMatchesHypot(t *testing.T) {
	t.Parallel()
	inf, nan := math.Inf(1), math.NaN()
	tols := []float64{DefaultTol, 1, 0.5, 1e-3, 3e-7, gradientTestMinTol, gradientTestMaxTol,
		math.Nextafter(gradientTestMinTol, 0), math.Nextafter(gradientTestMaxTol, inf),
		1e-200, 5e-324, 1e200, math.MaxFloat64, inf, 0, -1, nan}
	for _, tol := range tols {
		c := newGradientTest(tol)
		check := func(g Point) {
			t.Helper()
			want := tol > 0 && math.Hypot(g[0], g[1]) < tol
			if got := c.met(g); got != want {
				t.Errorf("tol %g, g = %v: met = %t, Hypot says %t", tol, g, got, want)
			}
		}
		for _, g := range []Point{
			{0, 0}, {math.Copysign(0, -1), 0}, {tol, 0}, {0, -tol}, {tol / 2, tol / 2},
			{1e-170, 1e-170}, {5e-324, 0}, {1e-160, 3e-160},
			{1e154, 1e154}, {1e200, 0}, {0, -1e300}, {math.MaxFloat64, math.MaxFloat64},
			{inf, 0}, {0, -inf}, {nan, 0}, {0, nan}, {nan, inf},
		} {
			check(g)
		}
		if !(tol > 0) || math.IsInf(tol, 0) {
			continue
		}
		// Points on and around the circle ‖g‖ = tol, in many directions and
		// within a few ulps either side, where the squared norm and Hypot
		// round differently.
		r := rand.New(rand.NewPCG(1, uint64(math.Float64bits(tol))))
		for range 2000 {
			a := 2 * math.Pi * r.Float64()
			norm := tol * (1 + float64(r.IntN(33)-16)*0x1p-52)
			g := Point{norm * math.Cos(a), norm * math.Sin(a)}
			check(g)
			check(Point{math.Nextafter(g[0], 0), g[1]})
			check(Point{g[0], math.Nextafter(g[1], inf)})
		}
		for range 2000 { // and anywhere within a few orders of magnitude
			check(Point{tol * r.NormFloat64() * math.Pow(10, 4*r.Float64()-2), tol * r.NormFloat64()})
		}
	}
}

// TestGradientTestOverflow checks that a gradient whose squared norm
// overflows, or that is not finite, never passes the test, and that a run
// starting where the gradient is that large does not stop as converged.
func TestGradientTestOverflow(t *testing.T) {
	t.Parallel()
	c := newGradientTest(1)
	for _, g := range []Point{{1e160, 0}, {-1e300, 1e300}, {math.MaxFloat64, 0}, {math.Inf(-1), 0}, {math.NaN(), 0}} {
		if c.met(g) {
			t.Errorf("‖%v‖ < 1 passed", g)
		}
	}
	r := Run(steep{}, &SGD{LR: 0}, Point{1, 1}, Limits{Steps: 3, Tol: 1})
	if r.Status != MaxSteps || len(r.Path) != 4 {
		t.Errorf("a run where ∇f = (1e300, −1e300) ended %s after %d points, want %s after 4", r.Status, len(r.Path), MaxSteps)
	}
}

// steep is the plane f = 1e300·(x − y), so steep that its squared gradient
// overflows.
type steep struct{}

func (steep) Value(p Point) float64 { return 1e300 * (p[0] - p[1]) }
func (steep) Gradient(Point) Point  { return Point{1e300, -1e300} }
