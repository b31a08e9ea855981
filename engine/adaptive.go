package engine

import (
	"math"

	"saddlepoint/surfaces"
)

// The methods with adaptive learning rates of section 8.5 of the book. Each
// scales the step of every coordinate by its own history of squared
// gradients, element-wise.
//
// A coordinate whose step numerator (g, or ŝ for Adam) is exactly zero is
// left where it is. That is what the rule gives for every eps > 0; it matters
// only with eps = 0, where a coordinate whose gradient has been zero so far
// (the y of a bowl started on the x axis, say) would get 0/0 = NaN from the
// book's arithmetic, and it is that expression's limit as eps → 0. Every
// other step is the book's arithmetic as written.

func init() {
	register(Method{
		Name:   "adagrad",
		Title:  "AdaGrad",
		Rule:   "r ← r + g²; θ ← θ − lr·g / (eps + √r)",
		Params: withKnobs([]Param{learningRate(0.01), epsilon(1e-7)}),
		build:  func(p Params) Optimizer { return &AdaGrad{LR: p.Float("lr"), Eps: p.Float("eps")} },
	})
	register(Method{
		Name:   "rmsprop",
		Title:  "RMSProp",
		Rule:   "r ← rho·r + (1 − rho)·g²; θ ← θ − lr·g / √(eps + r)",
		Params: withKnobs([]Param{learningRate(0.001), rhoParam(0.9), epsilon(1e-6)}),
		build:  func(p Params) Optimizer { return &RMSProp{LR: p.Float("lr"), Rho: p.Float("rho"), Eps: p.Float("eps")} },
	})
	register(Method{
		Name:  "rmsprop-nesterov",
		Title: "RMSProp with Nesterov momentum",
		Rule: "g ← ∇f(θ + momentum·v); r ← rho·r + (1 − rho)·g²; " +
			"v ← momentum·v − lr·g / √(eps + r); θ ← θ + v",
		Params: withKnobs([]Param{learningRate(0.001), rhoParam(0.9), momentumParam(0.9), epsilon(1e-6)}),
		build: func(p Params) Optimizer {
			return &RMSPropNesterov{LR: p.Float("lr"), Rho: p.Float("rho"), Momentum: p.Float("momentum"), Eps: p.Float("eps")}
		},
	})
	register(Method{
		Name:  "adam",
		Title: "Adam",
		Rule: "t ← t + 1; s ← beta1·s + (1 − beta1)·g; r ← beta2·r + (1 − beta2)·g²; " +
			"ŝ = s / (1 − beta1ᵗ); r̂ = r / (1 − beta2ᵗ); θ ← θ − lr·ŝ / (√r̂ + eps)",
		Params: withKnobs([]Param{learningRate(0.001), beta1Param, beta2Param, epsilon(1e-8), biasCorrection}),
		build: func(p Params) Optimizer {
			return &Adam{LR: p.Float("lr"), Beta1: p.Float("beta1"), Beta2: p.Float("beta2"), Eps: p.Float("eps"),
				NoBiasCorrection: !p.Bool("bias_correction")}
		},
	})
	register(Method{
		Name:  "adamw",
		Title: "AdamW (decoupled weight decay)",
		Rule: "t ← t + 1; s ← beta1·s + (1 − beta1)·g; r ← beta2·r + (1 − beta2)·g²; " +
			"ŝ = s / (1 − beta1ᵗ); r̂ = r / (1 − beta2ᵗ); θ ← θ − lr·(ŝ / (√r̂ + eps) + weight_decay·θ)",
		Params: withKnobs([]Param{learningRate(0.001), beta1Param, beta2Param, epsilon(1e-8),
			{Name: "weight_decay", Default: 0.01, Min: 0, Max: 1,
				About: "weight decay λ: the fraction of θ taken off at each step, times lr, apart from the gradient's step"},
			biasCorrection}),
		build: func(p Params) Optimizer {
			return &AdamW{LR: p.Float("lr"), Beta1: p.Float("beta1"), Beta2: p.Float("beta2"), Eps: p.Float("eps"),
				WeightDecay: p.Float("weight_decay"), NoBiasCorrection: !p.Bool("bias_correction")}
		},
	})
}

