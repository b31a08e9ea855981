package surfaces

func init() {
	register(Surface{
		TwiceDifferentiable: &Bowl{},
		Name:                "bowl",
		Formula:             "x² + y²",
		About:               "A round bowl: the gradient points straight at the minimum, so every method looks good here.",
		View:                View{-2, 2, -2, 2},
		Start:               Point{-1.5, 1.7},
		Minima:              []Point{{0, 0}},
	})
	register(Surface{
		TwiceDifferentiable: &Ravine{},
		Name:                "ravine",
		Formula:             "0.1x² + 2y²",
		About:               "A long, narrow valley with condition number 20: a step size safe across the steep y direction crawls along the shallow x axis, and a larger one zig-zags from wall to wall.",
		View:                View{-5, 5, -2.5, 2.5},
		Start:               Point{-4.5, 1.5},
		Minima:              []Point{{0, 0}},
	})
	register(Surface{
		TwiceDifferentiable: &RotatedRavine{},
		Name:                "rotated-ravine",
		Formula:             "0.1u² + 2v², u = (x+y)/√2, v = (x−y)/√2",
		About:               "The ravine turned by 45°: the valley no longer lies along an axis, so methods that scale each coordinate separately, such as Adagrad, RMSProp and Adam, lose the advantage they had on the ravine.",
		View:                View{-4, 4, -4, 4},
		Start:               Point{-3, -1},
		Minima:              []Point{{0, 0}},
	})
	register(Surface{
		TwiceDifferentiable: &Saddle{},
		Name:                "saddle",
		Formula:             "x² − y²",
		About:               "A saddle point at the origin, where the gradient vanishes without a minimum. Started almost on the ridge, gradient descent creeps towards the saddle before escaping along y, and plain Newton's method is drawn straight into it.",
		View:                View{-2, 2, -2, 2},
		Start:               Point{-1.5, 0.01},
		Minima:              []Point{},
	})
	register(Surface{
		TwiceDifferentiable: &Coupled{},
		Name:                "coupled",
		Formula:             "(x − y)² + 0.01(x² + y²)",
		About:               "A narrow valley along the diagonal y = x: coordinate descent, which moves along one axis at a time, can only take tiny staircase steps up the valley floor.",
		View:                View{-2, 2, -2, 2},
		Start:               Point{1.5, -1},
		Minima:              []Point{{0, 0}},
	})
}

// Bowl is the isotropic quadratic
//
//	f(x, y) = x² + y²
//
// whose Hessian 2I has condition number 1, with its minimum at the origin.
type Bowl struct{}

// Value returns f(p).
func (*Bowl) Value(p Point) float64 { return p[0]*p[0] + p[1]*p[1] }

// Gradient returns ∇f(p) = (2x, 2y).
func (*Bowl) Gradient(p Point) Point { return Point{2 * p[0], 2 * p[1]} }

// Hessian returns ∇²f(p) = 2I.
func (*Bowl) Hessian(Point) Hessian { return Hessian{XX: 2, YY: 2} }

// Ravine is the axis-aligned, ill-conditioned quadratic
//
//	f(x, y) = 0.1x² + 2y²
//
// whose Hessian diag(0.2, 4) has condition number 20, with its minimum at
// the origin. It is the standard picture of ill-conditioning: see
// Goodfellow, Bengio and Courville, Deep Learning (2016), §8.2.1.
type Ravine struct{}

// Value returns f(p).
func (*Ravine) Value(p Point) float64 { return 0.1*p[0]*p[0] + 2*p[1]*p[1] }

// Gradient returns ∇f(p) = (0.2x, 4y).
func (*Ravine) Gradient(p Point) Point { return Point{0.2 * p[0], 4 * p[1]} }

// Hessian returns ∇²f(p) = diag(0.2, 4).
func (*Ravine) Hessian(Point) Hessian { return Hessian{XX: 0.2, YY: 4} }

// RotatedRavine is the Ravine turned by 45°,
//
//	f(x, y) = 0.1u² + 2v²,  u = (x + y)/√2,  v = (x − y)/√2
//	        = 1.05x² − 1.9xy + 1.05y²,
//
// whose Hessian has the same eigenvalues 0.2 and 4 as the Ravine's but
// eigenvectors along the diagonals, with its minimum at the origin. See
// Goodfellow, Bengio and Courville, Deep Learning (2016), §8.2.1 on
// ill-conditioning and §8.5 on per-coordinate learning rates, which only
// help when the valley is aligned with the axes.
type RotatedRavine struct{}

// Value returns f(p), computed from the expanded form so that no rounding of
// √2 enters.
func (*RotatedRavine) Value(p Point) float64 {
	x, y := p[0], p[1]
	return 1.05*x*x - 1.9*x*y + 1.05*y*y
}

// Gradient returns ∇f(p) = (2.1x − 1.9y, 2.1y − 1.9x).
func (*RotatedRavine) Gradient(p Point) Point {
	x, y := p[0], p[1]
	return Point{2.1*x - 1.9*y, 2.1*y - 1.9*x}
}

// Hessian returns ∇²f(p) = [2.1 −1.9; −1.9 2.1].
func (*RotatedRavine) Hessian(Point) Hessian { return Hessian{XX: 2.1, XY: -1.9, YY: 2.1} }

// Saddle is the hyperbolic paraboloid
//
//	f(x, y) = x² − y²
//
// with a saddle point at the origin and no minimum: it is unbounded below
// along y. See Goodfellow, Bengio and Courville, Deep Learning (2016), §8.2.3
// on saddle points.
type Saddle struct{}

// Value returns f(p).
func (*Saddle) Value(p Point) float64 { return p[0]*p[0] - p[1]*p[1] }

// Gradient returns ∇f(p) = (2x, −2y).
func (*Saddle) Gradient(p Point) Point { return Point{2 * p[0], -2 * p[1]} }

// Hessian returns ∇²f(p) = diag(2, −2).
func (*Saddle) Hessian(Point) Hessian { return Hessian{XX: 2, YY: -2} }

// Coupled is the quadratic with strongly coupled coordinates
//
//	f(x, y) = (x − y)² + 0.01(x² + y²)
//
// whose Hessian [2.02 −2; −2 2.02] has eigenvalues 0.02 (along y = x) and
// 4.02 (across it), with its minimum at the origin. Minimising over one
// coordinate at a time lands on the valley floor after each step and so
// advances only slowly along it: see Goodfellow, Bengio and Courville,
// Deep Learning (2016), §8.7.2 on coordinate descent.
type Coupled struct{}

// Value returns f(p).
func (*Coupled) Value(p Point) float64 {
	x, y := p[0], p[1]
	d := x - y
	return d*d + 0.01*(x*x+y*y)
}

// Gradient returns ∇f(p) = (2(x − y) + 0.02x, −2(x − y) + 0.02y).
func (*Coupled) Gradient(p Point) Point {
	x, y := p[0], p[1]
	d := x - y
	return Point{2*d + 0.02*x, -2*d + 0.02*y}
}

// Hessian returns ∇²f(p) = [2.02 −2; −2 2.02].
func (*Coupled) Hessian(Point) Hessian { return Hessian{XX: 2.02, XY: -2, YY: 2.02} }
