package expression_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"saddlepoint/surfaces"
	"saddlepoint/surfaces/expression"
)

func mustParse(tb testing.TB, text string) *expression.Expression {
	tb.Helper()
	e, err := expression.Parse(text)
	if err != nil {
		tb.Fatalf("Parse(%q): %v", text, err)
	}
	return e
}

// TestParse pins the grammar, where it matters that expr's parser agrees
// with mathematical convention, by the normal form and the value at a
// point.
func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text   string
		normal string
		x, y   float64
		want   float64
	}{
		{"2^3^2", "2^3^2", 0, 0, 512}, // ^ groups to the right
		{"(2^3)^2", "(2^3)^2", 0, 0, 64},
		{"-x^2", "-x^2", 3, 0, -9}, // unary minus binds less tightly than ^
		{"(-x)^2", "(-x)^2", 3, 0, 9},
		{"-2^2", "-2^2", 0, 0, -4},
		{"2^-x", "2^(-x)", 3, 0, 0.125},
		{"2^-x^2", "2^(-x^2)", 1, 0, 0.5},
		{"-x*y", "-x*y", 2, 3, -6},
		{"-(x*y)", "-(x*y)", 2, 3, -6},
		{"x - y - 1", "x - y - 1", 5, 3, 1}, // left-associative
		{"x - (y - 1)", "x - (y - 1)", 5, 3, 3},
		{"x/y/2", "x/y/2", 8, 2, 2},
		{"x/(y/2)", "x/(y/2)", 8, 2, 8},
		{"2*x^3", "2*x^3", 2, 0, 16},
		{"1 + 2*3^2", "1 + 2*3^2", 0, 0, 19},
		{"x - -y", "x - (-y)", 1, 2, 3},
		{"--x", "-(-x)", 4, 0, 4},
		{"+x", "x", 4, 0, 4},
		{"x*(y + 1)", "x*(y + 1)", 2, 3, 8},
		{"(x*y)^2", "(x*y)^2", 2, 3, 36},
		{"x^(y*2)", "x^(y*2)", 2, 1.5, 8},
		{"  sin( x )+cos(y)  ", "sin(x) + cos(y)", 0, 0, 1},
		{"max(x,y) - min(x , y)", "max(x, y) - min(x, y)", 2, 5, 3},
		{"pi", "pi", 0, 0, math.Pi},
		{"e", "e", 0, 0, math.E},
		{"e^x", "e^x", 1, 0, math.E},
		{"exp(1) - e", "exp(1) - e", 0, 0, 0},
		{"log(e)", "log(e)", 0, 0, 1},
		{"2e3 + .5 + 5. + 1E-3", "2000 + 0.5 + 5 + 0.001", 0, 0, 2005.501},
		{"1e21*x + 1e-5 + 2.5e-300", "1e+21*x + 1e-5 + 2.5e-300", 0, 0, 1e-5},
		{"1234567*x", "1234567*x", 1, 0, 1234567},
		{"99999999999999999999", "100000000000000000000", 0, 0, 1e20}, // beyond int64
		{"sqrt(x)", "sqrt(x)", 4, 0, 2},
		{"abs(x - y)", "abs(x - y)", 1, 3, 2},
		{"tanh(0) + sinh(0) + cosh(0) + atan(0) + tan(0)", "tanh(0) + sinh(0) + cosh(0) + atan(0) + tan(0)", 0, 0, 1},
		{"sigmoid(0) + softplus(0)", "sigmoid(0) + softplus(0)", 0, 0, 0.5 + math.Ln2},
		{"softplus(1000) - 1000", "softplus(1000) - 1000", 0, 0, 0}, // no overflow
		{"sigmoid(-1000)", "sigmoid(-1000)", 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			e := mustParse(t, tt.text)
			if got := e.String(); got != tt.normal {
				t.Errorf("String() = %q, want %q", got, tt.normal)
			}
			if got := e.Value(surfaces.Point{tt.x, tt.y}); math.Abs(got-tt.want) > 1e-12*max(1, math.Abs(tt.want)) {
				t.Errorf("f(%g, %g) = %.17g, want %.17g", tt.x, tt.y, got, tt.want)
			}
			// The normal form parses to itself.
			if again := mustParse(t, e.String()).String(); again != e.String() {
				t.Errorf("the normal form %q reparses as %q", e.String(), again)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text   string
		want   string
		column int
	}{
		{"sin(x + (y*2)", "expected ')' at column 14", 14},
		{"((x)", "expected ')' at column 5", 5},
		{"sine(x)", "unknown function 'sine' (did you mean sin?)", 1},
		{"1 + cosine(x)", "unknown function 'cosine' (did you mean cos?)", 5},
		{"Sqrt(x)", "unknown function 'Sqrt' (did you mean sqrt?)", 1},
		{"ln(x)", "unknown function 'ln' (did you mean log?)", 1},
		{"sigmod(x)", "unknown function 'sigmod' (did you mean sigmoid?)", 1},
		{"foo(x)", "unknown function 'foo'", 1},
		{"pow(x, 2)", "unknown function 'pow' (write a^b for powers)", 1},
		{"len(x)", "unknown function 'len'", 1}, // one of expr's builtins
		{"x + z", "unknown variable 'z'", 5},
		{"X^2", "unknown variable 'X' (did you mean x?)", 1},
		{"pie*x", "unknown variable 'pie' (did you mean pi?)", 1},
		{"true", "unknown variable 'true'", 1},
		{"sin + 1", "unknown variable 'sin' (sin is a function: write sin(...))", 1},
		{"2x", "missing operator before 'x' at column 2", 2},
		{"3.5sin(x)", "missing operator before 'sin' at column 4", 4},
		{"x y", "missing operator before 'y' at column 3", 3},
		{"2 (x)", "missing operator before '(' at column 3", 3},
		{"(x)(y)", "missing operator before '(' at column 4", 4},
		{"x(y + 1)", "missing operator before '(' at column 2", 2},
		{"2 sin(x)", "missing operator before 'sin' at column 3", 3},
		{"x +", "expected a number, a variable, a function or '(' at column 4", 4},
		{"-", "expected a number, a variable, a function or '(' at column 2", 2},
		{"x + * y", "unexpected '*' at column 5", 5},
		{"x)", "unexpected ')' at column 2", 2},
		{"()", "unexpected ')' at column 2", 2},
		{"sin()", "sin takes 1 argument, not 0, at column 1", 1},
		{"max(x)", "max takes 2 arguments, not 1, at column 1", 1},
		{"min(x, y, 1)", "min takes 2 arguments, not 3, at column 1", 1},
		{"min(x, y,)", "unexpected ')' at column 10", 10},
		{"(x, y)", "unexpected ',' at column 3", 3},
		{"x, y", "unexpected ',' at column 2", 2},
		{"x ** 2", "unexpected '**' at column 3 (write ^ for powers)", 3},
		{"x % 2", "unexpected character '%' at column 3", 3},
		{"x == y", "unexpected character '=' at column 3", 3},
		{"x > 0 ? x : 0", "unexpected character '>' at column 3", 3},
		{"x.y", "unexpected '.' at column 2", 2},
		{"x..y", "unexpected '..' at column 2", 2},
		{`"x"`, "unexpected character '\"' at column 1", 1},
		{"[x, y]", "unexpected character '[' at column 1 (use parentheses)", 1},
		{"x and y", "unexpected 'and' at column 3", 3},
		{"not x", "unexpected 'not' at column 1", 1},
		{"let a = 1", "unexpected character '=' at column 7", 7},
		{"x // comment", "unexpected '/' at column 4", 4},
		{"x /* comment */", "unexpected '*' at column 4", 4},
		{"x²", "unexpected character '²' at column 2 (write x^2 for a square)", 2},
		{"1 − x", "unexpected character '−' at column 3 (type - for minus)", 3},
		{"x\x00", "unexpected character U+0000 at column 2", 2},
		{"0x1F", "malformed number '0x1F' at column 1", 1},
		{"1_000*x", "malformed number '1_000' at column 1", 1},
		{"2e", "malformed number '2e' at column 1", 1},
		{"1e999*x", "the number '1e999' is too large at column 1", 1},
		{"", "the expression is empty: type a function of x and y, such as x^2 + y^2", 0},
		{"  \t", "the expression is empty: type a function of x and y, such as x^2 + y^2", 0},
		{strings.Repeat("x+", 250) + "x", "the expression is 501 characters long; at most 500 are allowed", 501},
		{strings.Repeat("(", 65) + "x" + strings.Repeat(")", 65),
			"the parentheses nest too deeply at column 65: at most 64 levels are allowed", 65},
		{strings.Repeat("sin(", 65) + "x" + strings.Repeat(")", 65),
			"the parentheses nest too deeply at column 260: at most 64 levels are allowed", 260},
		{"α + x", "unknown variable 'α'", 1},
		{"π*x", "unknown variable 'π' (did you mean pi?)", 1},
		{"é + z", "unknown variable 'é'", 1},                           // columns count characters, not bytes
		{"\u00a0x + 2y", "missing operator before 'y' at column 7", 7}, // a no-break space first
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			e, err := expression.Parse(tt.text)
			if err == nil {
				t.Fatalf("Parse(%q) = %q, want the error %q", tt.text, e, tt.want)
			}
			var perr *expression.Error
			if !errors.As(err, &perr) {
				t.Fatalf("Parse(%q) error %v is a %T, want *expression.Error", tt.text, err, err)
			}
			if err.Error() != tt.want {
				t.Errorf("Parse(%q) error\n got %q\nwant %q", tt.text, err, tt.want)
			}
			if perr.Column != tt.column {
				t.Errorf("Parse(%q) error column = %d, want %d", tt.text, perr.Column, tt.column)
			}
		})
	}
}

