package engine

import (
	"gonum.org/v1/gonum/optimize"

	"saddlepoint/surfaces"
)

func init() {
	register(Method{
		Name:         "newton-ls",
		Title:        "Newton's method with line search",
		Rule:         "d ← −(H + τI)⁻¹·g, τ ≥ 0 just large enough for H + τI to be positive definite; θ ← θ + α·d, α from a line search",
		NeedsHessian: true,
		build:        func(Params) Optimizer { return &NewtonLS{} },
	})
}

// NewtonLS is gonum's modified Newton method (optimize.Newton): Newton's
// method, Algorithm 8.8 of the book, made safe away from a minimum by
// regularising the Hessian, as section 8.6.1 suggests, and by a line search,
//
//	d ← −(H + τI)⁻¹·g
//	θ ← θ + α·d
//
// where H = ∇²f(θ) and α comes from a line search. τ is 0 if H is positive
// definite. Otherwise, when a diagonal entry of H is not positive, τ starts
// at the last iteration's τ, or at 0.001 − min Hᵢᵢ if that was 0, and when
// every diagonal entry is positive at 0.001; it grows by a factor of 5 until
// H + τI is positive definite (Nocedal & Wright, Numerical Optimization,
// 2nd ed., Algorithm 3.3). After 20 tries d is −g. So d is always a descent
// direction, and unlike the pure Newton step it leads away from saddle
// points and maxima. The settings are gonum's defaults
// (optimize.Newton.initLocal in gonum v0.17.0, newton.go): Increase 5 and
// optimize.Bisection with curvature factor 0.9 as the line search, which
// starts at α = 1, the full Newton step.
//
// The function must be a surfaces.TwiceDifferentiable; Step returns an error
// for one that is not. A NewtonLS holds the state of one run and must not be
// reused for another.
type NewtonLS struct {
	ls lineSearch

	hessian surfaces.Hessian // ∇²f at the last Step's θ
}

// Step takes one line search along the regularised Newton direction.
func (o *NewtonLS) Step(f surfaces.Function, theta, _ Point) (Point, error) {
	if o.ls.next == nil {
		o.ls = lineSearch{
			next:     &optimize.Newton{Increase: 5},
			searcher: &optimize.Bisection{},
			hessian:  true,
			observe:  o.observe,
		}
	}
	return o.ls.step(f, theta)
}

func (o *NewtonLS) observe(loc *optimize.Location, _ []float64, _ bool) {
	h := loc.Hessian
	o.hessian = surfaces.Hessian{XX: h.At(0, 0), XY: h.At(0, 1), YY: h.At(1, 1)}
}

// Probes returns the line search's trial points of the last Step.
func (o *NewtonLS) Probes() []Point { return o.ls.probes }

// State returns H at the last Step's θ with its eigenvalues and
// eigenvectors, as Newton's State gives them, and the direction d the line
// search moved along.
func (o *NewtonLS) State() State { return stateOf(o) }

func (o *NewtonLS) newTrace() (*Trace, *Point) {
	b := newNewtonTrace(o.hessian)
	b.values.direction = o.ls.dir
	b.trace.State.Direction = &b.values.direction
	return b.parts()
}

var (
	_ Optimizer = (*NewtonLS)(nil)
	_ Prober    = (*NewtonLS)(nil)
	_ tracer    = (*NewtonLS)(nil)
)
