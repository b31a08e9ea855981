package engine

import (
	"math"
	"math/rand/v2"

	"saddlepoint/surfaces"
)

// The knobs of the first-order methods, which the chapter discusses beside
// the update rules: gradient noise (section 8.1.3: a minibatch gives a noisy
// estimate of the gradient), gradient clipping (section 10.11.1), learning-
// rate schedules (section 8.3.1) and iterate averaging (section 8.7.3). Every
// first-order method of the catalogue lists them as advanced parameters.
//
// Noise, clipping and schedules change what the optimizer does, so Method.New
// wraps the update rule in a decorator for each one that is on, leaving the
// rule itself exactly the book's. Averaging only watches the iterates, so it
// is a run option, which Method.Options gives.

// withKnobs returns params, which must include the learning rate lr, followed
// by the knobs of a first-order method:
//
//	clip           0 (off) … 1e6: the largest gradient norm let through
//	schedule       "constant", "linear", "exponential", "step" or "cosine" (see Schedule)
//	lr_final       0 … 100, default 1% of lr's default, as the book suggests
//	decay_steps    1 … MaxStepLimit, default 100
//	gamma          0 … 1, default 0.99
//	step_size      1 … MaxStepLimit, default 10
//	noise          0 (off) … 1000: the standard deviation of the gradient noise
//	seed           0 … 2⁵³ − 1, default 1
//	batch          0 (the exact gradient) … 1e6: the minibatch size, on a loss made of examples
//	average        "none", "uniform" or "exponential"
//	average_decay  0 … 1, default 0.9
func withKnobs(params []Param) []Param {
	lr := -1.0
	for _, p := range params {
		if p.Name == "lr" {
			lr = p.Default.(float64)
		}
	}
	if lr < 0 {
		panic("engine: knobs need the learning rate lr")
	}
	knobs := []Param{
		{Name: "clip", Default: 0.0, Min: 0, Max: 1e6,
			About: "gradient clipping: a gradient longer than this is scaled down to this length; 0 is off"},
		{Name: "schedule", Kind: Choice, Default: "constant", Choices: scheduleKinds,
			About: "learning-rate schedule: how lr changes from step to step"},
		{Name: "lr_final", Default: lr / 100, Min: 0, Max: 100,
			About: "the learning rate the linear and cosine schedules reach after decay_steps steps"},
		{Name: "decay_steps", Kind: Integer, Default: 100.0, Min: 1, Max: MaxStepLimit,
			About: "steps the linear and cosine schedules take to go from lr to lr_final"},
		{Name: "gamma", Default: 0.99, Min: 0, Max: 1,
			About: "decay factor of the exponential schedule (each step) and the step schedule (every step_size steps)"},
		{Name: "step_size", Kind: Integer, Default: 10.0, Min: 1, Max: MaxStepLimit,
			About: "steps between the drops of the step schedule"},
		{Name: "noise", Default: 0.0, Min: 0, Max: 1000,
			About: "standard deviation of Gaussian noise added to each gradient coordinate, as a minibatch's gradient has; 0 is off"},
		{Name: "seed", Kind: Integer, Default: 1.0, Min: 0, Max: 1<<53 - 1,
			About: "seed of the noise and the minibatches: the same seed gives the same path"},
		{Name: "batch", Kind: Integer, Default: 0.0, Min: 0, Max: 1e6,
			About: "minibatch size: on a loss made of examples (least-squares), each gradient is the mean over this many drawn at random; 0 uses them all"},
		{Name: "average", Kind: Choice, Default: "none", Choices: []string{"none", "uniform", "exponential"},
			About: "iterate averaging: uniform is Polyak's mean of all iterates so far, exponential a decaying average"},
		{Name: "average_decay", Default: 0.9, Min: 0, Max: 1,
			About: "decay of the exponential average: the weight kept by the average of the earlier iterates"},
	}
	for i := range knobs {
		knobs[i].Advanced = true
	}
	return append(params[:len(params):len(params)], knobs...)
}

// decorate wraps opt in the decorators that the resolved parameters p turn
// on: the schedule innermost, so that it sets the update rule's own
// learning rate, then clipping, then noise, then minibatches outermost, so
// that a gradient is sampled, then made noisy, then clipped. A method
// without these parameters is left as it is.
func decorate(opt Optimizer, p Params) Optimizer {
	if kind, ok := p["schedule"].(string); ok && kind != "constant" {
		opt = NewScheduled(opt, Schedule{Kind: kind, LR: p.Float("lr"), Final: p.Float("lr_final"),
			DecaySteps: p.Int("decay_steps"), Gamma: p.Float("gamma"), StepSize: p.Int("step_size")})
	}
	if threshold, ok := p["clip"].(float64); ok && threshold > 0 {
		opt = NewClipped(opt, threshold)
	}
	if stddev, ok := p["noise"].(float64); ok && stddev > 0 {
		opt = NewNoisy(opt, stddev, uint64(p.Float("seed")))
	}
	if size, ok := p["batch"].(float64); ok && size > 0 {
		opt = NewMinibatched(opt, int(size), uint64(p.Float("seed")))
	}
	return opt
}

