// Package engine steps optimizers over the surfaces of package surfaces. It
// holds the update rules of chapter 8 of Goodfellow, Bengio & Courville,
// Deep Learning (MIT Press, 2016), written exactly as the book's algorithms
// give them, and the run rules that decide when a trajectory stops.
//
// Every update is element-wise over the two coordinates, all optimizer state
// starts at zero and everything is float64, so the same request gives the
// same trajectory bit for bit.
package engine

import (
	"errors"
	"sort"

	"saddlepoint/surfaces"
)

// Point is an iterate θ = (x, y).
type Point = surfaces.Point

// Optimizer is one optimizer in the middle of a run. It owns its state
// (velocity, accumulators, step count), so each run needs a fresh one.
type Optimizer interface {
	// Step returns the next iterate from θ, where grad = ∇f(θ) has already
	// been computed by the run loop. Methods that need more of f (the
	// look-ahead gradient of Nesterov momentum, the Hessian of Newton's
	// method) evaluate it themselves. A step that cannot be taken returns an
	// error, such as one wrapping ErrSingular.
	Step(f surfaces.Function, theta, grad Point) (Point, error)
}

// Method describes an optimizer of the catalogue and builds fresh instances
// of it.
type Method struct {
	// Name is the optimizer's API identifier, such as "adam".
	Name string
	// Title is its name for display, such as "Adam".
	Title string
	// Rule is the update rule for display, in Unicode plain text.
	Rule string
	// Params lists the optimizer's parameters in display order.
	Params []Param
	// NeedsHessian is true when the method evaluates ∇²f.
	NeedsHessian bool
	// build makes a fresh optimizer from fully resolved parameters.
	build func(Params) Optimizer
}

var methods = map[string]Method{}

// methodOrder is the order optimizers are listed in, following the book.
var methodOrder = []string{
	"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "rmsprop-nesterov", "adam", "adamw",
	"newton", "newton-ls", "cg", "bfgs", "lbfgs", "coordinate-descent",
}

func register(m Method) {
	if _, dup := methods[m.Name]; dup {
		panic("engine: duplicate optimizer " + m.Name)
	}
	methods[m.Name] = m
}

// Methods returns every optimizer of the catalogue in display order.
func Methods() []Method {
	all := make([]Method, 0, len(methods))
	for _, m := range methods {
		all = append(all, m)
	}
	rank := func(name string) int {
		for i, n := range methodOrder {
			if n == name {
				return i
			}
		}
		return len(methodOrder)
	}
	sort.Slice(all, func(i, j int) bool { return rank(all[i].Name) < rank(all[j].Name) })
	return all
}

// LookupMethod returns the optimizer of the catalogue with the given name.
func LookupMethod(name string) (Method, bool) {
	m, ok := methods[name]
	return m, ok
}

// MethodNames returns the optimizer names in display order.
func MethodNames() []string {
	var names []string
	for _, m := range Methods() {
		names = append(names, m.Name)
	}
	return names
}

// New returns a fresh optimizer with the given parameters, resolved as by
// Resolve. The update rule is wrapped in the decorators that the knobs of a
// first-order method turn on (see Scheduled, Clipped and Noisy); the
// averaging its parameters ask for is a run option, which Options gives.
func (m Method) New(given map[string]any) (Optimizer, Params, error) {
	resolved, err := m.Resolve(given)
	if err != nil {
		return nil, nil, err
	}
	return m.Build(resolved), resolved, nil
}

// Build returns a fresh optimizer with parameters that Resolve has already
// resolved, decorated as New decorates it, without checking them again. It
// is for building many optimizers from the same parameters, as a survey
// does: resolving them costs more allocations than the optimizer itself.
// Build neither keeps nor changes p. A parameter missing from p, or of the
// wrong type, is a programming error and panics; values out of range are
// not caught, so p must come from Resolve or New, or from their result with
// values changed to others that Resolve accepts.
func (m Method) Build(p Params) Optimizer {
	if m.build == nil {
		panic("engine: Build of a method that is not from the catalogue")
	}
	return decorate(m.build(p), p)
}

// Errors a Step may return, each ending the run with its own status.
var (
	// ErrSingular is returned by a Newton step when H + αI cannot be
	// inverted; the run ends as Singular.
	ErrSingular = errors.New("engine: singular Hessian")
	// ErrStalled is returned by a line-search method that can find no point
	// along its search direction that decreases f enough; the run ends as
	// Stalled.
	ErrStalled = errors.New("engine: the line search made no progress")
)
