package engine

import (
	"errors"
	"fmt"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"saddlepoint/surfaces"
)

// The line-search methods of section 8.6 of the book (conjugate gradients,
// BFGS, L-BFGS and Newton's method with a line search) are gonum's, from
// gonum.org/v1/gonum/optimize. gonum's methods are reverse-communication:
// the method asks for evaluations through an Operation bitmask and the caller
// fills a shared Location. lineSearch drives one of them a major iteration at
// a time, so that each Step is one search direction and one line search along
// it, and the run rules of this package (not gonum's convergence tests)
// decide when the run stops.

// maxLineSearchEvals bounds the evaluations of one Step. gonum's line
// searchers always end, but a bound keeps a pathological surface from
// stalling the server; no run over the catalogue comes near it.
const maxLineSearchEvals = 500

// lineSearch steps a gonum LinesearchMethod whose directions come from next.
// It is itself the method's NextDirectioner, passing each call on to next
// and then to observe, so that the optimizer can record the direction and
// whatever else it shows in its State.
//
// Step evaluates f itself at θ and at every trial point, and ignores the
// gradient the run loop hands it: the line search compares exact values
// along one line, which a clipped or noisy gradient would make meaningless.
type lineSearch struct {
	next     optimize.NextDirectioner
	searcher optimize.Linesearcher
	// observe, if set, is called after each new search direction dir has
	// been computed at loc; first is true for the first direction of a run.
	observe func(loc *optimize.Location, dir []float64, first bool)
	// hessian says whether the method needs ∇²f at every major iteration.
	hessian bool

	method  optimize.LinesearchMethod
	loc     optimize.Location
	started bool  // whether method holds a run in progress
	at      Point // the iterate the last Step returned
	dir     Point // the search direction of the last Step
	probes  []Point
}

// InitDirection implements optimize.NextDirectioner.
func (ls *lineSearch) InitDirection(loc *optimize.Location, dir []float64) float64 {
	step := ls.next.InitDirection(loc, dir)
	ls.record(loc, dir, true)
	return step
}

// NextDirection implements optimize.NextDirectioner.
func (ls *lineSearch) NextDirection(loc *optimize.Location, dir []float64) float64 {
	step := ls.next.NextDirection(loc, dir)
	ls.record(loc, dir, false)
	return step
}

func (ls *lineSearch) record(loc *optimize.Location, dir []float64, first bool) {
	ls.dir = Point{dir[0], dir[1]}
	if ls.observe != nil {
		ls.observe(loc, dir, first)
	}
}

// step takes one major iteration from theta: a new search direction and a
// line search along it. The first call starts the method at theta; later
// calls continue it from where the last one ended, and a theta other than
// the iterate returned last starts it afresh from theta.
func (ls *lineSearch) step(f surfaces.Function, theta Point) (Point, error) {
	ls.probes = ls.probes[:0]
	var tf surfaces.TwiceDifferentiable
	if ls.hessian {
		var ok bool
		if tf, ok = f.(surfaces.TwiceDifferentiable); !ok {
			return theta, fmt.Errorf("engine: this method needs the Hessian, and %T does not give one", f)
		}
	}

	var op optimize.Operation
	var err error
	if ls.started && theta == ls.at {
		op, err = ls.method.Iterate(&ls.loc)
	} else {
		ls.start(tf != nil)
		ls.loc.X[0], ls.loc.X[1] = theta[0], theta[1]
		if err := ls.evaluate(f, tf, optimize.FuncEvaluation|optimize.GradEvaluation|optimize.HessEvaluation); err != nil {
			return theta, err
		}
		op, err = ls.method.Init(&ls.loc)
	}
	for evals := 0; ; evals++ {
		if err != nil {
			ls.started = false // gonum cannot resume a method after an error
			return theta, lineSearchError(err, theta)
		}
		if op == optimize.MajorIteration {
			next := Point{ls.loc.X[0], ls.loc.X[1]}
			ls.at = next
			ls.probes = dropPoint(ls.probes, next)
			return next, nil
		}
		if evals == maxLineSearchEvals {
			ls.started = false
			return theta, fmt.Errorf("%w: the line search from θ = (%g, %g) made %d evaluations without settling",
				ErrStalled, theta[0], theta[1], maxLineSearchEvals)
		}
		x := Point{ls.loc.X[0], ls.loc.X[1]}
		if !inBounds(x) {
			// f still decreased enough on the way out here for the line
			// search to go on: f falls without bound along this direction.
			ls.started = false
			return theta, fmt.Errorf("engine: the line search from θ = (%g, %g) along d = (%g, %g) left the plane at (%g, %g)",
				theta[0], theta[1], ls.dir[0], ls.dir[1], x[0], x[1])
		}
		if err := ls.evaluate(f, tf, op); err != nil {
			ls.started = false
			return theta, err
		}
		// A line searcher asks for the gradient at a point whose value it
		// has just seen, and the method completes the accepted point, so
		// consecutive requests often share a point.
		if x != theta && (len(ls.probes) == 0 || ls.probes[len(ls.probes)-1] != x) {
			ls.probes = append(ls.probes, x)
		}
		op, err = ls.method.Iterate(&ls.loc)
	}
}

