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
// Once alpha exceeds −λ for every negative eigenvalue λ of H, H + αI is
// positive definite and the step goes downhill instead: on the saddle
// x² − y², H = diag(2, −2), the pure step lands on the saddle point from
// anywhere, while with alpha = 3 it multiplies y by 3 and moves away from it.
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
//
// Newton keeps nothing from one step to the next but the record of the last
// step, for State.
type Newton struct {
	Alpha float64

	h         surfaces.Hessian // ∇²f(θₖ) of the last step
	direction Point            // −(H + αI)⁻¹·g of the last step
	solved    bool             // whether the last step found a direction
}

// Step solves (H + αI)·d = g and returns θ − d.
func (o *Newton) Step(f surfaces.Function, theta, grad Point) (next Point, err error) {
	tf, ok := f.(surfaces.TwiceDifferentiable)
	if !ok {
		return theta, fmt.Errorf("engine: newton needs the Hessian, and %T does not give one", f)
	}
	h := tf.Hessian(theta)
	o.h, o.solved = h, false
	a, b, d := h.XX+o.Alpha, h.XY, h.YY+o.Alpha
	det := a*d - b*b
	if math.Abs(det) <= singularRatio*(math.Abs(a)*math.Abs(d)+b*b) {
		return theta, fmt.Errorf("%w: det(H + αI) = %g at θ = (%g, %g) with α = %g",
			ErrSingular, det, theta[0], theta[1], o.Alpha)
	}
	// (H + αI)⁻¹ = [d −b; −b a] / det.
	step := Point{(d*grad[0] - b*grad[1]) / det, (a*grad[1] - b*grad[0]) / det}
	o.direction, o.solved = Point{-step[0], -step[1]}, true
	next[0] = theta[0] - step[0]
	next[1] = theta[1] - step[1]
	return next, nil
}

// State shows the Hessian H = ∇²f(θₖ) of the last step (without α) with its
// eigenvalues and eigenvectors, and as Direction the Newton step
// −(H + αI)⁻¹·g, which is left out when H + αI was singular.
func (o *Newton) State() State { return stateOf(o) }

func (o *Newton) newTrace() (*Trace, *Point) {
	b := newNewtonTrace(o.h)
	if o.solved {
		b.values.direction = o.direction
		b.trace.State.Direction = &b.values.direction
	}
	return b.parts()
}

// newtonValues are the values that the State of Newton and NewtonLS points
// to, in the trace that holds them. The comment of each value names the
// field of State that points to it.
type newtonValues struct {
	hessian      surfaces.Hessian // Hessian
	eigenvalues  [2]float64       // Eigenvalues
	eigenvectors [2]Point         // Eigenvectors
	direction    Point            // Direction
}

// newNewtonTrace returns a trace block whose State shows the Hessian h with
// its eigenvalues and eigenvectors, to which Newton and NewtonLS add their
// direction.
func newNewtonTrace(h surfaces.Hessian) *traceBlock[newtonValues] {
	b := new(traceBlock[newtonValues])
	v, st := &b.values, &b.trace.State
	v.hessian = h
	v.eigenvalues, v.eigenvectors = symmetricEigen(h)
	st.Hessian, st.Eigenvalues, st.Eigenvectors = &v.hessian, &v.eigenvalues, &v.eigenvectors
	return b
}

// symmetricEigen returns the eigenvalues of the symmetric matrix
// H = [a b; b d] in ascending order, with matching unit eigenvectors, in
// closed form. With m = (a + d)/2 and r = √(((a − d)/2)² + b²), the
// eigenvalues are m − r and m + r, and the eigenvector of m + r is
// (cos φ, sin φ) with φ = ½·atan2(2b, a − d), the angle that diagonalises H;
// the other is (−sin φ, cos φ). Through atan2 the formula needs no special
// cases: with b = 0 it gives the coordinate axes, and with a repeated
// eigenvalue (a = d, b = 0), where every vector is an eigenvector, it gives
// the axes as well.
func symmetricEigen(h surfaces.Hessian) (values [2]float64, vectors [2]Point) {
	m := (h.XX + h.YY) / 2
	r := math.Hypot((h.XX-h.YY)/2, h.XY)
	sin, cos := math.Sincos(math.Atan2(2*h.XY, h.XX-h.YY) / 2)
	// 0 − sin rather than −sin, so that a zero comes out as 0, not −0.
	return [2]float64{m - r, m + r}, [2]Point{{0 - sin, cos}, {cos, sin}}
}

var (
	_ Optimizer = (*Newton)(nil)
	_ tracer    = (*Newton)(nil)
)
