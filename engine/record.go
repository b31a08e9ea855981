package engine

import "saddlepoint/surfaces"

// Prober is an Optimizer whose step tries points before it settles on the
// next iterate, as a line search does. Probes returns the trial points
// evaluated during the last Step other than the iterate it returned, in the
// order they were tried; the slice may be reused by the next Step.
type Prober interface {
	Probes() []Point
}

// Stater is an Optimizer that can show its internal state, for the step
// inspector. State describes the last Step: the quantities it used to move
// from θₖ to θₖ₊₁.
type Stater interface {
	State() State
}

// tracer is a Stater that makes the trace of its last step itself, so that
// a traced run allocates once per iterate: for the trace, its step and the
// values its State points to together, in a block sized to what the
// optimizer shows.
type tracer interface {
	Stater
	// newTrace returns a new Trace whose State is what State returns, and
	// room in the same allocation for the Step it is to point to. The
	// caller sets Gradient and Step.
	newTrace() (trace *Trace, step *Point)
}

// traceBlock is a Trace with room for its step and for the values V that its
// State points to, in one allocation. The tracers of the package's
// optimizers set the fields of its State one by one rather than assign it a
// whole State, fourteen pointers, which is copied with a bulk write barrier
// whenever the collector is running (staterTracer, for a Stater of another
// package, has a whole State to assign).
type traceBlock[V any] struct {
	trace  Trace
	step   Point
	values V
}

// parts returns the trace of b and the room for its step, as newTrace
// returns them.
func (b *traceBlock[V]) parts() (*Trace, *Point) { return &b.trace, &b.step }

// newPlainTrace returns a new Trace with an empty State and room for its
// step, for an optimizer that has no state.
func newPlainTrace() (*Trace, *Point) {
	return new(traceBlock[struct{}]).parts()
}

// stateOf returns the State of a tracer, which is its trace's: the State
// method of each tracer of the package.
func stateOf(t tracer) State {
	trace, _ := t.newTrace()
	return trace.State
}

// tracerOf returns opt as a tracer: opt itself if it is one, a tracer
// that asks State if it is a Stater of another package, and nil if it is
// no Stater.
func tracerOf(opt Optimizer) tracer {
	switch o := opt.(type) {
	case tracer:
		return o
	case Stater:
		return staterTracer{o}
	}
	return nil
}

// staterTracer makes the traces of a Stater of another package, whose State
// allocates its values itself.
type staterTracer struct{ Stater }

func (o staterTracer) newTrace() (*Trace, *Point) {
	trace, step := newPlainTrace()
	trace.State = o.State()
	return trace, step
}

// State is what an optimizer shows of itself after a step. Each method fills
// the fields that it has and leaves the rest nil.
type State struct {
	// LR is the learning rate used for the step, after any schedule.
	LR *float64 `json:"lr,omitempty"`
	// UpdateGradient is the gradient the update used: ∇f(θₖ) after any
	// noise and clipping, or for the Nesterov methods the gradient at the
	// look-ahead point.
	UpdateGradient *Point `json:"update_gradient,omitempty"`
	// LookAhead is the point θₖ + momentum·v where the Nesterov methods took
	// the gradient.
	LookAhead *Point `json:"look_ahead,omitempty"`
	// Velocity is v of the momentum methods after the step.
	Velocity *Point `json:"velocity,omitempty"`
	// FirstMoment is s of Adam and AdamW; SecondMoment is r of AdaGrad, the
	// RMSProps and the Adams. Both are as they are after the step, without
	// bias correction.
	FirstMoment  *Point `json:"first_moment,omitempty"`
	SecondMoment *Point `json:"second_moment,omitempty"`
	// EffectiveLR is the per-coordinate step size of an adaptive method: the
	// factor that multiplies each coordinate of UpdateGradient (AdaGrad and
	// RMSProp in θ's update, RMSProp with Nesterov momentum in v's) or of
	// FirstMoment (Adam and AdamW, the bias correction of ŝ included).
	EffectiveLR *Point `json:"effective_lr,omitempty"`
	// Hessian is ∇²f(θₖ), with its eigenvalues in ascending order and the
	// matching unit eigenvectors.
	Hessian      *surfaces.Hessian `json:"hessian,omitempty"`
	Eigenvalues  *[2]float64       `json:"eigenvalues,omitempty"`
	Eigenvectors *[2]Point         `json:"eigenvectors,omitempty"`
	// Direction is the search direction: the Newton step, or the direction
	// a line search moved along.
	Direction *Point `json:"direction,omitempty"`
	// InverseHessian is a quasi-Newton method's current approximation of
	// H⁻¹, as its three distinct entries.
	InverseHessian *surfaces.Hessian `json:"inverse_hessian,omitempty"`
	// Beta is the conjugate-gradient coefficient βₖ of the last direction.
	Beta *float64 `json:"beta,omitempty"`
}

// keepFinite leaves out every field of s that holds a non-finite number,
// such as the effective learning rate lr / √r of a coordinate with r = 0 and
// eps = 0, so that a traced run always encodes as JSON.
func (s *State) keepFinite() {
	for _, v := range [...]**float64{&s.LR, &s.Beta} {
		if *v != nil && !finite(**v) {
			*v = nil
		}
	}
	for _, p := range [...]**Point{&s.UpdateGradient, &s.LookAhead, &s.Velocity, &s.FirstMoment,
		&s.SecondMoment, &s.EffectiveLR, &s.Direction} {
		if *p != nil && !finitePoint(**p) {
			*p = nil
		}
	}
	for _, h := range [...]**surfaces.Hessian{&s.Hessian, &s.InverseHessian} {
		if *h != nil && !(finite((*h).XX) && finite((*h).XY) && finite((*h).YY)) {
			*h = nil
		}
	}
	if s.Eigenvalues != nil && !finitePoint(*s.Eigenvalues) {
		s.Eigenvalues = nil
	}
	if s.Eigenvectors != nil && !(finitePoint(s.Eigenvectors[0]) && finitePoint(s.Eigenvectors[1])) {
		s.Eigenvectors = nil
	}
}

func finitePoint(p Point) bool { return finite(p[0]) && finite(p[1]) }

// Trace is what the step from one iterate θₖ did, for the step inspector.
type Trace struct {
	// Gradient is ∇f(θₖ), as the run loop computed it: exact, before any
	// noise or clipping.
	Gradient Point `json:"gradient"`
	// Step is θₖ₊₁ − θₖ, or nil for the last iterate of a run, from which no
	// step led to another iterate.
	Step *Point `json:"step,omitempty"`
	// State is the optimizer's state after the step from θₖ, with any field
	// holding a non-finite number left out. It is empty when the optimizer
	// is not a Stater or took no step from θₖ (the run converged or used
	// every step there); a step that failed shows what it got to.
	State State `json:"state"`
}
