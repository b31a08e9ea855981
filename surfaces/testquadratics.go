package surfaces

// Two classical test functions that are quadratics: Newton's method solves
// each in one step, while gradient descent shows their conditioning.

func init() {
	register(Surface{
		TwiceDifferentiable: &Booth{},
		Name:                "booth",
		Formula:             "(x + 2y − 7)² + (2x + y − 5)²",
		About:               "A tilted quadratic bowl with condition number 9 and its minimum at (1, 3): gradient descent falls quickly across the bowl's steep diagonal and then follows its shallow one, while Newton's method, exact on a quadratic, lands on the minimum in one step.",
		View:                View{-10, 10, -10, 10},
		Start:               Point{-8, 8},
		Minima:              []Point{{1, 3}},
	})
	register(Surface{
		TwiceDifferentiable: &Matyas{},
		Name:                "matyas",
		Formula:             "0.26(x² + y²) − 0.48xy",
		About:               "A bowl whose floor is almost flat along the diagonal y = x: its curvature is 1 across the diagonal but 0.04 along it, so gradient descent reaches the floor at once and then creeps towards the minimum at the origin.",
		View:                View{-10, 10, -10, 10},
		Start:               Point{8, 3},
		Minima:              []Point{{0, 0}},
	})
}

// Booth is Booth's function
//
//	f(x, y) = (x + 2y − 7)² + (2x + y − 5)²,
//
// a quadratic with Hessian [10 8; 8 10], whose eigenvalues are 18 along
// the diagonal (1, 1) and 2 along (1, −1), and its only minimum
// f(1, 3) = 0.
//
// Reference: A. D. Booth, An application of the method of steepest
// descents to the solution of systems of non-linear simultaneous
// equations, Quarterly Journal of Mechanics and Applied Mathematics
// 2(4):460–468, 1949; the form is that of the common test-function
// collections, such as M. Jamil and X.-S. Yang, A literature survey of
// benchmark functions for global optimization problems, 2013.
type Booth struct{}

// Value returns f(p).
func (*Booth) Value(p Point) float64 {
	x, y := p[0], p[1]
	a, b := x+2*y-7, 2*x+y-5
	return a*a + b*b
}

// Gradient returns ∇f(p) = (10x + 8y − 34, 8x + 10y − 38).
func (*Booth) Gradient(p Point) Point {
	x, y := p[0], p[1]
	return Point{10*x + 8*y - 34, 8*x + 10*y - 38}
}

// Hessian returns ∇²f(p) = [10 8; 8 10].
func (*Booth) Hessian(Point) Hessian { return Hessian{XX: 10, XY: 8, YY: 10} }

// Matyas is the Matyas function
//
//	f(x, y) = 0.26(x² + y²) − 0.48xy,
//
// a quadratic with Hessian [0.52 −0.48; −0.48 0.52], whose eigenvalues are
// 0.04 along the diagonal (1, 1) and 1 along (1, −1), so condition number
// 25, and its only minimum f(0, 0) = 0.
//
// Reference: J. Matyas, Random optimization, Automation and Remote Control
// 26(2):246–253, 1965; the form is that of M. Jamil and X.-S. Yang, A
// literature survey of benchmark functions for global optimization
// problems, 2013.
type Matyas struct{}

// Value returns f(p).
func (*Matyas) Value(p Point) float64 {
	x, y := p[0], p[1]
	return 0.26*(x*x+y*y) - 0.48*x*y
}

// Gradient returns ∇f(p) = (0.52x − 0.48y, 0.52y − 0.48x).
func (*Matyas) Gradient(p Point) Point {
	x, y := p[0], p[1]
	return Point{0.52*x - 0.48*y, 0.52*y - 0.48*x}
}

// Hessian returns ∇²f(p) = [0.52 −0.48; −0.48 0.52].
func (*Matyas) Hessian(Point) Hessian { return Hessian{XX: 0.52, XY: -0.48, YY: 0.52} }