// The parameters of the adaptive methods. The betas stay below 1 so that the
// bias correction 1/(1 − betaᵗ) stays finite.
var (
	beta1Param = Param{Name: "beta1", Default: 0.9, Min: 0, Max: 0.9999,
		About: "decay rate ρ₁ of the first-moment estimate s (below 1, so the bias correction stays finite)"}
	beta2Param = Param{Name: "beta2", Default: 0.999, Min: 0, Max: 0.999999,
		About: "decay rate ρ₂ of the second-moment estimate r (below 1, so the bias correction stays finite)"}
	biasCorrection = Param{Name: "bias_correction", Kind: Bool, Default: true, Advanced: true,
		About: "divide s and r by 1 − betaᵗ to undo their start at zero; off, early steps are too short or too long"}
)

// rhoParam is RMSProp's decay rate ρ ∈ [0, 1].
func rhoParam(def float64) Param {
	return Param{Name: "rho", Default: def, Min: 0, Max: 1,
		About: "decay rate ρ: how much of the running average of g² is kept at each step"}
}

// epsilon is the small constant δ that keeps the adaptive methods from
// dividing by zero, in [0, 1].
func epsilon(def float64) Param {
	return Param{Name: "eps", Default: def, Min: 0, Max: 1,
		About: "small constant δ that keeps the division stable"}
}

// AdaGrad is Algorithm 8.4 of the book: every coordinate's learning rate is
// divided by the root of the sum of all its squared gradients so far,
//
//	r ← r + g²
//	θ ← θ − lr·g / (eps + √r)
//
// with the accumulator r starting at zero. LR ∈ [0, 100] and Eps ∈ [0, 1]
// when built through the catalogue. An AdaGrad holds the accumulator of one
// run and must not be reused for another.
type AdaGrad struct {
	LR  float64
	Eps float64

	r Point // sum of squared gradients
	g Point // the gradient of the last step
}

// Step accumulates g² and returns the scaled step from θ.
func (o *AdaGrad) Step(_ surfaces.Function, theta, grad Point) (next Point, err error) {
	o.g = grad
	for i := range theta {
		g := grad[i]
		o.r[i] = o.r[i] + g*g
		next[i] = theta[i]
		if g != 0 {
			next[i] = theta[i] - o.LR*g/(o.Eps+math.Sqrt(o.r[i]))
		}
	}
	return next, nil
}

// SetLR sets the learning rate of the next step.
func (o *AdaGrad) SetLR(lr float64) { o.LR = lr }

// State shows the learning rate, the gradient of the last step, the
// accumulator r after it as SecondMoment, and as EffectiveLR the factor
// lr / (eps + √r) that multiplied each coordinate of g.
func (o *AdaGrad) State() State { return stateOf(o) }

func (o *AdaGrad) newTrace() (*Trace, *Point) {
	eff := Point{o.LR / (o.Eps + math.Sqrt(o.r[0])), o.LR / (o.Eps + math.Sqrt(o.r[1]))}
	return newRMSPropTrace(o.LR, o.g, o.r, eff).parts()
}

// RMSProp is Algorithm 8.5 of the book: AdaGrad with the sum of squared
// gradients replaced by an exponentially decaying average,
//
//	r ← rho·r + (1 − rho)·g²
//	θ ← θ − lr·g / √(eps + r)
//
// with the average r starting at zero. LR ∈ [0, 100], Rho ∈ [0, 1] and
// Eps ∈ [0, 1] when built through the catalogue. An RMSProp holds the average
// of one run and must not be reused for another.
type RMSProp struct {
	LR  float64
	Rho float64
	Eps float64

	r Point // decaying average of squared gradients
	g Point // the gradient of the last step
}

// Step updates the average of g² and returns the scaled step from θ.
func (o *RMSProp) Step(_ surfaces.Function, theta, grad Point) (next Point, err error) {
	o.g = grad
	for i := range theta {
		g := grad[i]
		o.r[i] = o.Rho*o.r[i] + (1-o.Rho)*(g*g)
		next[i] = theta[i]
		if g != 0 {
			next[i] = theta[i] - o.LR*g/math.Sqrt(o.Eps+o.r[i])
		}
	}
	return next, nil
}

// SetLR sets the learning rate of the next step.
func (o *RMSProp) SetLR(lr float64) { o.LR = lr }

// State shows the learning rate, the gradient of the last step, the average
// r after it as SecondMoment, and as EffectiveLR the factor lr / √(eps + r)
// that multiplied each coordinate of g.
func (o *RMSProp) State() State { return stateOf(o) }

func (o *RMSProp) newTrace() (*Trace, *Point) {
	return newRMSPropTrace(o.LR, o.g, o.r, rootScaled(o.LR, o.Eps, o.r)).parts()
}

