package engine

import (
	"errors"
	"math"
	"slices"

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
	// coordinate beyond DivergenceBound, and is left out of the path; or the
	// step to it failed with an error other than ErrSingular and ErrStalled.
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

// Iterate is one point of a trajectory with its loss f(θ), and what the run
// records about it beside.
type Iterate struct {
	Theta Point
	Loss  float64
	// Average is the average of the iterates so far, θₖ included, when the
	// run averages them (see WithPolyakAverage and WithExponentialAverage).
	Average Point
	// Probes are the trial points that the step leading to this iterate
	// evaluated, from an optimizer that is a Prober, in the order tried; nil
	// if there were none.
	Probes []Point
	// Trace is what the step from this iterate did, when the run traces
	// (see WithTrace); nil otherwise.
	Trace *Trace
	// Stage is the index, from 0, of the continuation stage this iterate
	// belongs to, the one whose surface the step from it is taken on, and
	// Sigma that surface's σ, when the run is a continuation run (see
	// WithContinuation); both are 0 otherwise.
	Stage int
	Sigma float64
}

// Option changes what a run records.
type Option func(*options)

type options struct {
	trace        bool
	average      averaging
	decay        float64       // of an exponential average
	continuation *continuation // nil unless the run is a continuation run
}

type averaging int

const (
	noAverage averaging = iota
	uniformAverage
	exponentialAverage
)

// WithTrace makes the run record, for every iterate, what the step from it
// did: Iterate.Trace and Result.Trace.
func WithTrace() Option {
	return func(o *options) { o.trace = true }
}

// WithPolyakAverage makes the run average its iterates uniformly, as
// Polyak averaging does (section 8.7.3 of the book):
//
//	averageₖ = (θ₀ + θ₁ + … + θₖ) / (k + 1)
//
// computed as a running sum divided by k + 1.
func WithPolyakAverage() Option {
	return func(o *options) { o.average = uniformAverage }
}

// WithExponentialAverage makes the run keep an exponentially decaying
// average of its iterates, which forgets the distant past, as the book
// suggests for non-convex problems:
//
//	average₀ = θ₀
//	averageₖ = decay·averageₖ₋₁ + (1 − decay)·θₖ
//
// decay must be in [0, 1].
func WithExponentialAverage(decay float64) Option {
	if !(decay >= 0 && decay <= 1) {
		panic("engine: the decay of an exponential average must be in [0, 1]")
	}
	return func(o *options) { o.average, o.decay = exponentialAverage, decay }
}

// Trajectory steps an optimizer over a function under the run rules, one
// iterate at a time:
//
//   - the first iterate is the start; if f(θ₀) or a coordinate of θ₀ is not
//     finite, or a coordinate exceeds DivergenceBound in magnitude, the run
//     stops as Diverged with nothing yielded;
//   - at iterate θₖ, if ‖∇f(θₖ)‖ < Tol the run stops there as Converged, and
//     after Steps updates (k = Steps) it stops there as MaxSteps;
//   - otherwise the step from θₖ is taken. If it fails the run stops at θₖ
//     as Singular (an error wrapping ErrSingular), Stalled (ErrStalled) or
//     Diverged (any other error). If it gives a θₖ₊₁ that is not finite,
//     exceeds DivergenceBound, or where f is not finite, the run stops at θₖ
//     as Diverged and θₖ₊₁ is never yielded, so every yielded number is
//     finite;
//   - θₖ is yielded in every case, once the step from it has been taken, so
//     that it can carry what the step did.
//
// A continuation run (see WithContinuation) follows these rules on a
// sequence of blurred surfaces, with the changes documented there.
//
// Use it like a bufio.Scanner:
//
//	tr := engine.NewTrajectory(f, opt, start, limits)
//	for tr.Next() {
//		use(tr.Iterate())
//	}
//	status := tr.Status()
//
// Status is final as soon as the last iterate has been yielded.
type Trajectory struct {
	f      surfaces.Function
	opt    Optimizer
	prober Prober // opt, if it is one
	stater Stater // opt, if it is one
	limits Limits
	opts   options

	// surface is what opt steps on: f itself, or the blurred f of the
	// current stage of a continuation run, whose state is in stages.
	surface surfaces.Function
	stages  *stageRun // nil unless the run is a continuation run

	k        int     // index of the next iterate
	next     Point   // θₖ, checked, once k > 0
	nextLoss float64 // f(θₖ)
	probes   []Point // the probes of the step to θₖ
	sum      Point   // θ₀ + … + θₖ₋₁, for a uniform average
	average  Point   // the average up to θₖ₋₁
	cur      Iterate
	status   Status
}

// NewTrajectory prepares a run of opt over f from start. opt must be fresh.
func NewTrajectory(f surfaces.Function, opt Optimizer, start Point, limits Limits, opts ...Option) *Trajectory {
	t := &Trajectory{f: f, opt: opt, surface: f, limits: limits, next: start, status: Running}
	for _, o := range opts {
		o(&t.opts)
	}
	t.prober, _ = opt.(Prober)
	t.stater, _ = opt.(Stater)
	if t.opts.continuation != nil {
		t.startContinuation()
	}
	return t
}

// Next advances to the next iterate and reports whether there is one. When
// it returns false the run is over and Status says why.
func (t *Trajectory) Next() bool {
	if t.status != Running {
		return false
	}
	theta, loss := t.next, t.nextLoss
	if t.k == 0 {
		loss = t.f.Value(theta)
		if !finite(loss) || !inBounds(theta) {
			t.status = Diverged
			return false
		}
	}
	it := Iterate{Theta: theta, Loss: loss, Probes: t.probes}
	t.probes = nil
	t.updateAverage(&it)

	grad := t.gradient(theta)
	for {
		switch {
		case t.limits.Tol > 0 && math.Hypot(grad[0], grad[1]) < t.limits.Tol:
			t.status = Converged
		case t.k >= t.limits.Steps:
			t.status = MaxSteps
		default:
			t.step(theta, grad, &it)
		}
		if t.status != Stalled || !t.nextStage() {
			break
		}
		// A blurred stage whose line search stalled has done what it
		// can: the next stage takes the step instead.
		t.status = Running
		grad = t.gradient(theta)
	}
	if t.stages != nil {
		it.Stage, it.Sigma = t.stages.stage, t.stages.sigma
	}
	if t.opts.trace && it.Trace == nil {
		it.Trace = &Trace{Gradient: grad}
	}
	t.cur = it
	t.k++
	return true
}

// step takes the step from θₖ = theta, where ∇f = grad, and keeps θₖ₊₁ for
// the next call to Next, or sets the status that stops the run at θₖ.
func (t *Trajectory) step(theta, grad Point, it *Iterate) {
	next, err := t.opt.Step(t.surface, theta, grad)
	var nextLoss float64
	switch {
	case errors.Is(err, ErrSingular):
		t.status = Singular
	case errors.Is(err, ErrStalled):
		t.status = Stalled
	case err != nil:
		t.status = Diverged
	default:
		if nextLoss = t.f.Value(next); !finite(nextLoss) || !inBounds(next) {
			t.status = Diverged
		}
	}
	if t.opts.trace {
		traced := &struct { // one allocation for the trace and its step
			trace Trace
			step  Point
		}{trace: Trace{Gradient: grad}}
		if t.status == Running {
			traced.step = Point{next[0] - theta[0], next[1] - theta[1]}
			traced.trace.Step = &traced.step
		}
		if t.stater != nil {
			traced.trace.State = t.stater.State().finite()
		}
		it.Trace = &traced.trace
	}
	if t.status != Running {
		return
	}
	t.next, t.nextLoss = next, nextLoss
	if t.prober != nil {
		if probes := t.prober.Probes(); len(probes) > 0 {
			t.probes = slices.Clone(probes) // the prober reuses its slice
		}
	}
}

// updateAverage sets it.Average to the average of the iterates up to it.
func (t *Trajectory) updateAverage(it *Iterate) {
	theta := it.Theta
	switch t.opts.average {
	case uniformAverage:
		n := float64(t.k + 1)
		for i := range theta {
			t.sum[i] = t.sum[i] + theta[i]
			t.average[i] = t.sum[i] / n
		}
	case exponentialAverage:
		if t.k == 0 {
			t.average = theta
			break
		}
		d := t.opts.decay
		for i := range theta {
			t.average[i] = d*t.average[i] + (1-d)*theta[i]
		}
	default:
		return
	}
	it.Average = t.average
}

// Iterate returns the iterate that the last successful Next advanced to.
func (t *Trajectory) Iterate() Iterate { return t.cur }

// Averaged reports whether the run averages its iterates, so that
// Iterate.Average is meaningful.
func (t *Trajectory) Averaged() bool { return t.opts.average != noAverage }

// Status returns why the run stopped, or Running while it goes on.
func (t *Trajectory) Status() Status { return t.status }

// Result is a finished run.
type Result struct {
	Path   []Point
	Loss   []float64
	Status Status
	// Average holds Iterate.Average of every iterate when the run averages,
	// and is nil otherwise.
	Average []Point
	// Evals lists the probes of every iterate as [k, x, y], with k the index
	// of the iterate whose step tried (x, y) — the major iterate it leads
	// to — in the order tried; nil if there were none.
	Evals [][3]float64
	// Trace holds Iterate.Trace of every iterate when the run traces, and is
	// nil otherwise.
	Trace []Trace
	// Stage and Sigma hold Iterate.Stage and Iterate.Sigma of every iterate
	// when the run is a continuation run, and are nil otherwise.
	Stage []int
	Sigma []float64
}

// Run steps opt over f from start until the run rules stop it and returns the
// whole trajectory, with what opts ask it to record.
func Run(f surfaces.Function, opt Optimizer, start Point, limits Limits, opts ...Option) Result {
	tr := NewTrajectory(f, opt, start, limits, opts...)
	averaging := tr.opts.average != noAverage
	var r Result
	for tr.Next() {
		it := tr.Iterate()
		r.Path = append(r.Path, it.Theta)
		r.Loss = append(r.Loss, it.Loss)
		if averaging {
			r.Average = append(r.Average, it.Average)
		}
		k := float64(len(r.Path) - 1)
		for _, p := range it.Probes {
			r.Evals = append(r.Evals, [3]float64{k, p[0], p[1]})
		}
		if it.Trace != nil {
			r.Trace = append(r.Trace, *it.Trace)
		}
		if tr.stages != nil {
			r.Stage = append(r.Stage, it.Stage)
			r.Sigma = append(r.Sigma, it.Sigma)
		}
	}
	r.Status = tr.Status()
	return r
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func inBounds(p Point) bool {
	return finite(p[0]) && finite(p[1]) &&
		math.Abs(p[0]) <= DivergenceBound && math.Abs(p[1]) <= DivergenceBound
}
