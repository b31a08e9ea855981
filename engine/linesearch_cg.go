package engine

import (
	"gonum.org/v1/gonum/optimize"

	"saddlepoint/surfaces"
)

func init() {
	register(Method{
		Name:  "cg",
		Title: "Conjugate gradients",
		Rule:  "d ← −g + β·d; θ ← θ + α·d, α from a line search",
		Params: []Param{
			{Name: "variant", Kind: Choice, Default: "fletcher-reeves", Choices: cgVariants,
				About: "the formula for β: Fletcher–Reeves ‖g‖²/‖g₋‖², Polak–Ribière g·(g − g₋)/‖g₋‖² or Hestenes–Stiefel g·y/(d·y) with y = g − g₋; the last two floored at 0"},
			{Name: "restart", Kind: Integer, Default: 0.0, Min: 0, Max: 1000,
				About: "iterations between restarts along −g; 0 means gonum's rule, every 12 iterations in two dimensions", Advanced: true},
		},
		build: func(p Params) Optimizer { return &CG{Variant: p.String("variant"), Restart: p.Int("restart")} },
	})
}

// cgVariants are the values of cg's variant parameter.
var cgVariants = []string{"fletcher-reeves", "polak-ribiere", "hestenes-stiefel"}

// CG is the nonlinear conjugate gradient method, Algorithm 8.9 of the book,
// as gonum's optimize.CG implements it:
//
//	β ← ‖g‖²/‖g₋‖²                        (Fletcher–Reeves)
//	  or max(0, g·(g − g₋)/‖g₋‖²)         (Polak–Ribière)
//	  or max(0, g·(g − g₋)/d·(g − g₋))    (Hestenes–Stiefel)
//	d ← −g + β·d
//	θ ← θ + α·d
//
// where g₋ is the gradient at the previous iterate, the first direction is
// −g, and the step α comes from a line search that satisfies the strong Wolfe
// conditions. gonum floors the last two formulas at 0, which the book does
// not. The method restarts along −g (β = 0) after Restart iterations without
// a restart, when two successive gradients point almost opposite ways
// (cos ≤ −0.9), when β is 0 and when d is not a descent direction.
//
// Variant is one of "fletcher-reeves", "polak-ribiere" and
// "hestenes-stiefel" (the book's two formulas and gonum's default); any
// other value panics at the first Step. Restart ∈ [0, 1000] when built
// through the catalogue, and 0 means gonum's default of 6 iterations per
// dimension, 12 here. Everything else is as optimize.CG.initLocal (gonum
// v0.17.0, cg.go) sets it: a Moré–Thuente line search with curvature factor
// 0.1, and optimize.FirstOrderStepSize for its first trial, 1/‖g‖∞ on the
// first step and on later ones the α₀ with α₀·g·d = α₋·g₋·d₋, both clamped
// to [0.001, 1], and 1 after a restart.
//
// A CG holds the state of one run and must not be reused for another.
type CG struct {
	Variant string
	Restart int

	ls          lineSearch
	beta        float64 // β of the last direction, 0 on a restart
	variantBeta float64 // β the variant computed for the last direction
}

// Step takes one line search along the next conjugate direction.
func (o *CG) Step(f surfaces.Function, theta, _ Point) (Point, error) {
	if o.ls.next == nil {
		o.load()
	}
	return o.ls.step(f, theta)
}

func (o *CG) load() {
	var variant optimize.CGVariant
	switch o.Variant {
	case "fletcher-reeves":
		variant = &optimize.FletcherReeves{}
	case "polak-ribiere":
		variant = &optimize.PolakRibierePolyak{}
	case "hestenes-stiefel":
		variant = &optimize.HestenesStiefel{}
	default:
		panic("engine: unknown conjugate gradient variant " + o.Variant)
	}
	// These are the settings optimize.CG.initLocal (gonum v0.17.0, cg.go)
	// would fill in, except that the variant and the restart interval are
	// ours. gonum restarts after ceil(IterationRestartFactor·n) iterations,
	// so Restart/2 in two dimensions gives exactly Restart.
	factor := 6.0
	if o.Restart > 0 {
		factor = float64(o.Restart) / 2
	}
	cg := &optimize.CG{
		Variant:                &recordingVariant{CGVariant: variant, beta: &o.variantBeta},
		InitialStep:            &optimize.FirstOrderStepSize{},
		IterationRestartFactor: factor,
		AngleRestartThreshold:  -0.9,
	}
	o.ls = lineSearch{
		next:     cg,
		searcher: &optimize.MoreThuente{CurvatureFactor: 0.1},
		observe: func(loc *optimize.Location, dir []float64, first bool) {
			// gonum does not say whether it restarted; a restart is the
			// direction −g exactly, which d = −g + β·d with β·d ≠ 0 never
			// is.
			o.beta = o.variantBeta
			if first || (dir[0] == -loc.Gradient[0] && dir[1] == -loc.Gradient[1]) {
				o.beta = 0
			}
		},
	}
}

// Probes returns the line search's trial points of the last Step.
func (o *CG) Probes() []Point { return o.ls.probes }

// State returns the search direction d and the β that built it.
func (o *CG) State() State { return stateOf(o) }

func (o *CG) newTrace() (*Trace, *Point) {
	b := newSearchTrace(o.ls.dir)
	b.values.beta = o.beta
	b.trace.State.Beta = &b.values.beta
	return b.parts()
}

// recordingVariant passes Beta on to a gonum CGVariant and keeps the value.
type recordingVariant struct {
	optimize.CGVariant
	beta *float64
}

func (v *recordingVariant) Beta(grad, gradPrev, dirPrev []float64) float64 {
	*v.beta = v.CGVariant.Beta(grad, gradPrev, dirPrev)
	return *v.beta
}

var (
	_ Optimizer = (*CG)(nil)
	_ Prober    = (*CG)(nil)
	_ tracer    = (*CG)(nil)
)
