package surfaces

import "math"

// The classical two-variable test functions of numerical optimization, each
// with its standard window and start.

func init() {
	register(Surface{
		TwiceDifferentiable: &Rosenbrock{},
		Name:                "rosenbrock",
		Formula:             "(1−x)² + 100(y−x²)²",
		About:               "The curved banana valley: reaching the valley floor is easy, but the floor bends on its way to the minimum at (1, 1), so gradient methods zig-zag slowly along it while Newton's method follows the curve.",
		View:                View{-2, 2, -1, 3},
		Start:               Point{-1.2, 1},
		Minima:              []Point{{1, 1}},
	})
	register(Surface{
		TwiceDifferentiable: &Beale{},
		Name:                "beale",
		Formula:             "(1.5−x+xy)² + (2.25−x+xy²)² + (2.625−x+xy³)²",
		About:               "Flat plateaus and steep walls around one minimum at (3, 0.5): the gradient's size varies by orders of magnitude, so a fixed learning rate is either too timid on the plateau or explodes on the walls, which is where adaptive methods earn their keep.",
		View:                View{-4.5, 4.5, -4.5, 4.5},
		Start:               Point{1, 1.5},
		Minima:              []Point{{3, 0.5}},
	})
	register(Surface{
		TwiceDifferentiable: &Himmelblau{},
		Name:                "himmelblau",
		Formula:             "(x²+y−11)² + (x+y²−7)²",
		About:               "Four minima of equal value 0 in four basins separated by saddle points: which one a run finds depends on where it starts and on how much momentum carries it across the ridges.",
		View:                View{-5, 5, -5, 5},
		Start:               Point{0, 0},
		Minima: []Point{
			{3, 2},
			{-2.8051180869527449, 3.1313125182505730},
			{-3.7793102533777469, -3.2831859912861694},
			{3.5844283403304917, -1.8481265269644036},
		},
	})
	register(Surface{
		TwiceDifferentiable: &Rastrigin{},
		Name:                "rastrigin",
		Formula:             "20 + x² − 10cos(2πx) + y² − 10cos(2πy)",
		About:               "A bowl covered in ripples, with a local minimum near every point of the integer grid: local methods settle in the nearest dimple, and only the global minimum at the origin is listed.",
		View:                View{-5.12, 5.12, -5.12, 5.12},
		Start:               Point{2.3, -1.6},
		Minima:              []Point{{0, 0}},
	})
	register(Surface{
		TwiceDifferentiable: &SixHumpCamel{},
		Name:                "six-hump-camel",
		Formula:             "(4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²",
		About:               "Six minima of three different depths, two of them global, with a saddle point at the origin between the global pair: a small landscape where the basin a run starts in decides how good its answer is.",
		View:                View{-2, 2, -1, 1},
		Start:               Point{1.2, 0.8},
		Minima: []Point{
			{0.089842013100318062, -0.71265640302073963},
			{-0.089842013100318062, 0.71265640302073963},
			{-1.7036067149699808, 0.79608356867262512},
			{1.7036067149699808, -0.79608356867262512},
			{1.6071047529201972, 0.56865145488413137},
			{-1.6071047529201972, -0.56865145488413137},
		},
	})
}

// Rosenbrock is Rosenbrock's banana function
//
//	f(x, y) = (1 − x)² + 100(y − x²)²
//
// with its only minimum f(1, 1) = 0 at the end of a curved, flat-bottomed
// valley along y = x². Its standard start is (−1.2, 1).
//
// Reference: H. H. Rosenbrock, An automatic method for finding the greatest
// or least value of a function, The Computer Journal 3(3):175–184, 1960.
type Rosenbrock struct{}

// Value returns f(p).
func (*Rosenbrock) Value(p Point) float64 {
	x, y := p[0], p[1]
	a, b := 1-x, y-x*x
	return a*a + 100*b*b
}

// Gradient returns ∇f(p) = (−2(1 − x) − 400x(y − x²), 200(y − x²)).
func (*Rosenbrock) Gradient(p Point) Point {
	x, y := p[0], p[1]
	a, b := 1-x, y-x*x
	return Point{-2*a - 400*x*b, 200 * b}
}