// start makes the gonum method ready for a run.
func (ls *lineSearch) start(hessian bool) {
	if ls.loc.X == nil {
		ls.loc.X = make([]float64, 2)
		ls.loc.Gradient = make([]float64, 2)
		if hessian {
			ls.loc.Hessian = mat.NewSymDense(2, nil)
		}
	}
	ls.method.NextDirectioner = ls
	ls.method.Linesearcher = ls.searcher
	ls.started = true
}

// evaluate fills the fields of ls.loc that op asks for, at ls.loc.X.
func (ls *lineSearch) evaluate(f surfaces.Function, tf surfaces.TwiceDifferentiable, op optimize.Operation) error {
	if op&^(optimize.FuncEvaluation|optimize.GradEvaluation|optimize.HessEvaluation) != 0 {
		panic(fmt.Sprintf("engine: gonum asked for %v in the middle of a line search", op))
	}
	x := Point{ls.loc.X[0], ls.loc.X[1]}
	if op&optimize.FuncEvaluation != 0 {
		ls.loc.F = f.Value(x)
		if !finite(ls.loc.F) {
			return fmt.Errorf("engine: f(%g, %g) = %g during the line search", x[0], x[1], ls.loc.F)
		}
	}
	if op&optimize.GradEvaluation != 0 {
		g := f.Gradient(x)
		if !finite(g[0]) || !finite(g[1]) {
			return fmt.Errorf("engine: ∇f(%g, %g) = (%g, %g) during the line search", x[0], x[1], g[0], g[1])
		}
		ls.loc.Gradient[0], ls.loc.Gradient[1] = g[0], g[1]
	}
	if op&optimize.HessEvaluation != 0 && ls.loc.Hessian != nil {
		h := tf.Hessian(x)
		if !finite(h.XX) || !finite(h.XY) || !finite(h.YY) {
			return fmt.Errorf("engine: ∇²f(%g, %g) is not finite during the line search", x[0], x[1])
		}
		ls.loc.Hessian.SetSym(0, 0, h.XX)
		ls.loc.Hessian.SetSym(0, 1, h.XY)
		ls.loc.Hessian.SetSym(1, 1, h.YY)
	}
	return nil
}

// searchValues are the values that the State of CG, BFGS, LBFGS and
// CoordinateDescent points to, in the trace that holds them; each fills in
// those it has. The comment of each value names the field of State that
// points to it.
type searchValues struct {
	direction      Point            // Direction
	inverseHessian surfaces.Hessian // InverseHessian
	beta           float64          // Beta
}

// newSearchTrace returns a trace block whose State shows the search
// direction dir: the whole State of LBFGS and CoordinateDescent, to which
// BFGS adds M and CG β.
func newSearchTrace(dir Point) *traceBlock[searchValues] {
	b := new(traceBlock[searchValues])
	b.values.direction = dir
	b.trace.State.Direction = &b.values.direction
	return b
}

// lineSearchError says why gonum could not take a step from theta. A line
// search that can find no better point, or a direction along which f does
// not decrease (which in exact arithmetic only happens at a critical
// point), stalls the run; any other failure ends it as diverged.
func lineSearchError(err error, theta Point) error {
	if errors.Is(err, optimize.ErrLinesearcherFailure) || errors.Is(err, optimize.ErrNoProgress) ||
		errors.Is(err, optimize.ErrNonDescentDirection) {
		return fmt.Errorf("%w from θ = (%g, %g): %w", ErrStalled, theta[0], theta[1], err)
	}
	return fmt.Errorf("engine: gonum's line search from θ = (%g, %g) failed: %w", theta[0], theta[1], err)
}

// dropPoint removes every copy of p from points, in place.
func dropPoint(points []Point, p Point) []Point {
	kept := points[:0]
	for _, q := range points {
		if q != p {
			kept = append(kept, q)
		}
	}
	return kept
}
