package engine

import (
	"math"
	"slices"

	"saddlepoint/surfaces"
)

// LRSetter is an optimizer with a learning rate that a schedule can change
// between steps. Every first-order method of the catalogue is one.
type LRSetter interface {
	// SetLR sets the learning rate of the next step.
	SetLR(lr float64)
}

// scheduleKinds are the values of Schedule.Kind and of the schedule
// parameter.
var scheduleKinds = []string{"constant", "linear", "exponential", "step", "cosine"}

// Schedule gives the learning rate lrₖ of the k-th update of a run, k
// counted from 0, by its Kind:
//
//	constant     lrₖ = lr
//	linear       lrₖ = (1 − a)·lr + a·lr_final,  a = min(k / decay_steps, 1)
//	exponential  lrₖ = lr·gammaᵏ
//	step         lrₖ = lr·gamma^⌊k / step_size⌋
//	cosine       lrₖ = lr_final + (lr − lr_final)·(1 + cos(π·min(k / decay_steps, 1)))/2
//
// The linear schedule is the book's (section 8.3.1): lr decays linearly to
// lr_final over decay_steps updates and stays there; the book suggests an
// lr_final of about 1% of lr, which is the catalogue's default. The cosine
// schedule (Loshchilov & Hutter, SGDR, ICLR 2017, without restarts) goes
// between the same ends along half a cosine, slowly at first and last.
type Schedule struct {
	// Kind is "constant", "linear", "exponential", "step" or "cosine".
	Kind string
	// LR is the learning rate lr of the first update.
	LR float64
	// Final is lr_final, where the linear and cosine schedules end.
	Final float64
	// DecaySteps is decay_steps ≥ 1, the length of the linear and cosine
	// decays.
	DecaySteps int
	// Gamma is the decay factor of the exponential and step schedules.
	Gamma float64
	// StepSize is step_size ≥ 1, the updates between the step schedule's
	// drops.
	StepSize int
}

// LRAt returns the learning rate lrₖ of update k ≥ 0.
func (s Schedule) LRAt(k int) float64 {
	switch s.Kind {
	case "constant":
		return s.LR
	case "linear":
		a := min(float64(k)/float64(s.DecaySteps), 1)
		return (1-a)*s.LR + a*s.Final
	case "exponential":
		return s.LR * math.Pow(s.Gamma, float64(k))
	case "step":
		return s.LR * math.Pow(s.Gamma, float64(k/s.StepSize))
	case "cosine":
		a := min(float64(k)/float64(s.DecaySteps), 1)
		return s.Final + (s.LR-s.Final)*(1+math.Cos(math.Pi*a))/2
	}
	panic("engine: unknown learning-rate schedule " + s.Kind)
}

// check panics unless the schedule can be used.
func (s Schedule) check() {
	switch {
	case !slices.Contains(scheduleKinds, s.Kind):
		panic("engine: unknown learning-rate schedule " + s.Kind)
	case (s.Kind == "linear" || s.Kind == "cosine") && s.DecaySteps < 1:
		panic("engine: the " + s.Kind + " schedule needs decay_steps of at least 1")
	case s.Kind == "step" && s.StepSize < 1:
		panic("engine: the step schedule needs a step_size of at least 1")
	}
}

// Scheduled is an optimizer whose learning rate follows a Schedule: before
// its k-th step, k from 0, it is set to the schedule's lrₖ.
type Scheduled struct {
	forward
	setter   LRSetter
	schedule Schedule
	k        int // the updates taken
}

// NewScheduled wraps inner, which must be an LRSetter, so that its learning
// rate follows schedule.
func NewScheduled(inner Optimizer, schedule Schedule) *Scheduled {
	setter, ok := inner.(LRSetter)
	if !ok {
		panic("engine: a learning-rate schedule needs an optimizer with a learning rate")
	}
	schedule.check()
	return &Scheduled{forward: forward{inner}, setter: setter, schedule: schedule}
}

// Step sets the learning rate of this step and steps the wrapped optimizer.
func (s *Scheduled) Step(f surfaces.Function, theta, grad Point) (Point, error) {
	s.setter.SetLR(s.schedule.LRAt(s.k))
	s.k++
	return s.inner.Step(f, theta, grad)
}

var (
	_ Optimizer = (*Scheduled)(nil)
	_ Prober    = (*Scheduled)(nil)
	_ tracer    = (*Scheduled)(nil)
)
