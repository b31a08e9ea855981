package surfaces

import "math"

// Surfaces built to show, one at a time, the difficulties of §8.2 of
// Goodfellow, Bengio and Courville, Deep Learning (2016): flat regions,
// cliffs, local minima and degenerate saddle points.

func init() {
	register(Surface{
		TwiceDifferentiable: &Plateau{},
		Name:                "plateau",
		Formula:             "1 − exp(−(x² + y²)/2)",
		About:               "A narrow well in a wide, flat plain: away from the minimum at the origin the gradient vanishes exponentially, so plain gradient descent creeps across the plain, for a long time at any learning rate that is safe in the well, before it suddenly drops in, while methods that build up speed, such as momentum, or that rescale the step, such as RMSProp and Adam, cross it quickly.",
		View:                View{-4, 4, -4, 4},
		Start:               Point{-3, 2.5},
		Minima:              []Point{{0, 0}},
	})
	register(Surface{
		TwiceDifferentiable: &Cliff{},
		Name:                "cliff",
		Formula:             "y²/2 − x + 0.505·ln(1 + e²⁰⁰ˣ)",
		About:               "A gentle slope that runs into the foot of a wall a hundred times steeper, with the minimum in the corner between them. A learning rate that is modest on the slope is huge on the wall: from a learning rate of about 0.05, a step lands on the wall and the next throws the run back by about 100 times the learning rate, out of the picture, again and again. Clipping the gradient's norm caps that step and keeps the run at the foot.",
		View:                View{-4, 1, -2.5, 2.5},
		Start:               Point{-3, 2},
		Minima:              []Point{{-0.02302585092994046, 0}},
	})
	register(Surface{
		TwiceDifferentiable: &TwoWells{},
		Name:                "two-wells",
		Formula:             "(x² − 1)² + 0.3x + y²/2",
		About:               "Two valleys side by side: a shallow one on the right, where a run from the default start settles, and a deeper one on the left behind a low ridge. Gradient descent stays in the basin it starts in; enough momentum, or a large enough step, carries a run over the ridge.",
		View:                View{-2, 2, -1.5, 1.5},
		Start:               Point{1.8, 1.2},
		Minima: []Point{
			{-1.0355787140888537, 0},
			{0.9601495555191055, 0},
		},
	})
	register(Surface{
		TwiceDifferentiable: &MonkeySaddle{},
		Name:                "monkey-saddle",
		Formula:             "x³ − 3xy²",
		About:               "A saddle with three valleys, two for the legs and one for the tail, where both the gradient and the Hessian vanish: near the origin the gradient shrinks with the square of the distance, so descent along a ridge slows to a crawl before it turns into a valley, and Newton's method, which only halves its distance to the saddle at each step, is drawn into it.",
		View:                View{-2, 2, -2, 2},
		Start:               Point{1.5, 0.01},
		Minima:              []Point{},
	})
}

// Plateau is a Gaussian well in a flat plain,
//
//	f(x, y) = 1 − exp(−(x² + y²)/2),
//
// with its only minimum f(0, 0) = 0 and Hessian I there. Its gradient
// r·e^(−r²/2) at distance r from the origin is largest at r = 1 and
// vanishes exponentially beyond: it is about 0.0019 at the default start,
// 3.9 from the origin. Gradient descent is stable in the well for learning
// rates below 2, yet even with a learning rate of 1 it spends some 150
// steps on the plain, its loss above 0.99, before it drops in. See Goodfellow, Bengio and Courville, Deep Learning
// (2016), §8.2.3 on plateaus and other flat regions.
type Plateau struct{}

// Value returns f(p).
func (*Plateau) Value(p Point) float64 {
	x, y := p[0], p[1]
	return 1 - math.Exp(-(x*x+y*y)/2)
}

// Gradient returns ∇f(p) = e^(−r²/2)·(x, y), with r² = x² + y².
func (*Plateau) Gradient(p Point) Point {
	x, y := p[0], p[1]
	g := math.Exp(-(x*x + y*y) / 2)
	return Point{g * x, g * y}
}

// Hessian returns ∇²f(p) = e^(−r²/2)·[1 − x²  −xy; −xy  1 − y²].
func (*Plateau) Hessian(p Point) Hessian {
	x, y := p[0], p[1]
	g := math.Exp(-(x*x + y*y) / 2)
	return Hessian{XX: g * (1 - x*x), XY: -g * x * y, YY: g * (1 - y*y)}
}

