// Package expression turns a formula typed by a user, such as
// (1-x)^2 + 100*(y-x^2)^2, into a surface with exact derivatives.
//
// # The language
//
// An expression is a function of the variables x and y built from
//
//   - numbers in decimal notation: 2, 0.5, .5, 1e-3, 6.02e23;
//   - the constants pi and e;
//   - the operators + - * / ^ and unary minus (and plus), with the usual
//     precedence: ^ binds tightest and groups to the right, so 2^3^2 is
//     2^(3^2) = 512; unary minus binds less tightly than ^ and more tightly
//     than * and /, so -x^2 is −(x²) and 2^-x^2 is 2^(−(x²));
//   - parentheses;
//   - the functions sin cos tan exp log sqrt abs tanh sinh cosh atan
//     sigmoid softplus of one argument and min max of two. log is the
//     natural logarithm, sigmoid(u) = 1/(1 + e^(−u)) and
//     softplus(u) = ln(1 + e^u), computed as max(u, 0) + ln(1 + e^(−|u|)).
//
// Products need their *: 2x and x(y+1) are errors that say so. An
// expression has at most MaxLength characters and at most MaxDepth levels
// of parentheses, counting those of function calls. Everything else of
// expr's language (strings, comparisons, ternaries, member access, other
// functions, ** for powers, comments) is rejected.
//
// # Parsing
//
// Parsing uses the lexer and parser of github.com/expr-lang/expr and
// walks its syntax tree. Number literals are read by this package (decimal
// float64 only) and blanked to zeros before expr's parser sees them, so
// its integer range never matters. The tree is then compiled once into a
// short stack program, with constant subexpressions folded, that
// evaluates without allocating.
//
// # Errors
//
// A user's mistake is reported as an *Error naming the place, with columns
// counted in characters from 1:
//
//	expected ')' at column 14
//	unexpected '*' at column 5
//	missing operator before 'y' at column 3
//	unknown function 'sine' (did you mean sin?)
//	unknown variable 'z'
//
// # Derivatives
//
// Gradients and Hessians are exact: the program is evaluated on hyper-dual
// numbers (forward-mode automatic differentiation to second order), never
// by finite differences. Where a function has a kink the derivative
// follows a convention: abs′(0) = 0, and min and max take the derivatives
// of their first argument on a tie. Where a function or its derivative is
// undefined or infinite (log or sqrt of a negative number, division by
// zero, sqrt at 0, a^b with non-constant b at a ≤ 0), the value or the
// derivatives are NaN or ±Inf; evaluation never panics, and a run that
// meets them stops as diverged.
package expression

import (
	"fmt"
	"math"

	"saddlepoint/surfaces"
)

// Limits on what a user may type.
const (
	// MaxLength is the most characters an expression may have.
	MaxLength = 500
	// MaxDepth is the deepest that parentheses may nest, function calls
	// included.
	MaxDepth = 64
)

// Error is a mistake in an expression.
type Error struct {
	// Column is where the mistake is, counted in characters from 1; it is
	// 0 for an expression that is empty.
	Column int
	// Message says what is wrong, and where, for a person.
	Message string
}

func (e *Error) Error() string { return e.Message }

// Expression is a parsed expression in x and y. It is a
// surfaces.TwiceDifferentiable whose derivatives are exact. It is
// immutable, and safe for concurrent use.
type Expression struct {
	text    string
	program program
}

var _ surfaces.TwiceDifferentiable = (*Expression)(nil)

// Parse parses an expression in x and y. An error it returns is an *Error.
func Parse(text string) (*Expression, error) {
	tree, err := parse(text)
	if err != nil {
		return nil, err
	}
	folded := fold(tree)
	if need := stackNeed(folded); need > maxStack {
		panic(fmt.Sprintf("expression: %q needs %d stack slots, more than %d", text, need, maxStack))
	}
	return &Expression{text: tree.String(), program: compile(folded, nil)}, nil
}

// String returns the expression in normal form (see node.String): spaces
// around + and −, none around *, / and ^, and only the parentheses that
// are needed. Parsing it gives the same expression.
func (e *Expression) String() string { return e.text }

// Value returns f(p).
func (e *Expression) Value(p surfaces.Point) float64 { return e.program.value(p[0], p[1]) }

// Gradient returns the exact ∇f(p).
func (e *Expression) Gradient(p surfaces.Point) surfaces.Point {
	d := e.program.dual(p[0], p[1])
	return surfaces.Point{d.x, d.y}
}

// Hessian returns the exact ∇²f(p).
func (e *Expression) Hessian(p surfaces.Point) surfaces.Hessian {
	d := e.program.dual(p[0], p[1])
	return surfaces.Hessian{XX: d.xx, XY: d.xy, YY: d.yy}
}

// DefaultView is the window of a typed surface whose view is not given.
var DefaultView = surfaces.View{XMin: -3, XMax: 3, YMin: -3, YMax: 3}

// Surface returns the surface named "custom" that the expression text
// defines, shown in view, or in DefaultView if view is the zero View. Its
// Formula is the expression in normal form; its Start is a quarter of the
// way into the view from its lower-left corner, off the axes and the
// diagonals where hand-made functions tend to be symmetric; its Minima are
// unknown, and so empty. An error it returns for the expression is an
// *Error.
func Surface(text string, view surfaces.View) (surfaces.Surface, error) {
	if view == (surfaces.View{}) {
		view = DefaultView
	}
	if err := checkView(view); err != nil {
		return surfaces.Surface{}, err
	}
	e, err := Parse(text)
	if err != nil {
		return surfaces.Surface{}, err
	}
	return surfaces.Surface{
		TwiceDifferentiable: e,
		Name:                "custom",
		Formula:             e.String(),
		About:               "A surface typed by hand. Its gradient and Hessian are exact, computed by automatic differentiation, so every optimizer sees it as it would a built-in one.",
		View:                view,
		Start: surfaces.Point{
			view.XMin + (view.XMax-view.XMin)/4,
			view.YMin + (view.YMax-view.YMin)/4,
		},
		Minima: []surfaces.Point{},
	}, nil
}

// checkView reports a view that is not a finite, non-empty window.
func checkView(v surfaces.View) error {
	for _, c := range [...]float64{v.XMin, v.XMax, v.YMin, v.YMax} {
		if math.IsNaN(c) || math.IsInf(c, 0) {
			return fmt.Errorf("view [%g, %g, %g, %g]: the bounds must be finite numbers", v.XMin, v.XMax, v.YMin, v.YMax)
		}
	}
	if !(v.XMin < v.XMax && v.YMin < v.YMax) {
		return fmt.Errorf("view [%g, %g, %g, %g]: want xmin < xmax and ymin < ymax", v.XMin, v.XMax, v.YMin, v.YMax)
	}
	return nil
}
