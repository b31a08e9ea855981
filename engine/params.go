package engine

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Kind is the type of values a parameter takes.
type Kind int

// The kinds of parameter.
const (
	// Number is a float64 in the closed range [Min, Max].
	Number Kind = iota
	// Integer is a whole number in the closed range [Min, Max], held as a
	// float64 with no fractional part.
	Integer
	// Bool is true or false.
	Bool
	// Choice is one of the strings in Choices.
	Choice
)

// String returns the kind's name in the API: "number", "integer", "boolean"
// or "choice".
func (k Kind) String() string {
	switch k {
	case Number:
		return "number"
	case Integer:
		return "integer"
	case Bool:
		return "boolean"
	case Choice:
		return "choice"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Param describes one parameter of an optimizer: its kind, its default and
// the values it accepts.
type Param struct {
	Name string
	Kind Kind
	// Default is a float64 for Number and Integer, a bool for Bool and a
	// string for Choice.
	Default any
	// Min and Max bound a Number or Integer, both ends included.
	Min, Max float64
	// Choices lists the values of a Choice.
	Choices []string
	// About says what the parameter does, in a short phrase.
	About string
	// Advanced marks a knob that most runs leave at its default (clipping,
	// schedules, noise, averaging), which the page tucks away.
	Advanced bool
}

// Params are the resolved values of every parameter of an optimizer, by name:
// float64 for numbers and integers, bool and string for the others.
type Params map[string]any

// Float returns the value of a Number or Integer parameter. Asking for a
// parameter the optimizer does not have is a programming error and panics.
func (p Params) Float(name string) float64 {
	v, ok := p[name].(float64)
	if !ok {
		panic(fmt.Sprintf("engine: parameter %q is %T, not a number", name, p[name]))
	}
	return v
}

// Int returns the value of an Integer parameter.
func (p Params) Int(name string) int {
	return int(p.Float(name))
}

// Bool returns the value of a Bool parameter.
func (p Params) Bool(name string) bool {
	v, ok := p[name].(bool)
	if !ok {
		panic(fmt.Sprintf("engine: parameter %q is %T, not a bool", name, p[name]))
	}
	return v
}

// String returns the value of a Choice parameter.
func (p Params) String(name string) string {
	v, ok := p[name].(string)
	if !ok {
		panic(fmt.Sprintf("engine: parameter %q is %T, not a string", name, p[name]))
	}
	return v
}

// ParamError reports a parameter that an optimizer does not have, or a value
// of the wrong type or outside its range.
type ParamError struct {
	Optimizer string
	Param     string
	// Reason says what is wrong and what is allowed.
	Reason string
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("optimizer %s, parameter %s: %s", e.Optimizer, e.Param, e.Reason)
}

// Resolve checks the given parameter values against the method's parameters
// and fills in the defaults of those left out. Given values are as a JSON
// decoder makes them: float64 (or int) for numbers, bool, string, nil for
// null. An
// unknown name or a value of the wrong type or out of range is a *ParamError
// that names the parameter and what is allowed.
func (m Method) Resolve(given map[string]any) (Params, error) {
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
		p, ok := m.param(name)
		if !ok {
			return nil, &ParamError{Optimizer: m.Name, Param: name,
				Reason: fmt.Sprintf("unknown parameter of %s (allowed: %s)", m.Name, m.paramList())}
		}
		v, reason := p.check(given[name])
		if reason != "" {
			return nil, &ParamError{Optimizer: m.Name, Param: name, Reason: reason}
		}
		resolved[name] = v
	}
	return resolved, nil
}

// check returns v as the parameter's type, or a reason it is not allowed.
func (p Param) check(v any) (any, string) {
	switch p.Kind {
	case Number, Integer:
		if i, isInt := v.(int); isInt { // a Go caller's untyped constant
			v = float64(i)
		}
		x, ok := v.(float64)
		whole := p.Kind == Integer
		switch {
		case !ok || math.IsNaN(x) || (whole && x != math.Trunc(x)):
			noun := "a number"
			if whole {
				noun = "a whole number"
			}
			return nil, fmt.Sprintf("must be %s between %g and %g, got %s", noun, p.Min, p.Max, describe(v))
		case x < p.Min || x > p.Max:
			return nil, fmt.Sprintf("must be between %g and %g, got %s", p.Min, p.Max, describe(v))
		}
		return x, ""
	case Bool:
		if b, ok := v.(bool); ok {
			return b, ""
		}
		return nil, "must be true or false, got " + describe(v)
	case Choice:
		if s, ok := v.(string); ok {
			for _, c := range p.Choices {
				if s == c {
					return s, ""
				}
			}
		}
		return nil, fmt.Sprintf("must be one of %s, got %s", quoteAll(p.Choices), describe(v))
	}
	panic("engine: parameter " + p.Name + " has unknown kind " + p.Kind.String())
}

// describe shows a given value in an error message, as JSON would write it.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		return strconv.Quote(v)
	case bool:
		return strconv.FormatBool(v)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%v", v)
}

func quoteAll(choices []string) string {
	q := make([]string, len(choices))
	for i, c := range choices {
		q[i] = strconv.Quote(c)
	}
	return strings.Join(q, ", ")
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
