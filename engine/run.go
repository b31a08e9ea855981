package engine

import (
	"errors"
	"math"

	"saddlepoint/surfaces"
)

// Status says why a trajectory stopped.
type Status string

// The statuses a run can end with.
const (
	// Running is the status of a trajectory that has not stopped yet.
	Running Status = "running"
	// Converged: the gradient norm at the last iterate fell below the tolerance.
	Converged Status = "converged"
	// Diverged: the next iterate had a non-finite value or coordinate, or a
	// coordinate beyond DivergenceBound; it is left out of the path.
	Diverged Status = "diverged"
	// MaxSteps: the run took every step it was allowed.
	MaxSteps Status = "max_steps"
	// Singular: Newton's H + αI could not be inverted at the last iterate.
	Singular Status = "singular"
	// Stalled: a line search found no acceptable point from the last
	// iterate, which happens when f cannot be decreased any further in
	// floating point before the gradient test is met.
	Stalled Status = "stalled"
)

// DivergenceBound is the largest coordinate magnitude an iterate may have.
const DivergenceBound = 1e6

// Defaults and limits of a run.
const (
	DefaultSteps = 200
	MaxStepLimit = 100000
	DefaultTol   = 1e-8
)

// Limits bound a run.
type Limits struct {
	// Steps is the most updates the run takes.
	Steps int
	// Tol stops the run once ‖∇f(θ)‖ < Tol; 0 disables the check.
	Tol float64
}

// Iterate is one point of a trajectory with its loss f(θ).
type Iterate struct {
	Theta Point
	Loss  float64
}

// Trajectory steps an optimizer over a function under the run rules, one
// iterate at a time:
//
//   - the first iterate is the start;
//   - before stepping from iterate k, if f(θₖ) or a coordinate of θₖ is not
//     finite or a coordinate exceeds DivergenceBound in magnitude, the run
//     stops as Diverged and θₖ is not yielded, so every yielded number is
//     finite;
//   - otherwise θₖ is yielded; then if ‖∇f(θₖ)‖ < Tol the run stops as
//     Converged, and after Steps updates it stops as MaxSteps.
//
// Use it like a bufio.Scanner:
//
//	tr := engine.NewTrajectory(f, opt, start, limits)
//	for tr.Next() {
//		use(tr.Iterate())
//	}
//	status := tr.Status()
type Trajectory struct {
	f      surfaces.Function
	opt    Optimizer
	limits Limits

	theta  Point // the iterate to examine on the next call to Next
	k      int   // index of theta
	cur    Iterate
	grad   Point // ∇f(cur.Theta)
	status Status
}

// NewTrajectory prepares a run of opt over f from start. opt must be fresh.
func NewTrajectory(f surfaces.Function, opt Optimizer, start Point, limits Limits) *Trajectory {
	return &Trajectory{f: f, opt: opt, limits: limits, theta: start, status: Running}
}

// Next advances to the next iterate and reports whether there is one. When
// it returns false the run is over and Status says why.
func (t *Trajectory) Next() bool {
	if t.status != Running {
		return false
	}
	if t.k > 0 {
		// Step from the iterate yielded last; its gradient is in t.grad.
		next, err := t.opt.Step(t.f, t.cur.Theta, t.grad)
		if err != nil {
			switch {
			case errors.Is(err, ErrSingular):
				t.status = Singular
			case errors.Is(err, ErrStalled):
				t.status = Stalled
			default:
				t.status = Diverged
			}
			return false
		}
		t.theta = next
	}
	theta := t.theta
	loss := t.f.Value(theta)
	if !finite(loss) || !inBounds(theta) {
		t.status = Diverged
		return false
	}
	t.cur = Iterate{Theta: theta, Loss: loss}
	t.grad = t.f.Gradient(theta)
	switch {
	case t.limits.Tol > 0 && math.Hypot(t.grad[0], t.grad[1]) < t.limits.Tol:
		t.status = Converged
	case t.k >= t.limits.Steps:
		t.status = MaxSteps
	}
	t.k++
	return true
}

// Iterate returns the iterate that the last successful Next advanced to.
func (t *Trajectory) Iterate() Iterate { return t.cur }

// Status returns why the run stopped, or Running while it goes on.
func (t *Trajectory) Status() Status { return t.status }

// Result is a finished run.
type Result struct {
	Path   []Point
	Loss   []float64
	Status Status
}

// Run steps opt over f from start until the run rules stop it and returns the
// whole trajectory.
func Run(f surfaces.Function, opt Optimizer, start Point, limits Limits) Result {
	tr := NewTrajectory(f, opt, start, limits)
	var r Result
	for tr.Next() {
		it := tr.Iterate()
		r.Path = append(r.Path, it.Theta)
		r.Loss = append(r.Loss, it.Loss)
	}
	r.Status = tr.Status()
	return r
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func inBounds(p Point) bool {
	return finite(p[0]) && finite(p[1]) &&
		math.Abs(p[0]) <= DivergenceBound && math.Abs(p[1]) <= DivergenceBound
}