// Hessian returns ∇²f(p) = [1200x² − 400y + 2  −400x; −400x  200].
func (*Rosenbrock) Hessian(p Point) Hessian {
	x, y := p[0], p[1]
	return Hessian{XX: 1200*x*x - 400*y + 2, XY: -400 * x, YY: 200}
}

// Beale is Beale's function, a sum of three squared residuals rᵢ,
//
//	f(x, y) = r₁² + r₂² + r₃²,  rᵢ = cᵢ − x(1 − yⁱ),  c = (1.5, 2.25, 2.625),
//
// with its only minimum f(3, 0.5) = 0 in the window; (0, 1) and
// (0.1005, −2.6445) are saddle points. Its derivatives follow from
// ∂rᵢ/∂x = yⁱ − 1 and ∂rᵢ/∂y = i·x·yⁱ⁻¹. (The Hessian of gonum's
// optimize/functions.Beale does not match its function; this one is derived
// afresh and checked against finite differences.)
//
// Reference: E. M. L. Beale, On an iterative method for finding a local
// minimum of a function of more than one variable, Technical Report 25,
// Statistical Techniques Research Group, Princeton University, 1958.
type Beale struct{}

// bealeTerms holds the residuals rᵢ and their partial derivatives
// aᵢ = ∂rᵢ/∂x and bᵢ = ∂rᵢ/∂y, shared by Beale's value and derivatives.
type bealeTerms struct {
	r, a, b [3]float64
}

func newBealeTerms(p Point) bealeTerms {
	x, y := p[0], p[1]
	y2 := y * y
	y3 := y2 * y
	return bealeTerms{
		r: [3]float64{1.5 - x + x*y, 2.25 - x + x*y2, 2.625 - x + x*y3},
		a: [3]float64{y - 1, y2 - 1, y3 - 1},
		b: [3]float64{x, 2 * x * y, 3 * x * y2},
	}
}

// Value returns f(p).
func (*Beale) Value(p Point) float64 {
	t := newBealeTerms(p)
	return t.r[0]*t.r[0] + t.r[1]*t.r[1] + t.r[2]*t.r[2]
}

// Gradient returns ∇f(p) = 2 Σᵢ rᵢ (∂rᵢ/∂x, ∂rᵢ/∂y).
func (*Beale) Gradient(p Point) Point {
	t := newBealeTerms(p)
	return Point{
		2 * (t.r[0]*t.a[0] + t.r[1]*t.a[1] + t.r[2]*t.a[2]),
		2 * (t.r[0]*t.b[0] + t.r[1]*t.b[1] + t.r[2]*t.b[2]),
	}
}

// Hessian returns ∇²f(p) = 2 Σᵢ (∇rᵢ ∇rᵢᵀ + rᵢ ∇²rᵢ), where
// ∂²rᵢ/∂x² = 0, ∂²rᵢ/∂x∂y = i·yⁱ⁻¹ and ∂²rᵢ/∂y² = i(i − 1)·x·yⁱ⁻².
func (*Beale) Hessian(p Point) Hessian {
	x, y := p[0], p[1]
	t := newBealeTerms(p)
	r, a, b := t.r, t.a, t.b
	return Hessian{
		XX: 2 * (a[0]*a[0] + a[1]*a[1] + a[2]*a[2]),
		XY: 2 * (a[0]*b[0] + a[1]*b[1] + a[2]*b[2] + r[0] + 2*r[1]*y + 3*r[2]*y*y),
		YY: 2 * (b[0]*b[0] + b[1]*b[1] + b[2]*b[2] + 2*r[1]*x + 6*r[2]*x*y),
	}
}

// Himmelblau is Himmelblau's function
//
//	f(x, y) = (x² + y − 11)² + (x + y² − 7)²
//
// with four minima of value 0: (3, 2) and three irrational ones near
// (−2.805, 3.131), (−3.779, −3.283) and (3.584, −1.848), found with Newton's
// method in 50-digit arithmetic and rounded to float64. Between them lie
// four saddle points and a local maximum near (−0.271, −0.923).
//
// Reference: D. M. Himmelblau, Applied Nonlinear Programming, McGraw-Hill,
// 1972.
type Himmelblau struct{}

// Value returns f(p).
func (*Himmelblau) Value(p Point) float64 {
	x, y := p[0], p[1]
	a, b := x*x+y-11, x+y*y-7
	return a*a + b*b
}

