package expression_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"

	"saddlepoint/surfaces"
	"saddlepoint/surfaces/expression"
)

// central4 is the fourth-order central difference, as in the surfaces
// package's derivative tests; fd.Hessian applies it twice.
var central4 = fd.Formula{
	Stencil: []fd.Point{
		{Loc: -2, Coeff: 1.0 / 12}, {Loc: -1, Coeff: -8.0 / 12},
		{Loc: 1, Coeff: 8.0 / 12}, {Loc: 2, Coeff: -1.0 / 12},
	},
	Derivative: 1,
	Step:       1e-3,
}

// A finite-difference estimate d of an exact derivative a passes when
// |a − d| ≤ tol·(1 + |f| + ‖a‖), with ‖a‖ the largest entry of the exact
// gradient or Hessian.
const (
	gradientStep = 1e-3
	hessianStep  = 2e-3
	gradientTol  = 1e-9
	hessianTol   = 1e-7
)

// testPoints returns a 9 × 9 grid over v, edges included, and 40 seeded
// random points inside it.
func testPoints(v surfaces.View) []surfaces.Point {
	const n = 9
	var pts []surfaces.Point
	for i := range n {
		for j := range n {
			pts = append(pts, surfaces.Point{
				v.XMin + (v.XMax-v.XMin)*float64(i)/(n-1),
				v.YMin + (v.YMax-v.YMin)*float64(j)/(n-1),
			})
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 40 {
		pts = append(pts, surfaces.Point{
			v.XMin + (v.XMax-v.XMin)*rng.Float64(),
			v.YMin + (v.YMax-v.YMin)*rng.Float64(),
		})
	}
	return pts
}

// checkDerivatives compares f's exact gradient and Hessian at p with
// finite differences of its values, the tolerances scaled by slack.
func checkDerivatives(tb testing.TB, f surfaces.TwiceDifferentiable, p surfaces.Point, slack float64) {
	tb.Helper()
	value := func(x []float64) float64 { return f.Value(surfaces.Point{x[0], x[1]}) }
	fp := math.Abs(f.Value(p))

	g := f.Gradient(p)
	wantG := fd.Gradient(nil, value, p[:], &fd.Settings{Formula: central4, Step: gradientStep})
	tol := slack * gradientTol * (1 + fp + max(math.Abs(g[0]), math.Abs(g[1])))
	for i := range 2 {
		if !(math.Abs(g[i]-wantG[i]) <= tol) {
			tb.Errorf("∂f/∂%c at (%g, %g) = %.12g, finite differences give %.12g (tolerance %.3g)",
				"xy"[i], p[0], p[1], g[i], wantG[i], tol)
		}
	}

	var wantH mat.SymDense
	fd.Hessian(&wantH, value, p[:], &fd.Settings{Formula: central4, Step: hessianStep})
	h := f.Hessian(p)
	got := [3]float64{h.XX, h.XY, h.YY}
	tol = slack * hessianTol * (1 + fp + max(math.Abs(h.XX), math.Abs(h.XY), math.Abs(h.YY)))
	for k, ij := range [3][2]int{{0, 0}, {0, 1}, {1, 1}} {
		if w := wantH.At(ij[0], ij[1]); !(math.Abs(got[k]-w) <= tol) {
			tb.Errorf("∂²f/∂%c∂%c at (%g, %g) = %.12g, finite differences give %.12g (tolerance %.3g)",
				"xy"[ij[0]], "xy"[ij[1]], p[0], p[1], got[k], w, tol)
		}
	}
}

// TestDerivatives checks the derivatives of every operation and function,
// each composed with an inner function of both variables so that the
// chain rule's cross terms count, against finite differences. Near a kink
// finite differences are meaningless, so points where the expression kink
// is within 0.05 of 0 are skipped.
func TestDerivatives(t *testing.T) {
	t.Parallel()
	unit := surfaces.View{XMin: -1, XMax: 1, YMin: -1, YMax: 1}
	wide := surfaces.View{XMin: -2, XMax: 2, YMin: -2, YMax: 2}
	tests := []struct {
		name, text string
		view       surfaces.View
		kink       string
	}{
		{"add", "x*y + (x + 2*y)", wide, ""},
		{"sub", "x*y - (x^2 - y)", wide, ""},
		{"neg", "-(x*y) + -x^3", wide, ""},
		{"mul", "(x + y^2)*(x*y - 1)", wide, ""},
		{"div", "(x + 2*y)/(y^2 + x^2 + 1)", wide, ""},
		{"div by a constant", "(x*y + y^3)/3", wide, ""},
		{"constant over", "3/(x^2 + y^2 + 0.5)", wide, ""},
		{"constant minus", "1 - x*y^2", wide, ""},
		{"minus a constant", "x*y^2 - 1", wide, ""},
		{"square", "(x*y - x)^2", wide, ""},
		{"cube", "(x*y + 1)^3", wide, ""},
		{"negative power", "(x^2 + y^2 + 1)^(-1.5)", wide, ""},
		{"square root power", "(x^2 + x*y + 2)^0.5", unit, ""},
		{"constant base", "2^(x*y - x)", wide, ""},
		{"e to the", "e^(x - y^2)", wide, ""},
		{"variable power", "(x + 3)^(x*y)", wide, ""},
		{"variable power of a constant-valued base", "(1.5 + x^2)^(y + x)", wide, ""},
		{"sin", "sin(x*y + 0.5*x)", wide, ""},
		{"cos", "cos(x^2 - y)", wide, ""},
		{"tan", "tan(0.5*x + 0.3*y*x)", unit, ""},
		{"exp", "exp(0.5*x*y - y)", wide, ""},
		{"log", "log(x*y + 0.5*x + 2)", unit, ""},
		{"sqrt", "sqrt(x^2 + 0.5*y*x + 2)", unit, ""},
		{"abs", "abs(x*y - 0.3)", wide, "x*y - 0.3"},
		{"tanh", "tanh(x - 2*y*x)", wide, ""},
		{"sinh", "sinh(x*y + y)", wide, ""},
		{"cosh", "cosh(x + 0.5*y*x)", wide, ""},
		{"atan", "atan(x*y + y)", wide, ""},
		{"sigmoid", "sigmoid(3*x - y*x)", wide, ""},
		{"softplus", "softplus(2*x*y - 1)", wide, ""},
		{"min", "min(x^2, y + x*y)", wide, "x^2 - (y + x*y)"},
		{"max", "max(sin(x), x*y)", wide, "sin(x) - x*y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := mustParse(t, tt.text)
			var kink *expression.Expression
			if tt.kink != "" {
				kink = mustParse(t, tt.kink)
			}
			checked := 0
			for _, p := range testPoints(tt.view) {
				if kink != nil && math.Abs(kink.Value(p)) < 0.05 {
					continue
				}
				checkDerivatives(t, e, p, 1)
				checked++
			}
			if checked < 50 {
				t.Errorf("only %d points checked", checked)
			}
		})
	}
}

// typedBuiltins are catalogue surfaces typed in as expressions.
var typedBuiltins = map[string]string{
	"bowl":           "x^2 + y^2",
	"ravine":         "0.1*x^2 + 2*y^2",
	"rotated-ravine": "1.05*x^2 - 1.9*x*y + 1.05*y^2",
	"saddle":         "x^2 - y^2",
	"rosenbrock":     "(1-x)^2 + 100*(y-x^2)^2",
	"beale":          "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
	"himmelblau":     "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
	"rastrigin":      "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
	"six-hump-camel": "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2",
	"coupled":        "(x - y)^2 + 0.01*(x^2 + y^2)",
	"deep-linear":    "(1 - x*y)^2",
	"plateau":        "1 - exp(-(x^2 + y^2)/2)",
	"cliff":          "y^2/2 - x + 0.505*softplus(200*x)",
	"two-wells":      "(x^2 - 1)^2 + 0.3*x + y^2/2",
	"monkey-saddle":  "x^3 - 3*x*y^2",
	"booth":          "(x + 2*y - 7)^2 + (2*x + y - 5)^2",
	"matyas":         "0.26*(x^2 + y^2) - 0.48*x*y",
}

// TestTypedBuiltins checks that catalogue surfaces typed in by hand have
// the catalogue's value, gradient and Hessian to 1e-12, relative to the
// largest entry of each, over each surface's test points.
func TestTypedBuiltins(t *testing.T) {
	t.Parallel()
	for name, text := range typedBuiltins {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, ok := surfaces.Lookup(name)
			if !ok {
				t.Fatalf("no catalogue surface %q", name)
			}
			e := mustParse(t, text)
			for _, p := range testPoints(s.View) {
				if got, want := e.Value(p), s.Value(p); !close12(want, got, want) {
					t.Errorf("f(%g, %g) = %.17g, the catalogue says %.17g", p[0], p[1], got, want)
				}
				g, wantG := e.Gradient(p), s.Gradient(p)
				scale := max(math.Abs(wantG[0]), math.Abs(wantG[1]))
				for i := range 2 {
					if !close12(wantG[i], g[i], scale) {
						t.Errorf("∂f/∂%c(%g, %g) = %.17g, the catalogue says %.17g", "xy"[i], p[0], p[1], g[i], wantG[i])
					}
				}
				h, wantH := e.Hessian(p), s.Hessian(p)
				scale = max(math.Abs(wantH.XX), math.Abs(wantH.XY), math.Abs(wantH.YY))
				if !close12(wantH.XX, h.XX, scale) || !close12(wantH.XY, h.XY, scale) || !close12(wantH.YY, h.YY, scale) {
					t.Errorf("∇²f(%g, %g) = %+v, the catalogue says %+v", p[0], p[1], h, wantH)
				}
			}
		})
	}
}

