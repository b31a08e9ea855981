package engine_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// plane is the tilted plane f(x, y) = a·x + b·y, whose gradient (a, b) is the
// same everywhere, so the adaptive methods' accumulators can be followed by
// hand. It has no Hessian on purpose.
type plane struct{ a, b float64 }

func (p plane) Value(q engine.Point) float64       { return p.a*q[0] + p.b*q[1] }
func (p plane) Gradient(engine.Point) engine.Point { return engine.Point{p.a, p.b} }

// quadratic is f(x, y) = a·x²/2 + b·x·y + c·y²/2, with the constant Hessian
// [a b; b c] and its critical point at the origin.
type quadratic struct{ a, b, c float64 }

func (q quadratic) Value(p engine.Point) float64 {
	return q.a*p[0]*p[0]/2 + q.b*p[0]*p[1] + q.c*p[1]*p[1]/2
}

func (q quadratic) Gradient(p engine.Point) engine.Point {
	return engine.Point{q.a*p[0] + q.b*p[1], q.b*p[0] + q.c*p[1]}
}

func (q quadratic) Hessian(engine.Point) surfaces.Hessian {
	return surfaces.Hessian{XX: q.a, XY: q.b, YY: q.c}
}

// stepCase is a few steps of one optimizer, with the iterates worked out by
// hand.
type stepCase struct {
	name   string
	method string
	params engine.Params
	f      surfaces.Function
	start  engine.Point
	want   []engine.Point // θ₁, θ₂, …
}

// checkSteps takes len(c.want) steps as the run loop would, handing each step
// ∇f(θ), and compares every iterate to 1e-12 relative.
func checkSteps(t *testing.T, c stepCase) {
	t.Helper()
	opt := newOptimizer(t, c.method, c.params)
	theta := c.start
	for k, want := range c.want {
		next, err := opt.Step(c.f, theta, c.f.Gradient(theta))
		if err != nil {
			t.Fatalf("step %d from %v: %v", k+1, theta, err)
		}
		for i := range next {
			if !near(next[i], want[i], 1e-12) {
				t.Fatalf("step %d from %v: θ = %v, want %v", k+1, theta, next, want)
			}
		}
		theta = next
	}
}

// newOptimizer builds a fresh optimizer of the catalogue.
func newOptimizer(tb testing.TB, name string, params engine.Params) engine.Optimizer {
	tb.Helper()
	m, ok := engine.LookupMethod(name)
	if !ok {
		tb.Fatalf("no optimizer %q", name)
	}
	opt, _, err := m.New(params)
	if err != nil {
		tb.Fatalf("%s.New(%v): %v", name, params, err)
	}
	return opt
}

// lookupSurface returns a catalogue surface, or skips the test until the
// surface has been written.
func lookupSurface(tb testing.TB, name string) surfaces.Surface {
	tb.Helper()
	s, ok := surfaces.Lookup(name)
	if !ok {
		tb.Skipf("surface %q is not in the catalogue yet", name)
	}
	return s
}

// near reports whether got agrees with want to rel relative, with an absolute
// floor of rel·1e-3 so that values which should be zero can be compared.
func near(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), 1e-3)
}

