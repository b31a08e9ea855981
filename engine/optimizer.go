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
	"fmt"
	"math"
	"sort"
	"strings"

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

// Param describes one numeric parameter of an optimizer: its default and the
// closed range [Min, Max] of values it accepts.
type Param struct {
	Name    string
	Default float64
	Min     float64
	Max     float64
	// About says what the parameter does, in a short phrase.
	About string
}

// Params are the resolved values of every parameter of an optimizer, by name.
type Params map[string]float64

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
var methodOrder = []string{"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "newton"}

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

// Resolve checks the given parameter values against the method's parameters
// and fills in the defaults of those left out. An unknown name or a value out
// of range is an error that names the parameter and what is allowed.
func (m Method) Resolve(given Params) (Params, error) {
	resolved := make(Params, len(m.Params))
	for _, p := range m.Params {
		resolved[p.Name] = p.Default
	}
	names := make([]string, 0, len(given))
	for name := range given {
		names = append(names, name)
	}
	sort.Strings(names) // so the first error reported does not depend on map order
	for _, name := range names {
		v := given[name]
		p, ok := m.param(name)
		if !ok {
			return nil, &ParamError{Optimizer: m.Name, Param: name,
				Reason: fmt.Sprintf("unknown parameter of %s (allowed: %s)", m.Name, m.paramList())}
		}
		if math.IsNaN(v) || v < p.Min || v > p.Max {
			return nil, &ParamError{Optimizer: m.Name, Param: name,
				Reason: fmt.Sprintf("must be between %g and %g, got %g", p.Min, p.Max, v)}
		}
		resolved[name] = v
	}
	return resolved, nil
}

// New returns a fresh optimizer with the given parameters, resolved as by
// Resolve.
func (m Method) New(given Params) (Optimizer, Params, error) {
	resolved, err := m.Resolve(given)
	if err != nil {
		return nil, nil, err
	}
	return m.build(resolved), resolved, nil
}

func (m Method) param(name string) (Param, bool) {
	for _, p := range m.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

func (m Method) paramList() string {
	if len(m.Params) == 0 {
		return "none"
	}
	names := make([]string, len(m.Params))
	for i, p := range m.Params {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// ParamError reports a parameter that an optimizer does not have or a value
// outside its range.
type ParamError struct {
	Optimizer string
	Param     string
	// Reason says what is wrong and what is allowed.
	Reason string
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("optimizer %s, parameter %s: %s", e.Optimizer, e.Param, e.Reason)
}

// ErrSingular is returned by a Newton step when H + αI cannot be inverted.
var ErrSingular = errors.New("engine: singular Hessian")
