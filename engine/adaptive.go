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
		Params: []Param{learningRate(0.01), epsilon(1e-7)},
		build:  func(p Params) Optimizer { return &AdaGrad{LR: p.Float("lr"), Eps: p.Float("eps")} },
	})
	register(Method{
		Name:  "rmsprop",
		Title: "RMSProp",
		Rule:  "r ← rho·r + (1 − rho)·g²; θ ← θ − lr·g / √(eps + r)",
		Params: []Param{learningRate(0.001),
			{Name: "rho", Default: 0.9, Min: 0, Max: 1,
				About: "decay rate ρ: how much of the running average of g² is kept at each step"},
			epsilon(1e-6)},
		build: func(p Params) Optimizer { return &RMSProp{LR: p.Float("lr"), Rho: p.Float("rho"), Eps: p.Float("eps")} },
	})
	register(Method{
		Name:  "adam",
		Title: "Adam",
		Rule: "t ← t + 1; s ← beta1·s + (1 − beta1)·g; r ← beta2·r + (1 − beta2)·g²; " +
			"ŝ = s / (1 − beta1ᵗ); r̂ = r / (1 − beta2ᵗ); θ ← θ − lr·ŝ / (√r̂ + eps)",
		Params: []Param{learningRate(0.001),
			{Name: "beta1", Default: 0.9, Min: 0, Max: 0.9999,
				About: "decay rate ρ₁ of the first-moment estimate s (below 1, so the bias correction stays finite)"},
			{Name: "beta2", Default: 0.999, Min: 0, Max: 0.999999,
				About: "decay rate ρ₂ of the second-moment estimate r (below 1, so the bias correction stays finite)"},
			epsilon(1e-8)},
		build: func(p Params) Optimizer {
			return &Adam{LR: p.Float("lr"), Beta1: p.Float("beta1"), Beta2: p.Float("beta2"), Eps: p.Float("eps")}
		},
	})
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
}

// Step accumulates g² and returns the scaled step from θ.
func (o *AdaGrad) Step(_ surfaces.Function, theta, grad Point) (Point, error) {
	for i := range theta {
		g := grad[i]
		o.r[i] = o.r[i] + g*g
		if g != 0 {
			theta[i] = theta[i] - o.LR*g/(o.Eps+math.Sqrt(o.r[i]))
		}
	}
	return theta, nil
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
}

// Step updates the average of g² and returns the scaled step from θ.
func (o *RMSProp) Step(_ surfaces.Function, theta, grad Point) (Point, error) {
	for i := range theta {
		g := grad[i]
		o.r[i] = o.Rho*o.r[i] + (1-o.Rho)*(g*g)
		if g != 0 {
			theta[i] = theta[i] - o.LR*g/math.Sqrt(o.Eps+o.r[i])
		}
	}
	return theta, nil
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
// with t, s and r starting at zero. LR ∈ [0, 100], Beta1 ∈ [0, 0.9999],
// Beta2 ∈ [0, 0.999999] and Eps ∈ [0, 1] when built through the catalogue;
// the betas stay below 1 so that 1 − betaᵗ is never zero. An Adam holds the
// moments of one run and must not be reused for another.
type Adam struct {
	LR    float64
	Beta1 float64
	Beta2 float64
	Eps   float64

	t              int     // steps taken
	s, r           Point   // first and second moment estimates
	beta1t, beta2t float64 // beta1ᵗ and beta2ᵗ, once t > 0
}

// Step updates both moments and returns the bias-corrected step from θ.
func (o *Adam) Step(_ surfaces.Function, theta, grad Point) (Point, error) {
	// betaᵗ is kept as a running product: the same to within an ulp or two
	// as math.Pow(beta, t), at a fraction of the cost.
	o.t++
	if o.t == 1 {
		o.beta1t, o.beta2t = o.Beta1, o.Beta2
	} else {
		o.beta1t = flushPower(o.beta1t * o.Beta1)
		o.beta2t = flushPower(o.beta2t * o.Beta2)
	}
	for i := range theta {
		g := grad[i]
		o.s[i] = o.Beta1*o.s[i] + (1-o.Beta1)*g
		o.r[i] = o.Beta2*o.r[i] + (1-o.Beta2)*(g*g)
		sHat := o.s[i] / (1 - o.beta1t)
		rHat := o.r[i] / (1 - o.beta2t)
		if sHat != 0 {
			theta[i] = theta[i] - o.LR*sHat/(math.Sqrt(rHat)+o.Eps)
		}
	}
	return theta, nil
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
	_ Optimizer = (*Adam)(nil)
)