func TestMethodsOrder(t *testing.T) {
	t.Parallel()
	want := []string{"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "newton"}
	if got := engine.MethodNames(); !slices.Equal(got, want) {
		t.Errorf("MethodNames() = %v, want %v", got, want)
	}
	var got []string
	for _, m := range engine.Methods() {
		got = append(got, m.Name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Methods() names = %v, want %v", got, want)
	}
}

// TestCatalogue pins every optimizer's parameters: names in display order,
// defaults and ranges.
func TestCatalogue(t *testing.T) {
	t.Parallel()
	lr := func(def float64) engine.Param { return engine.Param{Name: "lr", Default: def, Min: 0, Max: 100} }
	eps := func(def float64) engine.Param { return engine.Param{Name: "eps", Default: def, Min: 0, Max: 1} }
	momentum := engine.Param{Name: "momentum", Default: 0.9, Min: 0, Max: 1}
	tests := []struct {
		name         string
		params       []engine.Param
		needsHessian bool
	}{
		{"sgd", []engine.Param{lr(0.01)}, false},
		{"momentum", []engine.Param{lr(0.01), momentum}, false},
		{"nesterov", []engine.Param{lr(0.01), momentum}, false},
		{"adagrad", []engine.Param{lr(0.01), eps(1e-7)}, false},
		{"rmsprop", []engine.Param{lr(0.001), {Name: "rho", Default: 0.9, Min: 0, Max: 1}, eps(1e-6)}, false},
		{"adam", []engine.Param{lr(0.001),
			{Name: "beta1", Default: 0.9, Min: 0, Max: 0.9999},
			{Name: "beta2", Default: 0.999, Min: 0, Max: 0.999999},
			eps(1e-8)}, false},
		{"newton", []engine.Param{{Name: "alpha", Default: 0.0, Min: 0, Max: 1e6}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, ok := engine.LookupMethod(tt.name)
			if !ok {
				t.Fatalf("LookupMethod(%q) found nothing", tt.name)
			}
			if m.Title == "" || m.Rule == "" {
				t.Errorf("Title %q, Rule %q: both must be set", m.Title, m.Rule)
			}
			if m.NeedsHessian != tt.needsHessian {
				t.Errorf("NeedsHessian = %v, want %v", m.NeedsHessian, tt.needsHessian)
			}
			if len(m.Params) != len(tt.params) {
				t.Fatalf("Params = %+v, want %+v", m.Params, tt.params)
			}
			for i, p := range m.Params {
				want := tt.params[i]
				if p.Name != want.Name || p.Default != want.Default || p.Min != want.Min || p.Max != want.Max {
					t.Errorf("Params[%d] = %+v, want %+v", i, p, want)
				}
				if p.About == "" {
					t.Errorf("parameter %s has no About", p.Name)
				}
			}
		})
	}
	if _, ok := engine.LookupMethod("bfgs"); ok {
		t.Error(`LookupMethod("bfgs") found an optimizer that is not in the catalogue`)
	}
}

func TestResolveDefaults(t *testing.T) {
	t.Parallel()
	for _, m := range engine.Methods() {
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			got, err := m.Resolve(nil)
			if err != nil {
				t.Fatalf("Resolve(nil): %v", err)
			}
			if len(got) != len(m.Params) {
				t.Errorf("Resolve(nil) = %v, want exactly the %d parameters", got, len(m.Params))
			}
			for _, p := range m.Params {
				if v, ok := got[p.Name]; !ok || v != p.Default {
					t.Errorf("Resolve(nil)[%q] = %v, %v; want the default %v", p.Name, v, ok, p.Default)
				}
			}
			// Both ends of every range are allowed.
			for _, p := range m.Params {
				for _, v := range []float64{p.Min, p.Max} {
					got, err := m.Resolve(engine.Params{p.Name: v})
					if err != nil {
						t.Errorf("Resolve(%s=%g): %v", p.Name, v, err)
					} else if got[p.Name] != v {
						t.Errorf("Resolve(%s=%g)[%q] = %g", p.Name, v, p.Name, got[p.Name])
					}
				}
			}
		})
	}
}

func TestResolveKeepsGivenValues(t *testing.T) {
	t.Parallel()
	m, _ := engine.LookupMethod("adam")
	got, err := m.Resolve(engine.Params{"lr": 0.05, "beta2": 0.99})
	if err != nil {
		t.Fatal(err)
	}
	want := engine.Params{"lr": 0.05, "beta1": 0.9, "beta2": 0.99, "eps": 1e-8}
	if len(got) != len(want) {
		t.Fatalf("Resolve = %v, want %v", got, want)
	}
	for name, v := range want {
		if got[name] != v {
			t.Errorf("Resolve[%q] = %g, want %g", name, got[name], v)
		}
	}
}

func TestResolveErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		method   string
		given    engine.Params
		param    string   // the parameter the error must name
		mentions []string // what the message must say is allowed
	}{
		{"unknown", "momentum", engine.Params{"beta": 0.5}, "beta", []string{"lr", "momentum"}},
		{"unknown for sgd", "sgd", engine.Params{"momentum": 0.9}, "momentum", []string{"lr"}},
		{"lr above", "sgd", engine.Params{"lr": 100.5}, "lr", []string{"0", "100"}},
		{"lr negative", "adam", engine.Params{"lr": -0.001}, "lr", []string{"0", "100"}},
		{"momentum above 1", "nesterov", engine.Params{"momentum": 1.01}, "momentum", []string{"0", "1"}},
		{"rho above 1", "rmsprop", engine.Params{"rho": 2}, "rho", []string{"0", "1"}},
		{"beta1 of 1", "adam", engine.Params{"beta1": 1}, "beta1", []string{"0", "0.9999"}},
		{"beta2 of 1", "adam", engine.Params{"beta2": 1}, "beta2", []string{"0", "0.999999"}},
		{"eps above 1", "adagrad", engine.Params{"eps": 1.5}, "eps", []string{"0", "1"}},
		{"alpha above", "newton", engine.Params{"alpha": 2e6}, "alpha", []string{"0", "1e+06"}},
		{"lr NaN", "sgd", engine.Params{"lr": math.NaN()}, "lr", []string{"0", "100"}},
		{"eps NaN", "adam", engine.Params{"eps": math.NaN()}, "eps", []string{"0", "1"}},
		{"alpha +Inf", "newton", engine.Params{"alpha": math.Inf(1)}, "alpha", []string{"0", "1e+06"}},
		{"momentum -Inf", "momentum", engine.Params{"momentum": math.Inf(-1)}, "momentum", []string{"0", "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, _ := engine.LookupMethod(tt.method)
			resolved, err := m.Resolve(tt.given)
			if err == nil {
				t.Fatalf("Resolve(%v) = %v, want an error", tt.given, resolved)
			}
			if _, _, newErr := m.New(tt.given); newErr == nil {
				t.Errorf("New(%v) succeeded, want the error Resolve gives", tt.given)
			}
			var pe *engine.ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("Resolve(%v) error %v is not a *ParamError", tt.given, err)
			}
			if pe.Param != tt.param || pe.Optimizer != tt.method {
				t.Errorf("ParamError names optimizer %q, parameter %q; want %q, %q", pe.Optimizer, pe.Param, tt.method, tt.param)
			}
			msg := err.Error()
			for _, s := range append([]string{tt.param}, tt.mentions...) {
				if !strings.Contains(msg, s) {
					t.Errorf("error %q does not mention %q", msg, s)
				}
			}
		})
	}
}

func TestNewReturnsFreshOptimizers(t *testing.T) {
	t.Parallel()
	// Two optimizers from one Method must not share state: stepping one must
	// not change what the other does.
	for _, m := range engine.Methods() {
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			a, _, err := m.New(nil)
			if err != nil {
				t.Fatal(err)
			}
			b, _, _ := m.New(nil)
			f := surfaces.Bowl{}
			start := engine.Point{1, -2}
			for range 3 {
				if _, err := a.Step(f, start, f.Gradient(start)); err != nil {
					t.Fatal(err)
				}
			}
			fresh, _, _ := m.New(nil)
			got, _ := b.Step(f, start, f.Gradient(start))
			want, _ := fresh.Step(f, start, f.Gradient(start))
			if got != want {
				t.Errorf("first step of a second optimizer = %v, want %v as from a fresh one", got, want)
			}
		})
	}
}
