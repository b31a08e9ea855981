package engine

import "saddlepoint/surfaces"

// The first-order methods of section 8.3 of the book: plain gradient descent
// and its two momentum variants. The book writes them for a minibatch
// estimate of the gradient; here g is the exact gradient ∇f(θ) of the
// surface, so "stochastic" gradient descent is really full-batch gradient
// descent with a fixed learning rate.

func init() {
	register(Method{
		Name:   "sgd",
		Title:  "Gradient descent (SGD)",
		Rule:   "θ ← θ − lr·g",
		Params: withKnobs([]Param{learningRate(0.01)}),
		build:  func(p Params) Optimizer { return &SGD{LR: p.Float("lr")} },
	})
	register(Method{
		Name:   "momentum",
		Title:  "Momentum",
		Rule:   "v ← momentum·v − lr·g; θ ← θ + v",
		Params: withKnobs([]Param{learningRate(0.01), momentumParam(0.9)}),
		build:  func(p Params) Optimizer { return &Momentum{LR: p.Float("lr"), Momentum: p.Float("momentum")} },
	})
	register(Method{
		Name:   "nesterov",
		Title:  "Nesterov momentum",
		Rule:   "g ← ∇f(θ + momentum·v); v ← momentum·v − lr·g; θ ← θ + v",
		Params: withKnobs([]Param{learningRate(0.01), momentumParam(0.9)}),
		build:  func(p Params) Optimizer { return &Nesterov{LR: p.Float("lr"), Momentum: p.Float("momentum")} },
	})
}

// learningRate is the lr parameter shared by every first-order method. Its
// range [0, 100] is wide enough to show divergence on every surface.
func learningRate(def float64) Param {
	return Param{Name: "lr", Default: def, Min: 0, Max: 100,
		About: "learning rate ε: how far each step moves along the (scaled) gradient"}
}

// momentumParam is the momentum coefficient α ∈ [0, 1]: 0 gives back plain
// gradient descent and 1 keeps every past step at full weight.
func momentumParam(def float64) Param {
	return Param{Name: "momentum", Default: def, Min: 0, Max: 1,
		About: "momentum α: the fraction of the previous velocity kept at each step"}
}

// SGD is gradient descent with a fixed learning rate, Algorithm 8.1 of the
// book with the exact gradient g = ∇f(θ):
//
//	θ ← θ − lr·g
//
// LR is taken as it is, in [0, 100] when built through the catalogue. SGD
// keeps no state between steps other than what its last step used, for
// State.
type SGD struct {
	LR float64

	g Point // the gradient of the last step
}

// Step returns θ − lr·g.
func (o *SGD) Step(_ surfaces.Function, theta, grad Point) (next Point, err error) {
	o.g = grad
	for i := range theta {
		next[i] = theta[i] - o.LR*grad[i]
	}
	return next, nil
}

// SetLR sets the learning rate of the next step.
func (o *SGD) SetLR(lr float64) { o.LR = lr }

// State shows the learning rate and the gradient of the last step.
func (o *SGD) State() State { return stateOf(o) }

func (o *SGD) newTrace() (*Trace, *Point) {
	return newMomentumTrace(o.LR, o.g).parts()
}

// Momentum is gradient descent with momentum, Algorithm 8.2 of the book:
//
//	v ← momentum·v − lr·g
//	θ ← θ + v
//
// with the velocity v starting at zero. LR ∈ [0, 100] and Momentum ∈ [0, 1]
// when built through the catalogue. A Momentum holds the velocity of one run
// and must not be reused for another.
type Momentum struct {
	LR       float64
	Momentum float64

	v Point // velocity
	g Point // the gradient of the last step
}

// Step updates the velocity and returns θ + v.
func (o *Momentum) Step(_ surfaces.Function, theta, grad Point) (next Point, err error) {
	o.g = grad
	for i := range theta {
		o.v[i] = o.Momentum*o.v[i] - o.LR*grad[i]
		next[i] = theta[i] + o.v[i]
	}
	return next, nil
}

// SetLR sets the learning rate of the next step.
func (o *Momentum) SetLR(lr float64) { o.LR = lr }

// State shows the learning rate, the gradient of the last step and the
// velocity after it, which is also the step taken.
func (o *Momentum) State() State { return stateOf(o) }

