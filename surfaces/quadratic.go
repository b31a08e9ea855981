package surfaces

func init() {
	register(Surface{
		TwiceDifferentiable: Bowl{},
		Name:                "bowl",
		Formula:             "x² + y²",
		About:               "A round bowl: the gradient points straight at the minimum, so every method looks good here.",
		View:                View{-2, 2, -2, 2},
		Start:               Point{-1.5, 1.7},
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
func (Bowl) Value(p Point) float64 { return p[0]*p[0] + p[1]*p[1] }

// Gradient returns ∇f(p) = (2x, 2y).
func (Bowl) Gradient(p Point) Point { return Point{2 * p[0], 2 * p[1]} }

// Hessian returns ∇²f(p) = 2I.
func (Bowl) Hessian(Point) Hessian { return Hessian{XX: 2, YY: 2} }
