package engine_test

import (
	"errors"
	"fmt"
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

// roster is every optimizer the catalogue will hold, in display order.
var roster = []string{
	"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "rmsprop-nesterov", "adam", "adamw",
	"newton", "newton-ls", "cg", "bfgs", "lbfgs", "coordinate-descent",
}

// handWritten are the optimizers of this package's hand-written update rules,
// which must be registered; the others are driven by gonum and come in their
// own files.
var handWritten = []string{"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "rmsprop-nesterov", "adam", "adamw", "newton"}

// firstOrder are the methods with the knobs.
var firstOrder = []string{"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "rmsprop-nesterov", "adam", "adamw"}

func TestMethodsOrder(t *testing.T) {
	t.Parallel()
	got := engine.MethodNames()
	var methods []string
	for _, m := range engine.Methods() {
		methods = append(methods, m.Name)
	}
	if !slices.Equal(got, methods) {
		t.Errorf("MethodNames() = %v, Methods() names = %v; want the same", got, methods)
	}
	// got must be the roster with the optimizers not registered yet left out.
	var want []string
	for _, name := range roster {
		if slices.Contains(got, name) {
			want = append(want, name)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("MethodNames() = %v, want %v: the roster's order, and nothing else", got, want)
	}
	for _, name := range handWritten {
		if !slices.Contains(got, name) {
			t.Errorf("MethodNames() = %v lacks %s", got, name)
		}
	}
}

// knobs are the advanced parameters of every first-order method, after its
// own, with the default of lr_final 1% of the default lr.
func knobs(lr float64) []engine.Param {
	return []engine.Param{
		{Name: "clip", Kind: engine.Number, Default: 0.0, Min: 0, Max: 1e6},
		{Name: "schedule", Kind: engine.Choice, Default: "constant", Choices: []string{"constant", "linear", "exponential", "step", "cosine"}},
		{Name: "lr_final", Kind: engine.Number, Default: lr / 100, Min: 0, Max: 100},
		{Name: "decay_steps", Kind: engine.Integer, Default: 100.0, Min: 1, Max: engine.MaxStepLimit},
		{Name: "gamma", Kind: engine.Number, Default: 0.99, Min: 0, Max: 1},
		{Name: "step_size", Kind: engine.Integer, Default: 10.0, Min: 1, Max: engine.MaxStepLimit},
		{Name: "noise", Kind: engine.Number, Default: 0.0, Min: 0, Max: 1000},
		{Name: "seed", Kind: engine.Integer, Default: 1.0, Min: 0, Max: 1<<53 - 1},
		{Name: "batch", Kind: engine.Integer, Default: 0.0, Min: 0, Max: 1e6},
		{Name: "average", Kind: engine.Choice, Default: "none", Choices: []string{"none", "uniform", "exponential"}},
		{Name: "average_decay", Kind: engine.Number, Default: 0.9, Min: 0, Max: 1},
	}
}

// TestCatalogue pins the parameters of every hand-written optimizer: names in
// display order, kinds, defaults, ranges and choices, and which are advanced.
func TestCatalogue(t *testing.T) {
	t.Parallel()
	lr := func(def float64) engine.Param { return engine.Param{Name: "lr", Default: def, Min: 0, Max: 100} }
	eps := func(def float64) engine.Param { return engine.Param{Name: "eps", Default: def, Min: 0, Max: 1} }
	momentum := engine.Param{Name: "momentum", Default: 0.9, Min: 0, Max: 1}
	rho := engine.Param{Name: "rho", Default: 0.9, Min: 0, Max: 1}
	beta1 := engine.Param{Name: "beta1", Default: 0.9, Min: 0, Max: 0.9999}
	beta2 := engine.Param{Name: "beta2", Default: 0.999, Min: 0, Max: 0.999999}
	bias := engine.Param{Name: "bias_correction", Kind: engine.Bool, Default: true, Advanced: true}
	with := func(own []engine.Param, lrDefault float64) []engine.Param {
		all := slices.Clone(own)
		for _, k := range knobs(lrDefault) {
			k.Advanced = true
			all = append(all, k)
		}
		return all
	}
	tests := []struct {
		name         string
		params       []engine.Param
		needsHessian bool
	}{
		{"sgd", with([]engine.Param{lr(0.01)}, 0.01), false},
		{"momentum", with([]engine.Param{lr(0.01), momentum}, 0.01), false},
		{"nesterov", with([]engine.Param{lr(0.01), momentum}, 0.01), false},
		{"adagrad", with([]engine.Param{lr(0.01), eps(1e-7)}, 0.01), false},
		{"rmsprop", with([]engine.Param{lr(0.001), rho, eps(1e-6)}, 0.001), false},
		{"rmsprop-nesterov", with([]engine.Param{lr(0.001), rho, momentum, eps(1e-6)}, 0.001), false},
		{"adam", with([]engine.Param{lr(0.001), beta1, beta2, eps(1e-8), bias}, 0.001), false},
		{"adamw", with([]engine.Param{lr(0.001), beta1, beta2, eps(1e-8),
			{Name: "weight_decay", Default: 0.01, Min: 0, Max: 1}, bias}, 0.001), false},
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
			var got, want []string
			for _, p := range m.Params {
				got = append(got, p.Name)
			}
			for _, p := range tt.params {
				want = append(want, p.Name)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("parameters %v, want %v", got, want)
			}
			for i, p := range m.Params {
				want := tt.params[i]
				if p.Kind != want.Kind || p.Default != want.Default || p.Min != want.Min || p.Max != want.Max ||
					!slices.Equal(p.Choices, want.Choices) || p.Advanced != want.Advanced {
					t.Errorf("Params[%d] = %+v, want %+v", i, p, want)
				}
				if p.About == "" {
					t.Errorf("parameter %s has no About", p.Name)
				}
			}
		})
	}
	if _, ok := engine.LookupMethod("sgd-with-a-typo"); ok {
		t.Error(`LookupMethod("sgd-with-a-typo") found an optimizer that is not in the catalogue`)
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
			// Both ends of every range, both booleans and every choice are
			// allowed.
			for _, p := range m.Params {
				var allowed []any
				switch p.Kind {
				case engine.Number, engine.Integer:
					allowed = []any{p.Min, p.Max}
				case engine.Bool:
					allowed = []any{false, true}
				case engine.Choice:
					for _, c := range p.Choices {
						allowed = append(allowed, c)
					}
				}
				for _, v := range allowed {
					got, err := m.Resolve(engine.Params{p.Name: v})
					if err != nil {
						t.Errorf("Resolve(%s=%v): %v", p.Name, v, err)
					} else if got[p.Name] != v {
						t.Errorf("Resolve(%s=%v)[%q] = %v", p.Name, v, p.Name, got[p.Name])
					}
				}
			}
		})
	}
}

