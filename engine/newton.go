package engine

import (
	"fmt"
	"math"

	"saddlepoint/surfaces"
)

func init() {
	register(Method{
		Name:  "newton",
		Title: "Newton's method",
		Rule:  "θ ← θ − (H + alpha·I)⁻¹·g",
		Params: []Param{{Name: "alpha", Default: 0.0, Min: 0, Max: 1e6,
			About: "regularisation α added to the Hessian's diagonal; 0 is the pure Newton step"}},
		NeedsHessian: true,
		build:        func(p Params) Optimizer { return &Newton{Alpha: p.Float("alpha")} },
	})
}

// singularRatio is how small |det| may be, relative to the size of the two
// products it is the difference of, before H + αI counts as singular.
const singularRatio = 1e-14

// Newton is Newton's method, Algorithm 8.8 of the book, taking the pure step
// with no line search, regularised as in section 8.6.1 by adding α to the
// Hessian's diagonal:
//
//	θ ← θ − (H + alpha·I)⁻¹·g
//
// where H = ∇²f(θ). Alpha ∈ [0, 1e6] when built through the catalogue; with
// alpha = 0 it is the pure Newton step, which jumps to the critical point of
// the local quadratic model whatever its kind, saddles and maxima included.
// Newton has no state.
//
// The 2 × 2 system is solved in closed form. Writing H + αI = [a b; b d],
// the matrix counts as singular, and Step returns an error wrapping
// ErrSingular, when
//
//	|ad − b²| ≤ 1e-14·(|a|·|d| + b²)
//
// that is, when the determinant is zero or is no bigger than the rounding
// error of computing it (about 45 ulps of its terms): the step is then
// meaningless or astronomically long. The test is relative, so it does not
// depend on the scale of f.
//
// The function must be a surfaces.TwiceDifferentiable; Step returns an error
// for one that is not.
type Newton struct {
	Alpha float64
}

// Step solves (H + αI)·d = g and returns θ − d.
func (o *Newton) Step(f surfaces.Function, theta, grad Point) (Point, error) {
	tf, ok := f.(surfaces.TwiceDifferentiable)
	if !ok {
		return theta, fmt.Errorf("engine: newton needs the Hessian, and %T does not give one", f)
	}
	h := tf.Hessian(theta)
	a, b, d := h.XX+o.Alpha, h.XY, h.YY+o.Alpha
	det := a*d - b*b
	if math.Abs(det) <= singularRatio*(math.Abs(a)*math.Abs(d)+b*b) {
		return theta, fmt.Errorf("%w: det(H + αI) = %g at θ = (%g, %g) with α = %g",
			ErrSingular, det, theta[0], theta[1], o.Alpha)
	}
	// (H + αI)⁻¹ = [d −b; −b a] / det.
	theta[0] = theta[0] - (d*grad[0]-b*grad[1])/det
	theta[1] = theta[1] - (a*grad[1]-b*grad[0])/det
	return theta, nil
}

var _ Optimizer = (*Newton)(nil)
