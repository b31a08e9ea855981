package engine

import (
	"gonum.org/v1/gonum/optimize"

	"saddlepoint/surfaces"
)

func init() {
	register(Method{
		Name:  "bfgs",
		Title: "BFGS",
		Rule:  "d ← −M·g; θ ← θ + α·d, α from a line search; M ← BFGS update of H⁻¹",
		build: func(Params) Optimizer { return &BFGS{} },
	})
	register(Method{
		Name:  "lbfgs",
		Title: "L-BFGS",
		Rule:  "d ← −M·g from the last memory steps; θ ← θ + α·d, α from a line search",
		Params: []Param{{Name: "memory", Kind: Integer, Default: 5.0, Min: 1, Max: 100,
			About: "how many of the latest steps and gradient changes build the approximation of H⁻¹"}},
		build: func(p Params) Optimizer { return &LBFGS{Memory: p.Int("memory")} },
	})
}

// BFGS is the Broyden–Fletcher–Goldfarb–Shanno method of section 8.6.3 of
// the book, as gonum's optimize.BFGS implements it: a quasi-Newton method
// that keeps M, an approximation of the inverse Hessian H⁻¹, and corrects it
// after each step with what the step taught about the curvature,
//
//	d ← −M·g
//	θ ← θ + α·d
//	s = θ − θ₋,  y = g − g₋
//	M ← M + (sᵀy + yᵀMy)·ssᵀ/(sᵀy)² − (My·sᵀ + s·yᵀM)/sᵀy
//
// where α comes from a line search that satisfies the strong Wolfe
// conditions. M starts as the identity, so the first direction is −g, and is
// rescaled to (sᵀy/yᵀy)·I before the first update. The line search is
// gonum's default for BFGS (optimize.BFGS.initLocal in gonum v0.17.0,
// bfgs.go): optimize.Bisection with curvature factor 0.9 and no decrease
// factor, starting each search at α = 1 (at a step of length 1 for the
// first).
//
// A BFGS holds the state of one run and must not be reused for another.
type BFGS struct {
	ls     lineSearch
	invH   surfaces.Hessian // M of the last direction
	x, g   Point            // θ and ∇f where M was last updated
	scaled bool             // whether M has been rescaled yet
}

// Step takes one line search along −M·g and updates M.
func (o *BFGS) Step(f surfaces.Function, theta, _ Point) (Point, error) {
	if o.ls.next == nil {
		o.ls = lineSearch{next: &optimize.BFGS{}, searcher: &optimize.Bisection{}, observe: o.observe}
	}
	return o.ls.step(f, theta)
}

// observe follows gonum's update of M (optimize.BFGS.NextDirection), whose
// matrix gonum keeps to itself, so that State can show it.
func (o *BFGS) observe(loc *optimize.Location, _ []float64, first bool) {
	x, g := Point{loc.X[0], loc.X[1]}, Point{loc.Gradient[0], loc.Gradient[1]}
	if first {
		o.invH = surfaces.Hessian{XX: 1, YY: 1}
		o.x, o.g, o.scaled = x, g, false
		return
	}
	s := Point{x[0] - o.x[0], x[1] - o.x[1]}
	y := Point{g[0] - o.g[0], g[1] - o.g[1]}
	sy := s[0]*y[0] + s[1]*y[1]
	if !o.scaled {
		scale := sy / (y[0]*y[0] + y[1]*y[1])
		o.invH = surfaces.Hessian{XX: scale, YY: scale}
		o.scaled = true
	}
	if sy != 0 {
		m := o.invH
		my := Point{m.XX*y[0] + m.XY*y[1], m.XY*y[0] + m.YY*y[1]}
		c := (1 + (y[0]*my[0]+y[1]*my[1])/sy) / sy
		o.invH = surfaces.Hessian{
			XX: m.XX + c*s[0]*s[0] - 2*my[0]*s[0]/sy,
			XY: m.XY + c*s[0]*s[1] - (my[0]*s[1]+s[0]*my[1])/sy,
			YY: m.YY + c*s[1]*s[1] - 2*my[1]*s[1]/sy,
		}
	}
	o.x, o.g = x, g
}

// Probes returns the line search's trial points of the last Step.
func (o *BFGS) Probes() []Point { return o.ls.probes }

// State returns the search direction d = −M·g and the M that gave it.
func (o *BFGS) State() State { return stateOf(o) }

func (o *BFGS) newTrace() (*Trace, *Point) {
	b := newSearchTrace(o.ls.dir)
	b.values.inverseHessian = o.invH
	b.trace.State.InverseHessian = &b.values.inverseHessian
	return b.parts()
}

// LBFGS is limited-memory BFGS, section 8.6.3 of the book, as gonum's
// optimize.LBFGS implements it: rather than storing M ≈ H⁻¹, it keeps the
// last Memory pairs s = θ − θ₋, y = g − g₋ and computes d = −M·g from them
// with the two-loop recursion (Nocedal & Wright, Numerical Optimization,
// 2nd ed., Algorithm 7.4), starting from M₀ = (sᵀy/yᵀy)·I for the latest
// pair,
//
//	d ← −M·g
//	θ ← θ + α·d
//
// where α comes from a line search that satisfies the strong Wolfe
// conditions, and the first direction is −g. Memory ∈ [1, 100] when built
// through the catalogue. The line search is gonum's default for L-BFGS
// (optimize.LBFGS.initLocal in gonum v0.17.0, lbfgs.go): optimize.Bisection
// with curvature factor 0.9, starting each search at α = 1 (at a step of
// length 1 for the first). gonum's own default memory is 15; the
// catalogue's is 5.
//
// An LBFGS holds the state of one run and must not be reused for another.
type LBFGS struct {
	Memory int

	ls lineSearch
}

// Step takes one line search along −M·g.
func (o *LBFGS) Step(f surfaces.Function, theta, _ Point) (Point, error) {
	if o.ls.next == nil {
		if o.Memory < 1 {
			panic("engine: L-BFGS needs a memory of at least 1")
		}
		o.ls = lineSearch{next: &optimize.LBFGS{Store: o.Memory}, searcher: &optimize.Bisection{}}
	}
	return o.ls.step(f, theta)
}

// Probes returns the line search's trial points of the last Step.
func (o *LBFGS) Probes() []Point { return o.ls.probes }

// State returns the search direction d = −M·g.
func (o *LBFGS) State() State { return stateOf(o) }

func (o *LBFGS) newTrace() (*Trace, *Point) {
	return newSearchTrace(o.ls.dir).parts()
}

var (
	_ Optimizer = (*BFGS)(nil)
	_ Prober    = (*BFGS)(nil)
	_ tracer    = (*BFGS)(nil)
	_ Optimizer = (*LBFGS)(nil)
	_ Prober    = (*LBFGS)(nil)
	_ tracer    = (*LBFGS)(nil)
)