// rootScaled returns lr / √(eps + r) in each coordinate.
func rootScaled(lr, eps float64, r Point) Point {
	return Point{lr / math.Sqrt(eps+r[0]), lr / math.Sqrt(eps+r[1])}
}

// RMSPropNesterov is Algorithm 8.6 of the book: RMSProp whose step is the
// velocity of Nesterov momentum, with the gradient taken at the look-ahead
// point θ + momentum·v,
//
//	g ← ∇f(θ + momentum·v)
//	r ← rho·r + (1 − rho)·g²
//	v ← momentum·v − lr·g / √(eps + r)
//	θ ← θ + v
//
// with r and the velocity v starting at zero. As in RMSProp, eps sits
// inside the square root (the book writes ε/√r and has no eps in this
// algorithm; without one, a coordinate whose gradient has always been zero
// would divide zero by zero). Step evaluates the look-ahead gradient itself
// and ignores the ∇f(θ) the run loop hands it. LR ∈ [0, 100], Rho ∈ [0, 1],
// Momentum ∈ [0, 1] and Eps ∈ [0, 1] when built through the catalogue. An
// RMSPropNesterov holds the state of one run and must not be reused for
// another.
type RMSPropNesterov struct {
	LR       float64
	Rho      float64
	Momentum float64
	Eps      float64

	r     Point // decaying average of squared gradients
	v     Point // velocity
	ahead Point // the look-ahead point of the last step
	g     Point // the gradient there
}

// Step evaluates the look-ahead gradient, updates the average of g² and the
// velocity, and returns θ + v.
func (o *RMSPropNesterov) Step(f surfaces.Function, theta, _ Point) (next Point, err error) {
	grad := f.Gradient(lookAhead(&o.ahead, &theta, &o.v, o.Momentum))
	rmspropNesterovUpdate(o, &theta, &grad, &next)
	return next, nil
}

// rmspropNesterovUpdateGo is rmspropNesterovUpdate written in Go, coordinate
// by coordinate: the version that runs where the assembly one is not built
// (other architectures than amd64, or -tags purego), and the one the
// assembly is tested against bit for bit. The explicit conversions round
// each product, as the assembly does, where a compiler targeting fused
// multiply-add (arm64, GOAMD64=v3) would otherwise round a product and a
// sum once.
func rmspropNesterovUpdateGo(o *RMSPropNesterov, theta, grad, next *Point) {
	o.g = *grad
	for i := range theta {
		g := grad[i]
		o.r[i] = float64(o.Rho*o.r[i]) + float64((1-o.Rho)*(g*g))
		v := float64(o.Momentum * o.v[i])
		if g != 0 {
			v = v - o.LR*g/math.Sqrt(o.Eps+o.r[i])
		}
		o.v[i] = v
		next[i] = theta[i] + v
	}
}

// SetLR sets the learning rate of the next step.
func (o *RMSPropNesterov) SetLR(lr float64) { o.LR = lr }

// State shows the learning rate, the look-ahead point and gradient of the
// last step, the average r and the velocity after it, and as EffectiveLR
// the factor lr / √(eps + r) that multiplied each coordinate of the
// look-ahead gradient in the velocity's update.
func (o *RMSPropNesterov) State() State { return stateOf(o) }

func (o *RMSPropNesterov) newTrace() (*Trace, *Point) {
	b := newRMSPropTrace(o.LR, o.g, o.r, rootScaled(o.LR, o.Eps, o.r))
	v, st := &b.values, &b.trace.State
	v.ahead, v.v = o.ahead, o.v
	st.LookAhead, st.Velocity = &v.ahead, &v.v
	return b.parts()
}

// rmspropValues are the values that the State of AdaGrad, RMSProp and
// RMSPropNesterov points to, in the trace that holds them; each fills in
// those it has. The comment of each value names the field of State that
// points to it.
type rmspropValues struct {
	lr    float64 // LR
	g     Point   // UpdateGradient
	ahead Point   // LookAhead
	r     Point   // SecondMoment
	v     Point   // Velocity
	eff   Point   // EffectiveLR
}

// newRMSPropTrace returns a trace block whose State shows the learning rate
// lr, the update gradient g, the second moment r and the effective learning
// rate eff: the whole State of AdaGrad and RMSProp, to which RMSPropNesterov
// adds the look-ahead point and the velocity.
func newRMSPropTrace(lr float64, g, r, eff Point) *traceBlock[rmspropValues] {
	b := new(traceBlock[rmspropValues])
	v, st := &b.values, &b.trace.State
	v.lr, v.g, v.r, v.eff = lr, g, r, eff
	st.LR, st.UpdateGradient, st.SecondMoment, st.EffectiveLR = &v.lr, &v.g, &v.r, &v.eff
	return b
}