// close12 reports whether got is within 1e-12 of want, relative to
// max(1, scale).
func close12(want, got, scale float64) bool {
	return math.Abs(got-want) <= 1e-12*max(1, math.Abs(scale))
}

// TestTrajectories checks that gradient descent and Newton's method take
// the same path, to 1e-9, on a catalogue surface and on the same function
// typed in.
func TestTrajectories(t *testing.T) {
	t.Parallel()
	tests := []struct {
		surface string
		method  string
		steps   int
	}{
		{"rosenbrock", "gd", 500},
		{"rosenbrock", "newton", 10},
		{"beale", "gd", 500},
		{"himmelblau", "newton", 10},
		{"rastrigin", "gd", 200},
		{"six-hump-camel", "newton", 10},
		{"cliff", "gd", 300},
	}
	for _, tt := range tests {
		t.Run(tt.surface+"/"+tt.method, func(t *testing.T) {
			t.Parallel()
			s, ok := surfaces.Lookup(tt.surface)
			if !ok {
				t.Fatalf("no catalogue surface %q", tt.surface)
			}
			e := mustParse(t, typedBuiltins[tt.surface])
			p, q := s.Start, s.Start
			for k := range tt.steps {
				p, q = step(s, p, tt.method), step(e, q, tt.method)
				if d := math.Hypot(p[0]-q[0], p[1]-q[1]); !(d <= 1e-9*(1+math.Hypot(p[0], p[1]))) {
					t.Fatalf("step %d: the catalogue surface is at %v, the typed one at %v", k+1, p, q)
				}
			}
		})
	}
}