// TestLimitsAllowed checks that the limits themselves are allowed.
func TestLimitsAllowed(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		strings.Repeat("x+", 249) + "x ",                                 // 500 characters
		strings.Repeat("(", 64) + "x" + strings.Repeat(")", 64),          // 64 levels
		strings.Repeat("sin(", 64) + "x" + strings.Repeat(")", 64),       // 64 calls
		strings.Repeat("x^", 249) + "x",                                  // a tower of 250 powers
		strings.Repeat("-", 499) + "x",                                   // 499 negations
		strings.Repeat("(x+", 63) + "x" + strings.Repeat(")", 63) + "+x", // deep on the right
	} {
		t.Run(text[:min(len(text), 20)], func(t *testing.T) {
			t.Parallel()
			e := mustParse(t, text)
			if n := expression.StackNeed(e); n > 8 {
				t.Errorf("the program needs %d stack slots, want at most 8", n)
			}
			e.Value(surfaces.Point{0.5, 0.5})
			e.Hessian(surfaces.Point{0.5, 0.5})
		})
	}
}

// TestStackNeed checks that evaluation order keeps the stack short: a
// balanced product of 64 leaves, the worst case for a binary tree, needs 7
// slots, and a long right-leaning chain needs 2.
func TestStackNeed(t *testing.T) {
	t.Parallel()
	balanced := "x"
	for range 6 {
		balanced = "(" + balanced + ")*(" + balanced + ")"
	}
	tests := []struct {
		text string
		want int
	}{
		{"x", 1},
		{"x + y", 2},
		{"(1-x)^2 + 100*(y-x^2)^2", 2},
		{"x*(y*(x*(y*(x*(y*x)))))", 2},
		{balanced, 7}, // 64 leaves
	}
	for _, tt := range tests {
		t.Run(tt.text[:min(len(tt.text), 30)], func(t *testing.T) {
			t.Parallel()
			if got := expression.StackNeed(mustParse(t, tt.text)); got != tt.want {
				t.Errorf("stack need = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestSurface(t *testing.T) {
	t.Parallel()
	s, err := expression.Surface("x^2 +  y^2", surfaces.View{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "custom" || s.Formula != "x^2 + y^2" || s.About == "" {
		t.Errorf("Name, Formula, About = %q, %q, %q", s.Name, s.Formula, s.About)
	}
	if s.View != expression.DefaultView || s.View != (surfaces.View{XMin: -3, XMax: 3, YMin: -3, YMax: 3}) {
		t.Errorf("View = %+v, want [-3, 3] × [-3, 3]", s.View)
	}
	if s.Start != (surfaces.Point{-1.5, -1.5}) {
		t.Errorf("Start = %v, want (-1.5, -1.5)", s.Start)
	}
	if s.Minima == nil || len(s.Minima) != 0 {
		t.Errorf("Minima = %#v, want empty and not nil", s.Minima)
	}
	if got := s.Value(surfaces.Point{3, 4}); got != 25 {
		t.Errorf("f(3, 4) = %g, want 25", got)
	}

	s, err = expression.Surface("x", surfaces.View{XMin: 0, XMax: 8, YMin: -2, YMax: 2})
	if err != nil {
		t.Fatal(err)
	}
	if s.Start != (surfaces.Point{2, -1}) {
		t.Errorf("Start in [0, 8] × [-2, 2] = %v, want (2, -1)", s.Start)
	}

	for _, v := range []surfaces.View{
		{XMin: 1, XMax: 1, YMin: 0, YMax: 1},
		{XMin: 0, XMax: 1, YMin: 2, YMax: -2},
		{XMin: math.NaN(), XMax: 1, YMin: 0, YMax: 1},
		{XMin: 0, XMax: math.Inf(1), YMin: 0, YMax: 1},
	} {
		if _, err := expression.Surface("x", v); err == nil {
			t.Errorf("Surface with view %+v succeeded, want an error", v)
		}
	}
	if _, err := expression.Surface("x +", surfaces.View{}); err == nil || err.Error() != "expected a number, a variable, a function or '(' at column 4" {
		t.Errorf("Surface(\"x +\") error = %v", err)
	}
}

// TestKinkConventions pins the derivatives where they are a convention or
// infinite.
func TestKinkConventions(t *testing.T) {
	t.Parallel()
	inf := math.Inf(1)
	tests := []struct {
		text string
		p    surfaces.Point
		grad surfaces.Point
		hess surfaces.Hessian
	}{
		{"abs(x)", surfaces.Point{0, 0}, surfaces.Point{0, 0}, surfaces.Hessian{}},
		{"abs(x)", surfaces.Point{-2, 0}, surfaces.Point{-1, 0}, surfaces.Hessian{}},
		{"min(x, y)", surfaces.Point{1, 1}, surfaces.Point{1, 0}, surfaces.Hessian{}}, // the first on a tie
		{"min(y, x)", surfaces.Point{1, 1}, surfaces.Point{0, 1}, surfaces.Hessian{}},
		{"max(x^2, y)", surfaces.Point{1, 1}, surfaces.Point{2, 0}, surfaces.Hessian{XX: 2}},
		{"max(y, x^2)", surfaces.Point{1, 1}, surfaces.Point{0, 1}, surfaces.Hessian{}},
		{"max(x, y)", surfaces.Point{1, 2}, surfaces.Point{0, 1}, surfaces.Hessian{}},
		{"x^0", surfaces.Point{0, 0}, surfaces.Point{0, 0}, surfaces.Hessian{}},
		{"x^1", surfaces.Point{0, 0}, surfaces.Point{1, 0}, surfaces.Hessian{}},
		{"x^2", surfaces.Point{0, 0}, surfaces.Point{0, 0}, surfaces.Hessian{XX: 2}},
		{"x^3", surfaces.Point{0, 0}, surfaces.Point{0, 0}, surfaces.Hessian{}},
		{"x^4*y", surfaces.Point{-2, 3}, surfaces.Point{-96, 16}, surfaces.Hessian{XX: 144, XY: -32}},
		{"x^17", surfaces.Point{-1, 0}, surfaces.Point{17, 0}, surfaces.Hessian{XX: -272}},
		// sqrt′(0) = +Inf; ∞·0 is NaN wherever it meets a zero derivative.
		{"sqrt(x + 1)", surfaces.Point{-1, 0}, surfaces.Point{inf, math.NaN()}, surfaces.Hessian{XX: math.NaN(), XY: math.NaN(), YY: math.NaN()}},
		{"sqrt(x)^2", surfaces.Point{4, 0}, surfaces.Point{1, 0}, surfaces.Hessian{}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s at %v", tt.text, tt.p), func(t *testing.T) {
			t.Parallel()
			e := mustParse(t, tt.text)
			if g := e.Gradient(tt.p); !same(g[0], tt.grad[0]) || !same(g[1], tt.grad[1]) {
				t.Errorf("∇f = %v, want %v", g, tt.grad)
			}
			if h := e.Hessian(tt.p); !same(h.XX, tt.hess.XX) || !same(h.XY, tt.hess.XY) || !same(h.YY, tt.hess.YY) {
				t.Errorf("∇²f = %+v, want %+v", h, tt.hess)
			}
		})
	}
}

// same reports whether a and b are equal, NaN equalling NaN.
func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

// TestDomainErrors checks that evaluation outside a function's domain
// gives NaN or infinities, and never panics.
func TestDomainErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		p    surfaces.Point
	}{
		{"log(x)", surfaces.Point{-1, 0}},
		{"log(x)", surfaces.Point{0, 0}},
		{"sqrt(x)", surfaces.Point{-1, 0}},
		{"1/x", surfaces.Point{0, 0}},
		{"x/y", surfaces.Point{0, 0}},
		{"x^y", surfaces.Point{-2, 0.5}},
		{"x^y", surfaces.Point{0, 1}},
		{"x^-1", surfaces.Point{0, 1}},
		{"(-2)^x", surfaces.Point{0.5, 0}},
		{"0^x", surfaces.Point{1, 0}},
		{"exp(exp(x))", surfaces.Point{10, 0}},
		{"min(log(x), 1)", surfaces.Point{-1, 0}}, // NaN is not hidden by min
		{"max(1, sqrt(x))", surfaces.Point{-1, 0}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s at %v", tt.text, tt.p), func(t *testing.T) {
			t.Parallel()
			e := mustParse(t, tt.text)
			v, g, h := e.Value(tt.p), e.Gradient(tt.p), e.Hessian(tt.p)
			if finite(v) && finite(g[0]) && finite(g[1]) && finite(h.XX) && finite(h.XY) && finite(h.YY) {
				t.Errorf("f = %g, ∇f = %v, ∇²f = %+v: all finite, want a NaN or an infinity", v, g, h)
			}
		})
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// TestConcurrentUse evaluates one expression from several goroutines; run
// with -race it checks that evaluation shares no state.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	e := mustParse(t, "(1-x)^2 + 100*(y-x^2)^2")
	want := e.Hessian(surfaces.Point{0.5, 0.5})
	done := make(chan surfaces.Hessian)
	for range 4 {
		go func() {
			var h surfaces.Hessian
			for range 100 {
				h = e.Hessian(surfaces.Point{0.5, 0.5})
			}
			done <- h
		}()
	}
	for range 4 {
		if h := <-done; h != want {
			t.Errorf("Hessian = %+v, want %+v", h, want)
		}
	}
}

// TestNoAllocations is not parallel: AllocsPerRun counts the allocations
// of the whole program.
func TestNoAllocations(t *testing.T) {
	e := mustParse(t, "(1-x)^2 + 100*(y-x^2)^2 + max(sin(x), softplus(y))")
	p := surfaces.Point{0.3, -0.7}
	allocs := testing.AllocsPerRun(100, func() {
		e.Value(p)
		e.Gradient(p)
		e.Hessian(p)
	})
	if allocs != 0 {
		t.Errorf("evaluation allocates %g times, want 0", allocs)
	}
}