func (o *Momentum) newTrace() (*Trace, *Point) {
	b := newMomentumTrace(o.LR, o.g)
	b.values.v = o.v
	b.trace.State.Velocity = &b.values.v
	return b.parts()
}

// Nesterov is gradient descent with Nesterov momentum, Algorithm 8.3 of the
// book: the gradient is taken at the look-ahead point the velocity is about
// to carry θ to,
//
//	g ← ∇f(θ + momentum·v)
//	v ← momentum·v − lr·g
//	θ ← θ + v
//
// with the velocity v starting at zero. Step evaluates that gradient itself
// and ignores the ∇f(θ) the run loop hands it. LR ∈ [0, 100] and
// Momentum ∈ [0, 1] when built through the catalogue. A Nesterov holds the
// velocity of one run and must not be reused for another.
type Nesterov struct {
	LR       float64
	Momentum float64

	v     Point // velocity
	ahead Point // the look-ahead point of the last step
	g     Point // the gradient there
}

// Step evaluates the look-ahead gradient, updates the velocity and returns
// θ + v.
func (o *Nesterov) Step(f surfaces.Function, theta, _ Point) (next Point, err error) {
	g := f.Gradient(lookAhead(&o.ahead, &theta, &o.v, o.Momentum))
	o.g = g
	for i := range theta {
		o.v[i] = o.Momentum*o.v[i] - o.LR*g[i]
		next[i] = theta[i] + o.v[i]
	}
	return next, nil
}

// SetLR sets the learning rate of the next step.
func (o *Nesterov) SetLR(lr float64) { o.LR = lr }

// State shows the learning rate, the look-ahead point and gradient of the
// last step and the velocity after it, which is also the step taken.
func (o *Nesterov) State() State { return stateOf(o) }

func (o *Nesterov) newTrace() (*Trace, *Point) {
	b := newMomentumTrace(o.LR, o.g)
	v, st := &b.values, &b.trace.State
	v.ahead, v.v = o.ahead, o.v
	st.LookAhead, st.Velocity = &v.ahead, &v.v
	return b.parts()
}

// momentumValues are the values that the State of SGD, Momentum and Nesterov
// points to, in the trace that holds them; each fills in those it has. The
// comment of each value names the field of State that points to it.
type momentumValues struct {
	lr    float64 // LR
	g     Point   // UpdateGradient
	ahead Point   // LookAhead
	v     Point   // Velocity
}

// newMomentumTrace returns a trace block whose State shows the learning rate
// lr and the update gradient g: the whole State of SGD, to which Momentum
// adds the velocity and Nesterov the look-ahead point and the velocity.
func newMomentumTrace(lr float64, g Point) *traceBlock[momentumValues] {
	b := new(traceBlock[momentumValues])
	v, st := &b.values, &b.trace.State
	v.lr, v.g = lr, g
	st.LR, st.UpdateGradient = &v.lr, &v.g
	return b
}

// lookAhead sets *ahead to the look-ahead point θ + momentum·v of a Nesterov
// step and returns it, built from the two coordinates while they are still
// in registers.
//
// A Point is an array, which Go passes and returns in memory, not in
// registers; copying one whole is a single 16-byte load. A 16-byte load of
// memory just written by two 8-byte stores cannot be forwarded from them
// and waits for both to reach the cache (a store-forwarding stall, some
// 5 ns here), so the hot paths never copy a Point whole right after writing
// it coordinate by coordinate: step functions return a named result written
// in place, and the look-ahead point goes to Gradient as two stores of
// registers, not as a copy of *ahead, which would be a load of memory just
// stored on the step's critical path.
func lookAhead(ahead, theta, v *Point, momentum float64) Point {
	x, y := theta[0]+momentum*v[0], theta[1]+momentum*v[1]
	ahead[0], ahead[1] = x, y
	return Point{x, y}
}

var (
	_ Optimizer = (*SGD)(nil)
	_ Optimizer = (*Momentum)(nil)
	_ Optimizer = (*Nesterov)(nil)

	_ LRSetter = (*SGD)(nil)
	_ LRSetter = (*Momentum)(nil)
	_ LRSetter = (*Nesterov)(nil)

	_ tracer = (*SGD)(nil)
	_ tracer = (*Momentum)(nil)
	_ tracer = (*Nesterov)(nil)
)
