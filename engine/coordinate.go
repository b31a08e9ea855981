package engine

import (
	"fmt"
	"math"

	"saddlepoint/surfaces"
)

func init() {
	register(Method{
		Name:  "coordinate-descent",
		Title: "Coordinate descent",
		Rule:  "x ← argmin_x f(x, y), then y ← argmin_y f(x, y), in turn",
		build: func(Params) Optimizer { return &CoordinateDescent{} },
	})
}

// maxCoordinateEvals bounds the evaluations of one coordinate minimisation,
// far above the few dozen the catalogue's surfaces need, so that no
// function can keep a Step going for long.
const maxCoordinateEvals = 1000

// CoordinateDescent is cyclic coordinate descent, section 8.7.2 of the book:
// each step minimises f along one coordinate with the other held fixed, x on
// the first step, y on the second, and so on,
//
//	x ← argmin f(·, y)    (steps 1, 3, 5, …)
//	y ← argmin f(x, ·)    (steps 2, 4, 6, …)
//
// so the path is a staircase of axis-parallel moves. On a quadratic each
// minimisation is exact: for f = (x − y)² + 0.01(x² + y²) the x-step sets
// x = y/1.01 and the y-step y = x/1.01, and the path creeps along the valley
// y = x by a factor of 1.01² every two steps.
//
// Each minimisation starts from the current value and goes downhill, with
// the Newton step −(∂f/∂x)/(∂²f/∂x²) as its first trial when f has a Hessian
// with positive curvature along the coordinate, so that a quadratic costs one
// evaluation; otherwise it brackets a minimiser and finds the zero of the
// partial derivative in it by Brent's method (see lineMinimum). It finds a
// local minimiser, not necessarily the global one along the line, and never
// raises f. A coordinate along which f falls past DivergenceBound is an
// error that ends the run as diverged.
//
// Step evaluates f itself and ignores the gradient the run loop hands it. A
// CoordinateDescent counts its steps and must not be reused for another run.
type CoordinateDescent struct {
	steps  int
	dir    Point
	probes []Point
}

// Step minimises f along the coordinate whose turn it is.
func (o *CoordinateDescent) Step(f surfaces.Function, theta, _ Point) (Point, error) {
	i := o.steps % 2
	o.steps++
	o.probes = o.probes[:0]
	o.dir = Point{}

	g := f.Gradient(theta)
	curvature := math.NaN()
	if tf, ok := f.(surfaces.TwiceDifferentiable); ok {
		h := tf.Hessian(theta)
		curvature = [2]float64{h.XX, h.YY}[i]
	}
	at := func(u float64) Point {
		p := theta
		p[i] = u
		return p
	}
	evals := 0
	phi := func(u float64) (float64, float64, error) {
		if evals++; evals > maxCoordinateEvals {
			return math.NaN(), math.NaN(), fmt.Errorf("%w: minimising along coordinate %d from θ = (%g, %g) took over %d evaluations",
				ErrStalled, i, theta[0], theta[1], maxCoordinateEvals)
		}
		p := at(u)
		v, g := f.Value(p), f.Gradient(p)
		if !finite(v) || !finite(g[i]) {
			return v, g[i], fmt.Errorf("engine: f(%g, %g) = %g with slope %g along the coordinate", p[0], p[1], v, g[i])
		}
		if p != theta {
			o.probes = append(o.probes, p)
		}
		return v, g[i], nil
	}
	if g[i] != 0 {
		o.dir[i] = -math.Copysign(1, g[i])
	}
	u, _, err := lineMinimum(phi, theta[i], f.Value(theta), g[i], curvature)
	if err != nil {
		return theta, err
	}
	next := at(u)
	o.probes = dropPoint(o.probes, next)
	return next, nil
}

// Probes returns the points the last Step tried along its coordinate.
func (o *CoordinateDescent) Probes() []Point { return o.probes }

// State returns the unit vector along the coordinate of the last Step,
// pointing downhill, or zero if f was flat along it.
func (o *CoordinateDescent) State() State { return stateOf(o) }

func (o *CoordinateDescent) newTrace() (*Trace, *Point) {
	return newSearchTrace(o.dir).parts()
}

var (
	_ Optimizer = (*CoordinateDescent)(nil)
	_ Prober    = (*CoordinateDescent)(nil)
	_ tracer    = (*CoordinateDescent)(nil)
)