// Adam is Algorithm 8.7 of the book: decaying averages of the gradient (the
// first moment s) and of its square (the second moment r), each corrected for
// its start at zero,
//
//	t ← t + 1
//	s ← beta1·s + (1 − beta1)·g
//	r ← beta2·r + (1 − beta2)·g²
//	ŝ = s / (1 − beta1ᵗ)
//	r̂ = r / (1 − beta2ᵗ)
//	θ ← θ − lr·ŝ / (√r̂ + eps)
//
// with t, s and r starting at zero. With NoBiasCorrection, ŝ = s and r̂ = r:
// the first steps are then far from lr long, which is what the correction is
// for (section 8.5.3). LR ∈ [0, 100], Beta1 ∈ [0, 0.9999],
// Beta2 ∈ [0, 0.999999] and Eps ∈ [0, 1] when built through the catalogue;
// the betas stay below 1 so that 1 − betaᵗ is never zero. An Adam holds the
// moments of one run and must not be reused for another.
type Adam struct {
	LR               float64
	Beta1            float64
	Beta2            float64
	Eps              float64
	NoBiasCorrection bool

	moments
}

// Step updates both moments and returns the bias-corrected step from θ.
func (o *Adam) Step(_ surfaces.Function, theta, grad Point) (next Point, err error) {
	c1, c2 := o.count(o.Beta1, o.Beta2, o.NoBiasCorrection)
	o.g = grad
	for i := range theta {
		g := grad[i]
		s := o.Beta1*o.s[i] + (1-o.Beta1)*g
		r := o.Beta2*o.r[i] + (1-o.Beta2)*(g*g)
		o.s[i], o.r[i] = s, r
		sHat := s / c1
		rHat := r / c2
		next[i] = theta[i]
		if sHat != 0 {
			next[i] = theta[i] - o.LR*sHat/(math.Sqrt(rHat)+o.Eps)
		}
	}
	return next, nil
}

// SetLR sets the learning rate of the next step.
func (o *Adam) SetLR(lr float64) { o.LR = lr }

// State shows the learning rate, the gradient of the last step, the moments
// s and r after it (uncorrected), and as EffectiveLR the factor
//
//	lr / ((1 − beta1ᵗ)·(√(r / (1 − beta2ᵗ)) + eps))
//
// that multiplied each coordinate of s, the bias correction of ŝ included
// (without bias correction, lr / (√r + eps)).
func (o *Adam) State() State { return stateOf(o) }

func (o *Adam) newTrace() (*Trace, *Point) {
	return o.newAdamTrace(o.LR, o.Eps, o.NoBiasCorrection)
}

// AdamW is Adam with decoupled weight decay (Loshchilov & Hutter, Decoupled
// Weight Decay Regularization, ICLR 2019): θ shrinks towards the origin by
// lr·weight_decay·θ at every step, apart from the adaptive step, rather
// than through a λθ term in the gradient that the moments would rescale,
//
//	t ← t + 1
//	s ← beta1·s + (1 − beta1)·g
//	r ← beta2·r + (1 − beta2)·g²
//	ŝ = s / (1 − beta1ᵗ)
//	r̂ = r / (1 − beta2ᵗ)
//	θ ← θ − lr·(ŝ / (√r̂ + eps) + weight_decay·θ)
//
// with t, s and r starting at zero and, with NoBiasCorrection, ŝ = s and
// r̂ = r. With weight_decay = 0 it is Adam. The parameters are Adam's, and
// WeightDecay ∈ [0, 1] when built through the catalogue. An AdamW holds the
// moments of one run and must not be reused for another.
type AdamW struct {
	LR               float64
	Beta1            float64
	Beta2            float64
	Eps              float64
	WeightDecay      float64
	NoBiasCorrection bool

	moments
}

// Step updates both moments and returns the bias-corrected, decayed step
// from θ.
func (o *AdamW) Step(_ surfaces.Function, theta, grad Point) (next Point, err error) {
	c1, c2 := o.count(o.Beta1, o.Beta2, o.NoBiasCorrection)
	o.g = grad
	for i := range theta {
		g := grad[i]
		s := o.Beta1*o.s[i] + (1-o.Beta1)*g
		r := o.Beta2*o.r[i] + (1-o.Beta2)*(g*g)
		o.s[i], o.r[i] = s, r
		sHat := s / c1
		rHat := r / c2
		// ŝ / (√r̂ + eps) + weight_decay·θ, the first term left out when
		// ŝ = 0, as in Adam.
		d := o.WeightDecay * theta[i]
		if sHat != 0 {
			d = sHat/(math.Sqrt(rHat)+o.Eps) + d
		}
		next[i] = theta[i] - o.LR*d
	}
	return next, nil
}

