package engine

import (
	"errors"
	"math"
	"slices"
	"time"

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
	// OverBudget: the run used up its time budget (Limits.Budget) before
	// any other rule stopped it.
	OverBudget Status = "budget"
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
	// Budget, when positive, stops the run as OverBudget once it has spent
	// this long stepping: the time inside Next, from its first call, less
	// the pauses its caller declares with Pause (a stream waiting for its
	// reader, say). The clock is read every budgetEvery iterates and at
	// each Pause and the Next after it. A run that ends within its budget
	// is deterministic as ever.
	Budget time.Duration
}

// budgetEvery is how many iterates pass between readings of the clock.
const budgetEvery = 1024

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
	tracer tracer // opt as a tracer, if it is a Stater
	limits Limits
	// The budget's clock: spent is the time stepped before the current
	// stretch, which began at lap; paused is true before the first Next
	// and from a Pause to the Next after it.
	spent  time.Duration
	lap    time.Time
	paused bool
	small  gradientTest // ‖∇f‖ < limits.Tol
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
	t := &Trajectory{f: f, opt: opt, surface: f, limits: limits, small: newGradientTest(limits.Tol),
		next: start, status: Running}
	t.paused = true
	for _, o := range opts {
		o(&t.opts)
	}
	t.prober, _ = opt.(Prober)
	t.tracer = tracerOf(opt)
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
	if t.paused && t.limits.Budget > 0 {
		t.lap, t.paused = time.Now(), false
	}
	theta, loss := t.next, t.nextLoss
	if t.k == 0 {
		loss = t.f.Value(theta)
		if !finite(loss) || !inBounds(theta) {
			t.status = Diverged
			return false
		}
	}
	// From here on Next returns true, so the iterate is built where
	// Iterate returns it from rather than copied there at the end, and
	// field by field: a whole Iterate, which holds pointers, is copied with
	// a bulk write barrier whenever the collector is running.
	it := &t.cur
	it.Theta, it.Loss, it.Average = theta, loss, Point{}
	it.Probes, t.probes = t.probes, nil
	it.Trace, it.Stage, it.Sigma = nil, 0, 0
	if t.opts.average != noAverage {
		t.updateAverage(it)
	}

	var grad Point
	if t.stages == nil {
		grad = t.f.Gradient(theta)
	} else {
		grad = t.gradient(theta)
	}
	for {
		switch {
		case t.small.met(grad):
			t.status = Converged
		case t.k >= t.limits.Steps:
			t.status = MaxSteps
		case t.k%budgetEvery == budgetEvery-1 && t.overBudget():
			t.status = OverBudget
		default:
			// The step from θₖ, which keeps θₖ₊₁ for the next call or sets
			// the status that stops the run at θₖ. It is written out here
			// rather than in a function of its own, whose arguments would
			// be copied on every step; the rare work (errors, traces,
			// probes) is left to functions of its own.
			next, err := t.opt.Step(t.surface, theta, grad)
			var nextLoss float64
			if err != nil {
				t.status = stepStatus(err)
			} else if nextLoss = t.f.Value(next); !finite(nextLoss) || !inBounds(next) {
				t.status = Diverged
			}
			if t.opts.trace {
				t.traceStep(theta, next, grad, it)
			}
			if t.status == Running {
				t.next, t.nextLoss = next, nextLoss
				if t.prober != nil {
					t.keepProbes()
				}
			}
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
	t.k++
	return true
}

// stepStatus returns the status of a run whose step failed with err.
func stepStatus(err error) Status {
	switch {
	case errors.Is(err, ErrSingular):
		return Singular
	case errors.Is(err, ErrStalled):
		return Stalled
	}
	return Diverged
}

// traceStep sets it.Trace to what the step from θₖ = theta to next did,
// where ∇f = grad.
func (t *Trajectory) traceStep(theta, next, grad Point, it *Iterate) {
	// One allocation for the trace, its step and its state: consumers keep
	// the trace, so none of it is ever reused.
	var trace *Trace
	var step *Point
	if t.tracer != nil {
		trace, step = t.tracer.newTrace()
		trace.State.keepFinite()
	} else {
		trace, step = newPlainTrace()
	}
	trace.Gradient = grad
	if t.status == Running {
		*step = Point{next[0] - theta[0], next[1] - theta[1]}
		trace.Step = step
	}
	it.Trace = trace
}

// keepProbes keeps the probes of the step just taken for the next iterate.
func (t *Trajectory) keepProbes() {
	if probes := t.prober.Probes(); len(probes) > 0 {
		t.probes = slices.Clone(probes) // the prober reuses its slice
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
//
// Path and Loss are allocated once with room for every iterate the limits
// allow, up to pathReserve of them, so that a run of that length makes no
// allocation per step; a run that stops before using half of that room
// copies them to slices of their own length.
func Run(f surfaces.Function, opt Optimizer, start Point, limits Limits, opts ...Option) Result {
	tr := NewTrajectory(f, opt, start, limits, opts...)
	averaging := tr.opts.average != noAverage
	var r Result
	if n := min(max(limits.Steps, 0), pathReserve) + 1; n > 1 {
		r.Path, r.Loss = make([]Point, 0, n), make([]float64, 0, n)
	}
	for tr.Next() {
		it := &tr.cur // read in place: an Iterate is 88 bytes
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
	switch n := len(r.Path); {
	case n == 0:
		r.Path, r.Loss = nil, nil // as appending nothing to nil leaves them
	case n < cap(r.Path)/2:
		// A run that stopped early gives back the room set aside for the
		// steps it did not take, rather than keep it as long as its result.
		r.Path, r.Loss = slices.Clone(r.Path), slices.Clone(r.Loss)
	}
	return r
}

// pathReserve is the most steps whose iterates Run makes room for before
// the first one: a path of MaxStepLimit points is 1.6 MB, a lot to set
// aside for a run that may converge after ten steps.
const pathReserve = 20000

// gradientTest is the convergence test ‖g‖ < tol of a run, decided exactly
// as math.Hypot(g[0], g[1]) < tol decides it, but in almost every case from
// the squared norm g·g, which costs two multiplications where Hypot costs a
// division, a square root and its scaling. Wherever the two could disagree
// Hypot decides: where g·g is within a relative 1e-12 of tol², and for any
// g when tol is so large or so small that tol² or g·g could leave the range
// of float64. A gradient so large that g·g overflows to +Inf, or one with a
// NaN, therefore never passes, as it never passes Hypot's test.
type gradientTest struct {
	// g·g < lo means ‖g‖ < tol and g·g > hi that it is not; in between,
	// and for a NaN, Hypot decides. With the test off both are −Inf.
	lo, hi float64
	tol    float64 // 0 when the test is off
}

// The tolerances for which gradientTest decides from g·g. Inside them tol²
// lies between 1e-300 and 1e300, far from underflow and overflow, so g·g is
// accurate to a few ulps whenever it is within a factor 1e12 of tol², and a
// gradient whose squares underflow is tiny against tol.
const (
	gradientTestMinTol = 1e-150
	gradientTestMaxTol = 1e150
	// gradientTestMargin is the relative band around tol² where Hypot
	// decides: far wider than the few ulps by which g·g, tol² and Hypot
	// can be off, and narrow enough that Hypot is almost never needed.
	gradientTestMargin = 1e-12
)

// newGradientTest returns the test ‖g‖ < tol, which is off unless tol > 0.
func newGradientTest(tol float64) gradientTest {
	switch {
	case !(tol > 0):
		return gradientTest{lo: math.Inf(-1), hi: math.Inf(-1)}
	case tol >= gradientTestMinTol && tol <= gradientTestMaxTol:
		return gradientTest{lo: tol * tol * (1 - gradientTestMargin), hi: tol * tol * (1 + gradientTestMargin), tol: tol}
	}
	return gradientTest{lo: math.Inf(-1), hi: math.Inf(1), tol: tol}
}

// met reports whether ‖g‖ < tol, always false when the test is off.
func (c *gradientTest) met(g Point) bool {
	switch s := g[0]*g[0] + g[1]*g[1]; {
	case s < c.lo:
		return true
	case s > c.hi:
		return false
	}
	return c.tol > 0 && math.Hypot(g[0], g[1]) < c.tol
}

// finite reports whether v is neither NaN nor infinite, in one comparison,
// which NaN fails.
func finite(v float64) bool { return math.Abs(v) <= math.MaxFloat64 }

// inBounds reports whether both coordinates of p are within DivergenceBound
// in magnitude, which NaN and the infinities are not.
func inBounds(p Point) bool {
	return math.Abs(p[0]) <= DivergenceBound && math.Abs(p[1]) <= DivergenceBound
}

// Pause stops the budget's clock until the next call of Next: the caller
// is about to wait (for a reader, a turn, a slot) rather than step.
func (t *Trajectory) Pause() {
	if t.paused || t.limits.Budget <= 0 {
		return
	}
	t.spent += time.Since(t.lap)
	t.paused = true
}

// overBudget reports whether the run has stepped for longer than its budget.
func (t *Trajectory) overBudget() bool {
	return t.limits.Budget > 0 && t.spent+time.Since(t.lap) > t.limits.Budget
}