func TestResolveKeepsGivenValues(t *testing.T) {
	t.Parallel()
	m, _ := engine.LookupMethod("adam")
	given := engine.Params{"lr": 0.05, "beta2": 0.99, "bias_correction": false, "schedule": "cosine", "decay_steps": 50}
	got, err := m.Resolve(given)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(m.Params) {
		t.Fatalf("Resolve = %v, want all %d parameters", got, len(m.Params))
	}
	for _, p := range m.Params {
		want := p.Default
		if v, ok := given[p.Name]; ok {
			want = v
			if i, isInt := v.(int); isInt {
				want = float64(i)
			}
		}
		if got[p.Name] != want {
			t.Errorf("Resolve[%q] = %v, want %v", p.Name, got[p.Name], want)
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
		// The parameters of the new methods and the knobs.
		{"rmsprop-nesterov momentum", "rmsprop-nesterov", engine.Params{"momentum": 1.5}, "momentum", []string{"0", "1"}},
		{"weight_decay above", "adamw", engine.Params{"weight_decay": 2}, "weight_decay", []string{"0", "1"}},
		{"weight_decay on adam", "adam", engine.Params{"weight_decay": 0.01}, "weight_decay", []string{"unknown", "bias_correction"}},
		{"bias_correction on sgd", "sgd", engine.Params{"bias_correction": false}, "bias_correction", []string{"unknown", "lr", "clip"}},
		{"bias_correction on rmsprop", "rmsprop", engine.Params{"bias_correction": true}, "bias_correction", []string{"unknown"}},
		{"bias_correction as string", "adamw", engine.Params{"bias_correction": "false"}, "bias_correction", []string{"true or false", `"false"`}},
		{"bias_correction as number", "adam", engine.Params{"bias_correction": 0}, "bias_correction", []string{"true or false"}},
		{"clip negative", "momentum", engine.Params{"clip": -1}, "clip", []string{"0", "1e+06"}},
		{"clip as string", "adagrad", engine.Params{"clip": "1"}, "clip", []string{"number", "0", "1e+06"}},
		{"clip on newton", "newton", engine.Params{"clip": 1}, "clip", []string{"unknown", "alpha"}},
		{"schedule unknown", "sgd", engine.Params{"schedule": "quadratic"}, "schedule", []string{`"constant"`, `"linear"`, `"exponential"`, `"step"`, `"cosine"`}},
		{"schedule as number", "adam", engine.Params{"schedule": 1}, "schedule", []string{`"linear"`}},
		{"schedule null", "rmsprop", engine.Params{"schedule": nil}, "schedule", []string{"null"}},
		{"schedule on newton", "newton", engine.Params{"schedule": "linear"}, "schedule", []string{"unknown"}},
		{"lr_final above", "nesterov", engine.Params{"lr_final": 101}, "lr_final", []string{"0", "100"}},
		{"decay_steps 0", "sgd", engine.Params{"decay_steps": 0}, "decay_steps", []string{"1", "100000"}},
		{"decay_steps fractional", "sgd", engine.Params{"decay_steps": 2.5}, "decay_steps", []string{"whole number"}},
		{"gamma above 1", "adam", engine.Params{"gamma": 1.01}, "gamma", []string{"0", "1"}},
		{"step_size 0", "rmsprop-nesterov", engine.Params{"step_size": 0}, "step_size", []string{"1", "100000"}},
		{"step_size beyond", "adamw", engine.Params{"step_size": 100001}, "step_size", []string{"1", "100000"}},
		{"noise negative", "sgd", engine.Params{"noise": -0.1}, "noise", []string{"0", "1000"}},
		{"noise NaN", "momentum", engine.Params{"noise": math.NaN()}, "noise", []string{"0", "1000"}},
		{"seed negative", "sgd", engine.Params{"seed": -1}, "seed", []string{"0", "9.007199254740991e+15"}},
		{"seed fractional", "adam", engine.Params{"seed": 1.5}, "seed", []string{"whole number"}},
		{"seed beyond 2⁵³", "adam", engine.Params{"seed": 1 << 53}, "seed", []string{"9.007199254740991e+15"}},
		{"average unknown", "adagrad", engine.Params{"average": "polyak"}, "average", []string{`"none"`, `"uniform"`, `"exponential"`}},
		{"average as bool", "adagrad", engine.Params{"average": true}, "average", []string{`"uniform"`}},
		{"average on newton", "newton", engine.Params{"average": "uniform"}, "average", []string{"unknown"}},
		{"average_decay above", "sgd", engine.Params{"average_decay": 1.5}, "average_decay", []string{"0", "1"}},
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
			f := &surfaces.Bowl{}
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

// TestBuildMatchesNew checks that Method.Build, given parameters that
// Resolve has resolved, builds the optimizer New builds from them: of the
// same type, with the same knobs, stepping the same path bit for bit.
func TestBuildMatchesNew(t *testing.T) {
	t.Parallel()
	s := lookupSurface(t, "rosenbrock")
	knobs := []engine.Params{
		nil,
		{"clip": 5.0},
		{"noise": 0.5, "seed": 7},
		{"schedule": "cosine", "lr_final": 1e-5, "decay_steps": 50},
		{"schedule": "step", "gamma": 0.5, "step_size": 20, "clip": 100, "noise": 0.1},
		{"average": "exponential", "average_decay": 0.5},
	}
	for _, m := range engine.Methods() {
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			for _, given := range knobs {
				if given != nil && !slices.ContainsFunc(m.Params, func(p engine.Param) bool { return p.Name == "clip" }) {
					continue // a method without the knobs of the first-order methods
				}
				resolved, err := m.Resolve(given)
				if err != nil {
					t.Fatal(err)
				}
				fromNew, _, err := m.New(resolved)
				if err != nil {
					t.Fatal(err)
				}
				built := m.Build(resolved)
				if got, want := fmt.Sprintf("%T", built), fmt.Sprintf("%T", fromNew); got != want {
					t.Errorf("%v: Build gives a %s, New a %s", given, got, want)
				}
				limits := engine.Limits{Steps: 300, Tol: engine.DefaultTol}
				want := engine.Run(s.TwiceDifferentiable, fromNew, s.Start, limits, m.Options(resolved)...)
				got := engine.Run(s.TwiceDifferentiable, built, s.Start, limits, m.Options(resolved)...)
				if !sameResult(got, want) {
					t.Errorf("%v: the run of the built optimizer (%s after %d points) differs from that of New's (%s after %d)",
						given, got.Status, len(got.Path), want.Status, len(want.Path))
				}
			}
		})
	}
}

// TestBuildKeepsNoParams checks that changing the parameters after Build
// changes nothing the optimizer does.
func TestBuildKeepsNoParams(t *testing.T) {
	t.Parallel()
	m, _ := engine.LookupMethod("adam")
	p, err := m.Resolve(engine.Params{"clip": 1.0, "schedule": "linear"})
	if err != nil {
		t.Fatal(err)
	}
	fresh := m.Build(p)
	changed := m.Build(p)
	for name := range p {
		delete(p, name)
	}
	f := &surfaces.Bowl{}
	start := engine.Point{1, -2}
	limits := engine.Limits{Steps: 50}
	if got, want := engine.Run(f, changed, start, limits), engine.Run(f, fresh, start, limits); !sameResult(got, want) {
		t.Error("emptying the parameters after Build changed the optimizer's path")
	}
}

// TestBuildPanics checks that Build reports parameters that were not
// resolved, and a method that is not from the catalogue, as the programming
// errors they are.
func TestBuildPanics(t *testing.T) {
	t.Parallel()
	adam, _ := engine.LookupMethod("adam")
	for name, build := range map[string]func(){
		"no parameters":  func() { adam.Build(nil) },
		"given only":     func() { adam.Build(engine.Params{"lr": 0.1}) },
		"wrong type":     func() { p, _ := adam.Resolve(nil); p["lr"] = 1; adam.Build(p) },
		"no such method": func() { engine.Method{Name: "nope"}.Build(engine.Params{}) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if v := recover(); v == nil || !strings.HasPrefix(fmt.Sprint(v), "engine: ") {
					t.Errorf("recovered %v, want a panic starting %q", v, "engine: ")
				}
			}()
			build()
		})
	}
}