// Cliff is a gentle slope that meets a steep wall,
//
//	f(x, y) = y²/2 − x + 0.505·softplus(200x),  softplus(u) = ln(1 + eᵘ),
//
// whose slope along x, ∂f/∂x = −1 + 101σ(200x) with σ the logistic
// function, turns from −1 to +100 across a width of about 1/200 around
// x = 0. Its only minimum lies in the corner, where σ(200x) = 1/101:
// x* = −ln(100)/200 ≈ −0.0230, with f* ≈ 0.0281. The curvature there,
// 20000/101 ≈ 198, makes gradient descent unstable at the minimum for a
// learning rate above about 0.0101; from about 0.05 the run lands on the
// wall, where the gradient is 100, and the next step throws it back by
// 100 times the learning rate: the catapult of Goodfellow, Bengio and
// Courville, Deep Learning (2016), §8.2.4 and Fig. 8.3, after Pascanu,
// Mikolov and Bengio (2013), which gradient clipping (§10.11.1) prevents.
type Cliff struct{}

// Value returns f(p).
func (*Cliff) Value(p Point) float64 {
	x, y := p[0], p[1]
	return y*y/2 - x + 0.505*softplus(200*x)
}

// Gradient returns ∇f(p) = (−1 + 101σ(200x), y).
func (*Cliff) Gradient(p Point) Point {
	return Point{-1 + 101*logistic(200*p[0]), p[1]}
}

// Hessian returns ∇²f(p) = diag(20200σ′(200x), 1), with σ′ = σ(1 − σ).
func (*Cliff) Hessian(p Point) Hessian {
	return Hessian{XX: 20200 * logisticSlope(200*p[0]), YY: 1}
}

// TwoWells is a tilted double well,
//
//	f(x, y) = (x² − 1)² + 0.3x + y²/2,
//
// whose tilt makes the well near x = −1 deeper, f ≈ −0.3054, than the one
// near x = 1, f ≈ 0.2941, with a ridge between them at x ≈ 0.0754,
// f ≈ 1.0113. The minima, roots of 4x³ − 4x + 0.3, were found with
// Newton's method in 50-digit arithmetic and rounded to float64. See
// Goodfellow, Bengio and Courville, Deep Learning (2016), §8.2.2 on local
// minima.
type TwoWells struct{}

// Value returns f(p).
func (*TwoWells) Value(p Point) float64 {
	x, y := p[0], p[1]
	a := x*x - 1
	return a*a + 0.3*x + y*y/2
}

// Gradient returns ∇f(p) = (4x(x² − 1) + 0.3, y).
func (*TwoWells) Gradient(p Point) Point {
	x := p[0]
	return Point{4*x*(x*x-1) + 0.3, p[1]}
}

// Hessian returns ∇²f(p) = diag(12x² − 4, 1).
func (*TwoWells) Hessian(p Point) Hessian {
	x := p[0]
	return Hessian{XX: 12*x*x - 4, YY: 1}
}

// MonkeySaddle is the monkey saddle
//
//	f(x, y) = x³ − 3xy² = Re (x + iy)³,
//
// with a degenerate saddle point at the origin, where the gradient and the
// Hessian both vanish, between three ridges and three valleys at 60°
// intervals. It has no minimum: it is unbounded below along each valley.
// See Goodfellow, Bengio and Courville, Deep Learning (2016), §8.2.3 on
// saddle points.
type MonkeySaddle struct{}

// Value returns f(p).
func (*MonkeySaddle) Value(p Point) float64 {
	x, y := p[0], p[1]
	return x*x*x - 3*x*y*y
}

// Gradient returns ∇f(p) = (3x² − 3y², −6xy).
func (*MonkeySaddle) Gradient(p Point) Point {
	x, y := p[0], p[1]
	return Point{3*x*x - 3*y*y, -6 * x * y}
}

// Hessian returns ∇²f(p) = [6x  −6y; −6y  −6x].
func (*MonkeySaddle) Hessian(p Point) Hessian {
	x, y := p[0], p[1]
	return Hessian{XX: 6 * x, XY: -6 * y, YY: -6 * x}
}

// softplus is ln(1 + eᵘ), computed as max(u, 0) + ln(1 + e^(−|u|)) so that
// it neither overflows nor loses its value.
func softplus(u float64) float64 { return math.Max(u, 0) + math.Log1p(math.Exp(-math.Abs(u))) }

// logistic is σ(u) = 1/(1 + e^(−u)).
func logistic(u float64) float64 { return 1 / (1 + math.Exp(-u)) }

// logisticSlope is σ′(u) = σ(u)(1 − σ(u)) = e^(−|u|)/(1 + e^(−|u|))²,
// computed in the last form, which keeps its precision in the tails.
func logisticSlope(u float64) float64 {
	e := math.Exp(-math.Abs(u))
	return e / ((1 + e) * (1 + e))
}