// Options returns the run options that the resolved parameters p of m ask
// for, to pass to NewTrajectory or Run with the optimizer New built from
// them: the averaging that the average parameter chooses, or none.
func (m Method) Options(p Params) []Option {
	switch p["average"] {
	case "uniform":
		return []Option{WithPolyakAverage()}
	case "exponential":
		return []Option{WithExponentialAverage(p.Float("average_decay"))}
	}
	return nil
}

// forward is the part of a decorator that passes the optional interfaces
// Prober and Stater through to the optimizer it wraps.
type forward struct {
	inner Optimizer
}

// Probes returns the wrapped optimizer's probes, or nil if it has none.
func (w forward) Probes() []Point {
	if p, ok := w.inner.(Prober); ok {
		return p.Probes()
	}
	return nil
}

// State returns the wrapped optimizer's state, or the zero State if it has
// none.
func (w forward) State() State {
	if s, ok := w.inner.(Stater); ok {
		return s.State()
	}
	return State{}
}

// newTrace returns the wrapped optimizer's trace, with an empty State if it
// has none.
func (w forward) newTrace() (*Trace, *Point) {
	if t := tracerOf(w.inner); t != nil {
		return t.newTrace()
	}
	return newPlainTrace()
}

// Clipped is an optimizer whose gradients are clipped by their norm before
// it sees them:
//
//	g ← g·threshold/‖g‖ when ‖g‖ > threshold
//
// That holds for the gradient the run loop hands to Step and for every
// gradient the wrapped optimizer evaluates itself, such as the look-ahead
// gradient of Nesterov momentum, which it takes from a view of f that clips.
// That view gives the value and gradient of f only, not its Hessian.
type Clipped struct {
	forward
	fn clippedFunction
}

// NewClipped wraps inner so that it sees no gradient longer than threshold,
// which must be positive.
func NewClipped(inner Optimizer, threshold float64) *Clipped {
	if !(threshold > 0) {
		panic("engine: the gradient clipping threshold must be positive")
	}
	return &Clipped{forward: forward{inner}, fn: clippedFunction{threshold: threshold}}
}

// Step clips grad and steps the wrapped optimizer.
func (c *Clipped) Step(f surfaces.Function, theta, grad Point) (Point, error) {
	c.fn.f = f // the view lives in c, so handing it on does not allocate
	return c.inner.Step(&c.fn, theta, c.fn.clip(grad))
}

// clippedFunction is f with its gradient clipped to the norm threshold.
type clippedFunction struct {
	f         surfaces.Function
	threshold float64
}

func (c *clippedFunction) Value(p Point) float64  { return c.f.Value(p) }
func (c *clippedFunction) Gradient(p Point) Point { return c.clip(c.f.Gradient(p)) }

func (c *clippedFunction) clip(g Point) Point {
	if norm := math.Hypot(g[0], g[1]); norm > c.threshold {
		g[0] = g[0] * c.threshold / norm
		g[1] = g[1] * c.threshold / norm
	}
	return g
}

// Noisy is an optimizer whose gradients carry Gaussian noise, to show how
// the noisy gradient of a minibatch behaves:
//
//	g ← g + stddev·z, z ~ N(0, I)
//
// with a fresh z for every gradient, the one the run loop hands to Step and
// every one the wrapped optimizer evaluates itself, such as the look-ahead
// gradient of Nesterov momentum. The normal deviates come from math/rand/v2's
// PCG seeded with (seed, seed), two per gradient, x first, so the same seed
// gives the same run bit for bit.
type Noisy struct {
	forward
	fn noisyFunction
}

// NewNoisy wraps inner so that its gradients carry noise of standard
// deviation stddev ≥ 0, drawn from a generator seeded with seed.
func NewNoisy(inner Optimizer, stddev float64, seed uint64) *Noisy {
	if !(stddev >= 0) {
		panic("engine: the standard deviation of the gradient noise must not be negative")
	}
	return &Noisy{forward: forward{inner},
		fn: noisyFunction{stddev: stddev, rng: rand.New(rand.NewPCG(seed, seed))}}
}

// Step adds noise to grad and steps the wrapped optimizer.
func (n *Noisy) Step(f surfaces.Function, theta, grad Point) (Point, error) {
	n.fn.f = f
	return n.inner.Step(&n.fn, theta, n.fn.perturb(grad))
}

// noisyFunction is f with noise on its gradient.
type noisyFunction struct {
	f      surfaces.Function
	stddev float64
	rng    *rand.Rand
}

func (n *noisyFunction) Value(p Point) float64  { return n.f.Value(p) }
func (n *noisyFunction) Gradient(p Point) Point { return n.perturb(n.f.Gradient(p)) }

func (n *noisyFunction) perturb(g Point) Point {
	g[0] = g[0] + n.stddev*n.rng.NormFloat64()
	g[1] = g[1] + n.stddev*n.rng.NormFloat64()
	return g
}

var (
	_ Optimizer = (*Clipped)(nil)
	_ Prober    = (*Clipped)(nil)
	_ tracer    = (*Clipped)(nil)
	_ Optimizer = (*Noisy)(nil)
	_ Prober    = (*Noisy)(nil)
	_ tracer    = (*Noisy)(nil)
)