// TestStepAllocations checks that a step of every optimizer whose step is a
// single gradient update allocates nothing, as BenchmarkStep measures. It
// is not parallel: testing.AllocsPerRun must not be.
func TestStepAllocations(t *testing.T) {
	s := lookupSurface(t, "rosenbrock")
	f := s.TwiceDifferentiable
	for _, name := range []string{"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "rmsprop-nesterov", "adam", "adamw", "newton"} {
		opt := newOptimizer(t, name, nil)
		theta := s.Start
		if allocs := testing.AllocsPerRun(100, func() {
			next, err := opt.Step(f, theta, f.Gradient(theta))
			if err == nil {
				theta = next
			}
		}); allocs != 0 {
			t.Errorf("%s: %v allocations per step, want 0", name, allocs)
		}
	}
}

// sameResult reports whether two runs are the same bit for bit.
func sameResult(a, b engine.Result) bool {
	bits := func(p []engine.Point) []uint64 {
		var u []uint64
		for _, q := range p {
			u = append(u, math.Float64bits(q[0]), math.Float64bits(q[1]))
		}
		return u
	}
	lossBits := func(l []float64) []uint64 {
		var u []uint64
		for _, v := range l {
			u = append(u, math.Float64bits(v))
		}
		return u
	}
	return a.Status == b.Status && slices.Equal(bits(a.Path), bits(b.Path)) &&
		slices.Equal(lossBits(a.Loss), lossBits(b.Loss)) && slices.Equal(bits(a.Average), bits(b.Average))
}
