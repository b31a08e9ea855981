package survey

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"strings"

	"saddlepoint/engine"
)

// Scale is how the values of an Axis are spaced.
type Scale string

// The scales of an axis.
const (
	// Linear spaces the values evenly: vᵢ = Min + i·(Max − Min)/(N − 1).
	Linear Scale = "linear"
	// Log spaces them evenly in log: vᵢ = Min·(Max/Min)^(i/(N − 1)).
	Log Scale = "log"
)

// MaxAxisValues is the most values an axis of a sweep may have.
const MaxAxisValues = 64

// Axis is one parameter swept over a range: N values from Min to Max, both
// included.
type Axis struct {
	Param    string
	Min, Max float64
	N        int
	Scale    Scale
}

// Values returns the axis's values: v₀ = Min and v_{N−1} = Max exactly, the
// others as the scale says, computed as written there. An integer parameter's
// values are rounded to the nearest whole number, so neighbours may repeat.
func (a Axis) Values(kind engine.Kind) []float64 {
	v := make([]float64, a.N)
	last := float64(a.N - 1)
	for i := range v {
		switch {
		case i == 0:
			v[i] = a.Min
		case i == a.N-1:
			v[i] = a.Max
		case a.Scale == Log:
			v[i] = a.Min * math.Pow(a.Max/a.Min, float64(i)/last)
		default:
			v[i] = a.Min + float64(i)*(a.Max-a.Min)/last
		}
		v[i] = min(max(v[i], a.Min), a.Max) // against rounding past the ends
		if kind == engine.Integer {
			v[i] = math.Round(v[i])
		}
	}
	return v
}

// AxisError reports an axis that cannot be swept: its field and what is
// allowed.
type AxisError struct {
	// Axis is "x" or "y".
	Axis string
	// Field is "param", "min", "max", "n" or "scale".
	Field  string
	Reason string
}

func (e *AxisError) Error() string {
	return e.Axis + "." + e.Field + ": " + e.Reason
}

// ErrStartNotFinite is returned by Sweep when f or a coordinate of the start
// is not finite, or a coordinate exceeds engine.DivergenceBound, so that
// every run would diverge before its first step with no loss to show.
var ErrStartNotFinite = errors.New("survey: the start is out of bounds or f is not finite there")

// SweepMap is the outcome of a run at every pair of values of two
// parameters.
type SweepMap struct {
	// X and Y are the values of the two parameters.
	X, Y []float64
	// Runs holds the run at (X[i], Y[j]) at index j·len(X) + i: row-major,
	// Y outer.
	Runs []Outcome
}

// Sweep runs the setup from start at every pair of values of the axes x and
// y, which override the setup's values of their parameters. Both must name
// distinct number or integer parameters of the setup's method, with Min <
// Max inside the parameter's range (Min > 0 on a log scale) and 2 to
// MaxAxisValues values; otherwise Sweep returns an *AxisError.
//
// Every run starts where f is finite, so every Outcome.Loss is finite: a
// diverged run's is its last finite loss.
func Sweep(ctx context.Context, s Setup, start Point, x, y Axis) (SweepMap, error) {
	var m SweepMap
	xParam, yParam, err := checkAxes(s.Method, x, y)
	if err != nil {
		return m, err
	}
	if v := s.F.Value(start); math.IsNaN(v) || math.IsInf(v, 0) || !within(start, engine.DivergenceBound) {
		return m, ErrStartNotFinite
	}
	m.X, m.Y = x.Values(xParam.Kind), y.Values(yParam.Kind)
	m.Runs = make([]Outcome, len(m.X)*len(m.Y))
	resolved := s.resolved()
	err = forEach(ctx, len(m.Runs), func() func(int) {
		params := maps.Clone(resolved) // this worker's, its axis values set run by run
		return func(k int) {
			params[x.Param], params[y.Param] = m.X[k%len(m.X)], m.Y[k/len(m.X)]
			m.Runs[k] = s.runWith(params, start)
		}
	})
	return m, err
}

// CheckAxes returns the *AxisError that Sweep would return for the axes x
// and y of method m, or nil if they can be swept.
func CheckAxes(m engine.Method, x, y Axis) error {
	_, _, err := checkAxes(m, x, y)
	return err
}

// checkAxes checks the axes x and y for method m and returns the
// parameters they sweep.
func checkAxes(m engine.Method, x, y Axis) (xParam, yParam engine.Param, err error) {
	if xParam, err = checkAxis(m, "x", x); err != nil {
		return
	}
	if yParam, err = checkAxis(m, "y", y); err != nil {
		return
	}
	if y.Param == x.Param {
		err = &AxisError{Axis: "y", Field: "param", Reason: fmt.Sprintf("%s is already swept on x; sweep two different parameters", y.Param)}
	}
	return
}

// checkAxis checks that a can be swept for method m, and returns the
// parameter it sweeps.
func checkAxis(m engine.Method, name string, a Axis) (engine.Param, error) {
	fail := func(field, format string, args ...any) (engine.Param, error) {
		return engine.Param{}, &AxisError{Axis: name, Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	var numeric []string
	var p engine.Param
	found := false
	for _, q := range m.Params {
		if q.Kind == engine.Number || q.Kind == engine.Integer {
			numeric = append(numeric, q.Name)
		}
		if q.Name == a.Param {
			p, found = q, true
		}
	}
	switch {
	case len(numeric) == 0:
		return fail("param", "%s has no number or integer parameter to sweep", m.Name)
	case a.Param == "":
		return fail("param", "required, a number or integer parameter of %s (%s)", m.Name, strings.Join(numeric, ", "))
	case !found:
		return fail("param", "unknown parameter %q of %s; it can sweep %s", a.Param, m.Name, strings.Join(numeric, ", "))
	case p.Kind != engine.Number && p.Kind != engine.Integer:
		return fail("param", "%s is a %s parameter; only number and integer parameters can be swept (%s)", a.Param, p.Kind, strings.Join(numeric, ", "))
	}
	inRange := func(v float64) bool { return v >= p.Min && v <= p.Max }
	switch {
	case a.Scale != Linear && a.Scale != Log:
		return fail("scale", `must be "linear" or "log", got %q`, string(a.Scale))
	case !inRange(a.Min):
		return fail("min", "must be between %g and %g (the range of %s's %s), got %g", p.Min, p.Max, m.Name, p.Name, a.Min)
	case !inRange(a.Max):
		return fail("max", "must be between %g and %g (the range of %s's %s), got %g", p.Min, p.Max, m.Name, p.Name, a.Max)
	case a.Scale == Log && !(a.Min > 0):
		return fail("min", "must be greater than 0 on a log scale, got %g", a.Min)
	case !(a.Min < a.Max):
		return fail("max", "must be greater than min (%g), got %g", a.Min, a.Max)
	case a.N < 2 || a.N > MaxAxisValues:
		return fail("n", "must be a whole number from 2 to %d, got %d", MaxAxisValues, a.N)
	}
	return p, nil
}

func within(p Point, bound float64) bool {
	return math.Abs(p[0]) <= bound && math.Abs(p[1]) <= bound // false for NaN
}