// step takes one step of gradient descent with learning rate 0.001 or of
// Newton's method.
func step(f surfaces.TwiceDifferentiable, p surfaces.Point, method string) surfaces.Point {
	g := f.Gradient(p)
	if method == "gd" {
		return surfaces.Point{p[0] - 1e-3*g[0], p[1] - 1e-3*g[1]}
	}
	h := f.Hessian(p)
	det := h.XX*h.YY - h.XY*h.XY
	return surfaces.Point{
		p[0] - (h.YY*g[0]-h.XY*g[1])/det,
		p[1] - (h.XX*g[1]-h.XY*g[0])/det,
	}
}

// randomSmooth returns a random expression of the given depth built from
// smooth, bounded pieces, as text with every operation parenthesised, and
// the function it denotes, evaluated directly in float64.
func randomSmooth(rng *rand.Rand, depth int) (string, func(x, y float64) float64) {
	if depth == 0 {
		switch rng.IntN(3) {
		case 0:
			return "x", func(x, _ float64) float64 { return x }
		case 1:
			return "y", func(_, y float64) float64 { return y }
		}
		c := float64(rng.IntN(19)-9) / 4
		text := strconv.FormatFloat(math.Abs(c), 'f', -1, 64)
		if c < 0 {
			text = "(-" + text + ")"
		}
		return text, func(float64, float64) float64 { return c }
	}
	a, fa := randomSmooth(rng, depth-1)
	b, fb := randomSmooth(rng, depth-1)
	switch rng.IntN(11) {
	case 0:
		return "(" + a + " + " + b + ")", func(x, y float64) float64 { return fa(x, y) + fb(x, y) }
	case 1:
		return "(" + a + " - " + b + ")", func(x, y float64) float64 { return fa(x, y) - fb(x, y) }
	case 2:
		return "(" + a + " * " + b + ")", func(x, y float64) float64 { return fa(x, y) * fb(x, y) }
	case 3:
		return "(" + a + " / (1.5 + (" + b + ")^2))", func(x, y float64) float64 {
			v := fb(x, y)
			return fa(x, y) / (1.5 + v*v)
		}
	case 4:
		return "sin(" + a + ")", func(x, y float64) float64 { return math.Sin(fa(x, y)) }
	case 5:
		return "cos(" + a + ")", func(x, y float64) float64 { return math.Cos(fa(x, y)) }
	case 6:
		return "tanh(" + a + ")", func(x, y float64) float64 { return math.Tanh(fa(x, y)) }
	case 7:
		return "atan(" + a + ")", func(x, y float64) float64 { return math.Atan(fa(x, y)) }
	case 8:
		return "sigmoid(" + a + ")", func(x, y float64) float64 { return 1 / (1 + math.Exp(-fa(x, y))) }
	case 9:
		return "((2 + sin(" + a + "))^cos(" + b + "))", func(x, y float64) float64 {
			return math.Pow(2+math.Sin(fa(x, y)), math.Cos(fb(x, y)))
		}
	}
	return "(" + a + ")^3", func(x, y float64) float64 { return math.Pow(fa(x, y), 3) }
}

// TestRandomSmoothExpressions parses random smooth expressions and checks
// their values against direct evaluation and their derivatives against
// finite differences. Deep compositions have large higher derivatives,
// which spoil finite differences (checked against 40-digit arithmetic, the
// exact derivatives are right where the differences stray by 1e-5), so
// the tolerance is a thousandfold: a wrong rule anywhere in the compiled
// program, its evaluation order included, still shows up as an error of
// order 1.
func TestRandomSmoothExpressions(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	view := surfaces.View{XMin: -1, XMax: 1, YMin: -1, YMax: 1}
	for i := range 60 {
		text, f := randomSmooth(rng, 1+i%4)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			e := mustParse(t, text)
			for j, p := range testPoints(view) {
				if got, want := e.Value(p), f(p[0], p[1]); math.Abs(got-want) > 1e-14*max(1, math.Abs(want)) {
					t.Fatalf("%s at %v = %.17g, want %.17g", text, p, got, want)
				}
				if j%4 == 0 {
					checkDerivatives(t, e, p, 1000)
				}
			}
			if t.Failed() {
				t.Logf("expression: %s", text)
			}
		})
	}
}
