package expression_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"

	"saddlepoint/surfaces"
	"saddlepoint/surfaces/expression"
)

// FuzzParse checks, for any text and point, that parsing and evaluation
// never panic, and that
//   - an error is an *Error whose column lies within the text, or just past
//     its end, and which the message names when it names one;
//   - an expression's value is that of a direct float64 evaluation of the
//     syntax tree expr's parser makes of the same text;
//   - the value of the hyper-dual evaluation behind the derivatives is the
//     same value, bit for bit;
//   - the normal form, when it is within the limits, parses to the same
//     normal form and the same value.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, text string, x, y float64) {
		e, err := expression.Parse(text)
		if err != nil {
			var perr *expression.Error
			if !errors.As(err, &perr) {
				t.Fatalf("Parse(%q) error %v is a %T", text, err, err)
			}
			if n := utf8.RuneCountInString(text); perr.Column < 0 || perr.Column > max(n+1, expression.MaxLength+1) {
				t.Fatalf("Parse(%q): column %d outside the text of %d characters", text, perr.Column, n)
			}
			if at := strings.LastIndex(perr.Message, "at column "); at >= 0 && !strings.Contains(perr.Message[at:], itoa(perr.Column)) {
				t.Fatalf("Parse(%q): message %q does not name column %d", text, perr.Message, perr.Column)
			}
			return
		}
		p := surfaces.Point{x, y}
		v := e.Value(p)
		e.Gradient(p)
		e.Hessian(p)
		if d := expression.DualValue(e, x, y); !identical(d, v) {
			t.Fatalf("%q at %v: value %v, hyper-dual value %v", text, p, v, d)
		}
		if tree, err := parser.Parse(text); err == nil { // not for integers beyond int64
			if want := reference(t, tree.Node, x, y); !identical(v, want) {
				t.Fatalf("%q at %v = %v, direct evaluation gives %v", text, p, v, want)
			}
		}
		normal := e.String()
		again, err := expression.Parse(normal)
		if err != nil {
			if utf8.RuneCountInString(normal) <= expression.MaxLength && !strings.Contains(err.Error(), "nest too deeply") {
				t.Fatalf("%q has the normal form %q, which does not parse: %v", text, normal, err)
			}
			return
		}
		if again.String() != normal {
			t.Fatalf("%q has the normal form %q, which reparses as %q", text, normal, again)
		}
		if w := again.Value(p); !identical(w, v) {
			t.Fatalf("%q = %v at %v, its normal form %q = %v", text, v, p, normal, w)
		}
	})
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// identical reports whether a and b are the same number, NaN being the
// same as NaN.
func identical(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

// reference evaluates the syntax tree of an expression that Parse accepted
// directly, by the definitions in the package documentation.
func reference(t *testing.T, n ast.Node, x, y float64) float64 {
	eval := func(n ast.Node) float64 { return reference(t, n, x, y) }
	switch n := n.(type) {
	case *ast.IntegerNode:
		return float64(n.Value)
	case *ast.FloatNode:
		return n.Value
	case *ast.IdentifierNode:
		return map[string]float64{"x": x, "y": y, "pi": math.Pi, "e": math.E}[n.Value]
	case *ast.UnaryNode:
		if n.Operator == "-" {
			return -eval(n.Node)
		}
		return eval(n.Node)
	case *ast.BinaryNode:
		a, b := eval(n.Left), eval(n.Right)
		switch n.Operator {
		case "+":
			return a + b
		case "-":
			return a - b
		case "*":
			return a * b
		case "/":
			return a / b
		case "^":
			if b == 2 {
				return a * a // documented: a^2 is a·a
			}
			return math.Pow(a, b)
		}
	case *ast.CallNode:
		return call(t, n.Callee.(*ast.IdentifierNode).Value, n.Arguments, eval)
	case *ast.BuiltinNode:
		return call(t, n.Name, n.Arguments, eval)
	}
	t.Fatalf("Parse accepted the node %T %v", n, n)
	return 0
}

func call(t *testing.T, name string, args []ast.Node, eval func(ast.Node) float64) float64 {
	u := eval(args[0])
	switch name {
	case "sin":
		return math.Sin(u)
	case "cos":
		return math.Cos(u)
	case "tan":
		return math.Tan(u)
	case "exp":
		return math.Exp(u)
	case "log":
		return math.Log(u)
	case "sqrt":
		return math.Sqrt(u)
	case "abs":
		return math.Abs(u)
	case "tanh":
		return math.Tanh(u)
	case "sinh":
		return math.Sinh(u)
	case "cosh":
		return math.Cosh(u)
	case "atan":
		return math.Atan(u)
	case "sigmoid":
		return 1 / (1 + math.Exp(-u))
	case "softplus":
		return math.Max(u, 0) + math.Log1p(math.Exp(-math.Abs(u)))
	}
	v := eval(args[1])
	if math.IsNaN(u) || math.IsNaN(v) {
		return math.NaN()
	}
	switch name {
	case "min":
		if u <= v {
			return u
		}
		return v
	case "max":
		if u >= v {
			return u
		}
		return v
	}
	t.Fatalf("Parse accepted a call of %s", name)
	return 0
}
