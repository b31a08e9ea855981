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

// finite returns s with every field that holds a non-finite number left out,
// such as the effective learning rate lr / √r of a coordinate with r = 0 and
// eps = 0, so that a traced run always encodes as JSON.
func (s State) finite() State {
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
	return s
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