// Gradient returns ∇f(p) = (4xa + 2b, 2a + 4yb) with a = x² + y − 11 and
// b = x + y² − 7.
func (*Himmelblau) Gradient(p Point) Point {
	x, y := p[0], p[1]
	a, b := x*x+y-11, x+y*y-7
	return Point{4*x*a + 2*b, 2*a + 4*y*b}
}

// Hessian returns ∇²f(p) = [12x² + 4y − 42  4(x + y); 4(x + y)  4x + 12y² − 26].
func (*Himmelblau) Hessian(p Point) Hessian {
	x, y := p[0], p[1]
	return Hessian{XX: 12*x*x + 4*y - 42, XY: 4 * (x + y), YY: 4*x + 12*y*y - 26}
}

// Rastrigin is the two-dimensional Rastrigin function
//
//	f(x, y) = 20 + x² − 10cos(2πx) + y² − 10cos(2πy)
//
// whose global minimum f(0, 0) = 0 is surrounded by a local minimum near
// every point of the integer grid. Only the global minimum is listed.
//
// Reference: L. A. Rastrigin, Systems of Extremal Control, Nauka, Moscow,
// 1974 (in Russian); the form used here is the n = 2 case of the
// generalisation by Mühlenbein, Schomisch and Born, 1991.
type Rastrigin struct{}

// Value returns f(p).
func (*Rastrigin) Value(p Point) float64 {
	x, y := p[0], p[1]
	return 20 + x*x - 10*math.Cos(2*math.Pi*x) + y*y - 10*math.Cos(2*math.Pi*y)
}

// Gradient returns ∇f(p) = (2x + 20π sin(2πx), 2y + 20π sin(2πy)).
func (*Rastrigin) Gradient(p Point) Point {
	x, y := p[0], p[1]
	return Point{
		2*x + 20*math.Pi*math.Sin(2*math.Pi*x),
		2*y + 20*math.Pi*math.Sin(2*math.Pi*y),
	}
}

// Hessian returns ∇²f(p) = diag(2 + 40π² cos(2πx), 2 + 40π² cos(2πy)).
func (*Rastrigin) Hessian(p Point) Hessian {
	x, y := p[0], p[1]
	return Hessian{
		XX: 2 + 40*math.Pi*math.Pi*math.Cos(2*math.Pi*x),
		YY: 2 + 40*math.Pi*math.Pi*math.Cos(2*math.Pi*y),
	}
}

// SixHumpCamel is the six-hump camel-back function
//
//	f(x, y) = (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²
//
// with six minima in the window [−2, 2] × [−1, 1], all symmetric under
// (x, y) ↦ (−x, −y): the two global ones ±(0.0898420131003, −0.7126564030207)
// with value −1.0316284534898774, two near ±(−1.7036, 0.7961) with value
// −0.2154638243837176 and two near ±(1.6071, 0.5687) with value
// 2.1042503103112583, found with Newton's method in 50-digit arithmetic and
// rounded to float64.
//
// Reference: L. C. W. Dixon and G. P. Szegő, The global optimization
// problem: an introduction, in Towards Global Optimisation 2, North-Holland,
// 1978, pp. 1–15.
type SixHumpCamel struct{}

// Value returns f(p).
func (*SixHumpCamel) Value(p Point) float64 {
	x, y := p[0], p[1]
	x2, y2 := x*x, y*y
	return (4-2.1*x2+x2*x2/3)*x2 + x*y + (-4+4*y2)*y2
}

// Gradient returns ∇f(p) = (8x − 8.4x³ + 2x⁵ + y, x − 8y + 16y³).
func (*SixHumpCamel) Gradient(p Point) Point {
	x, y := p[0], p[1]
	x2, y2 := x*x, y*y
	return Point{
		x*(8-8.4*x2+2*x2*x2) + y,
		x + y*(-8+16*y2),
	}
}

// Hessian returns ∇²f(p) = [8 − 25.2x² + 10x⁴  1; 1  −8 + 48y²].
func (*SixHumpCamel) Hessian(p Point) Hessian {
	x, y := p[0], p[1]
	x2 := x * x
	return Hessian{XX: 8 - 25.2*x2 + 10*x2*x2, XY: 1, YY: -8 + 48*y*y}
}
