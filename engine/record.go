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
	// Velocity is v of the momentum methods.
	Velocity *Point `json:"velocity,omitempty"`
	// FirstMoment is Adam's s; SecondMoment is r of AdaGrad, RMSProp and Adam.
	FirstMoment  *Point `json:"first_moment,omitempty"`
	SecondMoment *Point `json:"second_moment,omitempty"`
	// EffectiveLR is the per-coordinate step size of an adaptive method: the
	// factor that multiplies g (or ŝ) in each coordinate's update.
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
