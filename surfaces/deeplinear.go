package surfaces

func init() {
	register(Surface{
		TwiceDifferentiable: &DeepLinear{},
		Name:                "deep-linear",
		Formula:             "(1 − xy)²",
		About:               "The loss of the smallest deep linear network, two weights in series learning the identity: started near the saddle point at the origin, a run sits on a plateau before it takes off, and it lands on a whole curve of equally good minima, the hyperbola xy = 1.",
		View:                View{-2, 2, -2, 2},
		Start:               Point{0.05, 0.1},
		Minima:              []Point{{1, 1}, {-1, -1}, {2, 0.5}, {0.5, 2}, {-2, -0.5}, {-0.5, -2}},
	})
}

// DeepLinear is the squared error of a two-layer linear network with one
// unit per layer, weights x and y, fitted to the single example 1 ↦ 1:
//
//	f(x, y) = (1 − xy)²
//
// The origin is a saddle point with Hessian [0 −2; −2 0]. The minima, of
// value 0, are not isolated: they form the hyperbola xy = 1, along which the
// Hessian is singular because rescaling (x, y) ↦ (cx, y/c) leaves the loss
// unchanged. The catalogue therefore lists only a few representative points
// of it, ±(1, 1), ±(2, 0.5) and ±(0.5, 2), each exact in floating point.
//
// Reference: Goodfellow, Bengio and Courville, Deep Learning (2016), §8.2.3,
// after A. M. Saxe, J. L. McClelland and S. Ganguli, Exact solutions to the
// nonlinear dynamics of learning in deep linear neural networks, 2013.
type DeepLinear struct{}

// Value returns f(p).
func (*DeepLinear) Value(p Point) float64 {
	r := 1 - p[0]*p[1]
	return r * r
}

// Gradient returns ∇f(p) = (−2y(1 − xy), −2x(1 − xy)).
func (*DeepLinear) Gradient(p Point) Point {
	x, y := p[0], p[1]
	r := 1 - x*y
	return Point{-2 * y * r, -2 * x * r}
}

// Hessian returns ∇²f(p) = [2y²  4xy − 2; 4xy − 2  2x²].
func (*DeepLinear) Hessian(p Point) Hessian {
	x, y := p[0], p[1]
	return Hessian{XX: 2 * y * y, XY: 4*x*y - 2, YY: 2 * x * x}
}