// SetLR sets the learning rate of the next step.
func (o *AdamW) SetLR(lr float64) { o.LR = lr }

// State shows what Adam's does. EffectiveLR multiplies s; the decay
// lr·weight_decay·θ comes on top of it.
func (o *AdamW) State() State { return stateOf(o) }

func (o *AdamW) newTrace() (*Trace, *Point) {
	return o.newAdamTrace(o.LR, o.Eps, o.NoBiasCorrection)
}

// moments are the running estimates of Adam and AdamW.
type moments struct {
	t              int     // steps taken
	s, r           Point   // first and second moment estimates
	beta1t, beta2t float64 // beta1ᵗ and beta2ᵗ, once t > 0
	g              Point   // the gradient of the last step
}

// count counts a step and returns the divisors of its bias correction, as
// corrections does. It is small enough to be inlined in Step, which keeps
// the step's gradient for State itself.
func (m *moments) count(beta1, beta2 float64, noBiasCorrection bool) (c1, c2 float64) {
	// betaᵗ is kept as a running product: the same to within an ulp or two
	// as math.Pow(beta, t), at a fraction of the cost.
	m.t++
	if m.t == 1 {
		m.beta1t, m.beta2t = beta1, beta2
	} else {
		m.beta1t = flushPower(m.beta1t * beta1)
		m.beta2t = flushPower(m.beta2t * beta2)
	}
	return m.corrections(noBiasCorrection)
}

// corrections returns the divisors 1 − beta1ᵗ and 1 − beta2ᵗ of the bias
// correction, or 1 and 1 when it is off.
func (m *moments) corrections(noBiasCorrection bool) (c1, c2 float64) {
	if noBiasCorrection {
		return 1, 1
	}
	return 1 - m.beta1t, 1 - m.beta2t
}

// newAdamTrace is the newTrace of Adam and AdamW.
func (m *moments) newAdamTrace(lr, eps float64, noBiasCorrection bool) (*Trace, *Point) {
	c1, c2 := m.corrections(noBiasCorrection)
	b := new(traceBlock[adamValues])
	v := &b.values
	v.lr, v.g, v.s, v.r = lr, m.g, m.s, m.r
	for i := range v.eff {
		v.eff[i] = lr / (c1 * (math.Sqrt(m.r[i]/c2) + eps))
	}
	st := &b.trace.State
	st.LR, st.UpdateGradient, st.FirstMoment, st.SecondMoment, st.EffectiveLR = &v.lr, &v.g, &v.s, &v.r, &v.eff
	return b.parts()
}

// adamValues are the values that the State of Adam and AdamW points to, in
// the trace that holds them. The comment of each value names the field of
// State that points to it.
type adamValues struct {
	lr  float64 // LR
	g   Point   // UpdateGradient
	s   Point   // FirstMoment
	r   Point   // SecondMoment
	eff Point   // EffectiveLR
}

// flushPower returns a power betaᵗ, or 0 once it is so small that
// 1 − betaᵗ rounds to exactly 1 (from 2⁻⁵⁴ down), which changes no result.
// Without it the running product sinks into the subnormal numbers after a
// few thousand steps and, since 0.9 times the smallest subnormals rounds
// back to the same subnormal, stays there for good, making every later step
// several times slower.
func flushPower(p float64) float64 {
	if p <= 0x1p-54 {
		return 0
	}
	return p
}

var (
	_ Optimizer = (*AdaGrad)(nil)
	_ Optimizer = (*RMSProp)(nil)
	_ Optimizer = (*RMSPropNesterov)(nil)
	_ Optimizer = (*Adam)(nil)
	_ Optimizer = (*AdamW)(nil)

	_ LRSetter = (*AdaGrad)(nil)
	_ LRSetter = (*RMSProp)(nil)
	_ LRSetter = (*RMSPropNesterov)(nil)
	_ LRSetter = (*Adam)(nil)
	_ LRSetter = (*AdamW)(nil)

	_ tracer = (*AdaGrad)(nil)
	_ tracer = (*RMSProp)(nil)
	_ tracer = (*RMSPropNesterov)(nil)
	_ tracer = (*Adam)(nil)
	_ tracer = (*AdamW)(nil)
)
