package engine_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

func TestClipSteps(t *testing.T) {
	t.Parallel()
	bowl := &surfaces.Bowl{}
	tilted := plane{3, -4} // ‖g‖ = 5 everywhere
	sqrt5 := math.Sqrt(5)
	tests := []stepCase{
		{
			// ‖g‖ = 5 > 1: g ← (3, −4)·1/5 = (0.6, −0.8), so each step is
			// −0.1·(0.6, −0.8).
			name: "sgd above", method: "sgd", params: engine.Params{"lr": 0.1, "clip": 1},
			f: tilted, start: engine.Point{0, 0},
			want: []engine.Point{{-0.06, 0.08}, {-0.12, 0.16}},
		},
		{
			// ‖g‖ = 5 < 10: g as it is, as in "sgd default lr" with lr 0.1.
			name: "sgd below", method: "sgd", params: engine.Params{"lr": 0.1, "clip": 10},
			f: tilted, start: engine.Point{0, 0},
			want: []engine.Point{{-0.3, 0.4}, {-0.6, 0.8}},
		},
		{
			// ‖g‖ = 5 is not above 5: left as it is.
			name: "sgd at the threshold", method: "sgd", params: engine.Params{"lr": 0.1, "clip": 5},
			f: tilted, start: engine.Point{0, 0},
			want: []engine.Point{{-0.3, 0.4}},
		},
		{
			// On the bowl g = 2θ, so while ‖θ‖ > 1 the clipped g is the unit
			// vector 2·(0.6, 0.8) along θ = (3, 4)·s, and each step takes
			// 0.5·(1.2, 1.6) = (0.6, 0.8) off θ: from (3, 4) to (2.4, 3.2),
			// (1.8, 2.4), (1.2, 1.6) and (0.6, 0.8).
			name: "sgd bowl", method: "sgd", params: engine.Params{"lr": 0.5, "clip": 2},
			f: bowl, start: engine.Point{3, 4},
			want: []engine.Point{{2.4, 3.2}, {1.8, 2.4}, {1.2, 1.6}, {0.6, 0.8}},
		},
		{
			// momentum 0.5, clip 1 on the plane: g = (0.6, −0.8) at every step,
			// v₁ = −0.1·g = (−0.06, 0.08), v₂ = 0.5·v₁ − 0.1·g = (−0.09, 0.12).
			name: "momentum above", method: "momentum", params: engine.Params{"lr": 0.1, "momentum": 0.5, "clip": 1},
			f: tilted, start: engine.Point{0, 0},
			want: []engine.Point{{-0.06, 0.08}, {-0.15, 0.2}},
		},
		{
			// Nesterov ignores the gradient the run loop hands it, so these
			// steps are clipped only if its own look-ahead gradient is.
			// Step 1: look-ahead θ₀ = (1, −2), g = (2, −4), ‖g‖ = 2√5 > 1,
			//         g ← (1, −2)/√5, v₁ = −0.1·(1, −2)/√5,
			//         θ₁ = (1 − 0.1/√5, −2 + 0.2/√5) (unclipped: (0.8, −1.6)).
			// Step 2: look-ahead a = θ₁ + 0.9·v₁ = (1 − 0.19/√5, −2 + 0.38/√5),
			//         g = 2a, which is longer than 1, so g ← a/‖a‖,
			//         v₂ = 0.9·v₁ − 0.1·a/‖a‖, θ₂ = θ₁ + v₂.
			name: "nesterov look-ahead", method: "nesterov", params: engine.Params{"lr": 0.1, "momentum": 0.9, "clip": 1},
			f: bowl, start: engine.Point{1, -2},
			want: func() []engine.Point {
				a := engine.Point{1 - 0.19/sqrt5, -2 + 0.38/sqrt5}
				n := math.Hypot(a[0], a[1])
				return []engine.Point{
					{1 - 0.1/sqrt5, -2 + 0.2/sqrt5},
					{1 - 0.1/sqrt5 - 0.09/sqrt5 - 0.1*a[0]/n, -2 + 0.2/sqrt5 + 0.18/sqrt5 - 0.1*a[1]/n},
				}
			}(),
		},
		{
			// rho 0.5, eps 1 (so the scale of g shows), clip 1 on the plane:
			// the look-ahead g = (0.6, −0.8), r = 0.5·(0.36, 0.64) = (0.18, 0.32),
			// θ₁ = v₁ = −0.1·(0.6/√1.18, −0.8/√1.32).
			name: "rmsprop-nesterov look-ahead", method: "rmsprop-nesterov",
			params: engine.Params{"lr": 0.1, "rho": 0.5, "momentum": 0.9, "eps": 1, "clip": 1},
			f:      tilted, start: engine.Point{0, 0},
			want: []engine.Point{{-0.06 / math.Sqrt(1.18), 0.08 / math.Sqrt(1.32)}},
		},
		{
			// AdaGrad with eps 1: g = (0.6, −0.8), r = (0.36, 0.64), √r = (0.6, 0.8),
			// θ₁ = −1·(0.6/1.6, −0.8/1.8).
			name: "adagrad above", method: "adagrad", params: engine.Params{"lr": 1, "eps": 1, "clip": 1},
			f: tilted, start: engine.Point{0, 0},
			want: []engine.Point{{-0.375, 0.8 / 1.8}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkSteps(t, tt)
		})
	}
}

// TestClipShowsClippedGradient checks that the state of a clipped optimizer
// shows the gradient its update used.
func TestClipShowsClippedGradient(t *testing.T) {
	t.Parallel()
	for _, name := range firstOrder {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opt := newOptimizer(t, name, engine.Params{"clip": 1})
			f := plane{3, -4}
			if _, err := opt.Step(f, engine.Point{0, 0}, f.Gradient(engine.Point{0, 0})); err != nil {
				t.Fatal(err)
			}
			s := stateOf(t, opt)
			if s.UpdateGradient == nil || !near(s.UpdateGradient[0], 0.6, 1e-15) || !near(s.UpdateGradient[1], -0.8, 1e-15) {
				t.Errorf("UpdateGradient = %v, want (0.6, −0.8)", s.UpdateGradient)
			}
		})
	}
}

// stateOf returns the state of opt, which must be a Stater.
func stateOf(tb testing.TB, opt engine.Optimizer) engine.State {
	tb.Helper()
	s, ok := opt.(engine.Stater)
	if !ok {
		tb.Fatalf("%T is not a Stater", opt)
	}
	return s.State()
}

// runPath runs a catalogue optimizer with the given parameters and its run
// options.
func runPath(tb testing.TB, name string, params engine.Params, f surfaces.Function, start engine.Point, limits engine.Limits, opts ...engine.Option) engine.Result {
	tb.Helper()
	m, ok := engine.LookupMethod(name)
	if !ok {
		tb.Fatalf("no optimizer %q", name)
	}
	opt, resolved, err := m.New(params)
	if err != nil {
		tb.Fatalf("%s.New(%v): %v", name, params, err)
	}
	return engine.Run(f, opt, start, limits, append(m.Options(resolved), opts...)...)
}

// samePath reports whether two runs gave the same bits.
func samePath(a, b engine.Result) bool {
	if a.Status != b.Status || len(a.Path) != len(b.Path) {
		return false
	}
	for i := range a.Path {
		if bits(a.Path[i][0]) != bits(b.Path[i][0]) || bits(a.Path[i][1]) != bits(b.Path[i][1]) ||
			bits(a.Loss[i]) != bits(b.Loss[i]) {
			return false
		}
	}
	return true
}

func TestNoiseSeeds(t *testing.T) {
	t.Parallel()
	s := lookupSurface(t, "rosenbrock")
	limits := engine.Limits{Steps: 100, Tol: 0}
	for _, name := range firstOrder {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run := func(p engine.Params) engine.Result {
				p["lr"] = 1e-4 // small enough for every method to stay in bounds
				return runPath(t, name, p, s, s.Start, limits)
			}
			plain := run(engine.Params{})
			a, b := run(engine.Params{"noise": 5, "seed": 7}), run(engine.Params{"noise": 5, "seed": 7})
			other := run(engine.Params{"noise": 5, "seed": 8})
			if len(a.Path) != 101 {
				t.Fatalf("noisy run ended %s after %d points; the test wants all 101", a.Status, len(a.Path))
			}
			if !samePath(a, b) {
				t.Error("two runs with seed 7 differ")
			}
			if samePath(a, other) {
				t.Error("seeds 7 and 8 give the same path")
			}
			if samePath(a, plain) {
				t.Error("noise 5 gives the path without noise")
			}
			if zero := run(engine.Params{"noise": 0, "seed": 9}); !samePath(zero, plain) {
				t.Error("noise 0 changes the path")
			}
		})
	}
}

// TestNoiseDraws pins where the noise comes from: a PCG seeded with
// (seed, seed), two normal deviates per gradient, x first. With lr 1 on a
// plane, gradient descent steps by exactly −(g + noise·z).
func TestNoiseDraws(t *testing.T) {
	t.Parallel()
	const sigma, seed = 0.5, 42
	r := runPath(t, "sgd", engine.Params{"lr": 1, "noise": sigma, "seed": seed}, plane{3, -4}, engine.Point{0, 0}, engine.Limits{Steps: 3})
	rng := rand.New(rand.NewPCG(seed, seed))
	for k := 1; k < len(r.Path); k++ {
		z0, z1 := rng.NormFloat64(), rng.NormFloat64()
		prev := r.Path[k-1]
		want := engine.Point{prev[0] - (3 + sigma*z0), prev[1] - (-4 + sigma*z1)}
		if r.Path[k] != want {
			t.Errorf("θ%d = %v, want %v", k, r.Path[k], want)
		}
	}
}

// TestNoiseScale checks that noise is the standard deviation of each
// gradient coordinate: with lr 1 on a plane the steps are −(g + noise·z).
func TestNoiseScale(t *testing.T) {
	t.Parallel()
	const sigma, n = 2.0, 4000
	r := runPath(t, "sgd", engine.Params{"lr": 1, "noise": sigma}, plane{3, -4}, engine.Point{0, 0}, engine.Limits{Steps: n})
	for i, g := range []float64{3, -4} {
		var sum, sumSq float64
		for k := 1; k < len(r.Path); k++ {
			d := -(r.Path[k][i] - r.Path[k-1][i]) - g
			sum += d
			sumSq += d * d
		}
		mean := sum / n
		sd := math.Sqrt(sumSq/n - mean*mean)
		// The mean is within 4 standard errors of 0 and the deviation within 10%.
		if math.Abs(mean) > 4*sigma/math.Sqrt(n) || math.Abs(sd-sigma) > 0.1*sigma {
			t.Errorf("coordinate %d: noise of mean %.4f and deviation %.4f, want 0 and %g", i, mean, sd, sigma)
		}
	}
}

// TestNoiseBeforeClip checks that noise is added before clipping: with clip
// 1, no step of gradient descent is longer than lr, however loud the noise.
func TestNoiseBeforeClip(t *testing.T) {
	t.Parallel()
	const lr = 0.01
	r := runPath(t, "sgd", engine.Params{"lr": lr, "noise": 100, "clip": 1}, &surfaces.Bowl{}, engine.Point{1, -2}, engine.Limits{Steps: 200})
	for k := 1; k < len(r.Path); k++ {
		if d := math.Hypot(r.Path[k][0]-r.Path[k-1][0], r.Path[k][1]-r.Path[k-1][1]); d > lr*(1+1e-12) {
			t.Fatalf("step %d is %g long, more than lr·clip = %g", k, d, lr)
		}
	}
}

// TestKnobsOff checks that the knobs at their defaults leave every method's
// trajectory as it was, bit for bit.
func TestKnobsOff(t *testing.T) {
	t.Parallel()
	s := lookupSurface(t, "rosenbrock")
	limits := engine.Limits{Steps: 200, Tol: 0}
	for _, name := range firstOrder {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m, _ := engine.LookupMethod(name)
			plain := engine.Run(s, newOptimizer(t, name, nil), s.Start, limits)
			given := engine.Params{}
			for _, p := range m.Params {
				if p.Advanced {
					given[p.Name] = p.Default
				}
			}
			if got := runPath(t, name, given, s, s.Start, limits); !samePath(got, plain) {
				t.Errorf("the knobs at their defaults change the path")
			}
		})
	}
}

// prober is an optimizer that halves θ and tries two points first, in a
// slice it reuses, as a line search does. It counts its steps in its state.
type prober struct {
	probes []engine.Point
	steps  float64
	lr     float64
}

func (p *prober) Step(_ surfaces.Function, theta, _ engine.Point) (engine.Point, error) {
	p.steps++
	p.probes = append(p.probes[:0], engine.Point{theta[0] * 0.9, p.steps}, engine.Point{theta[0] * 0.8, p.steps})
	return engine.Point{theta[0] / 2, theta[1] / 2}, nil
}

func (p *prober) Probes() []engine.Point { return p.probes }
func (p *prober) State() engine.State    { return engine.State{Beta: &p.steps, LR: &p.lr} }
func (p *prober) SetLR(lr float64)       { p.lr = lr }

// TestDecoratorsPassThrough checks that every decorator shows the probes
// and the state of the optimizer it wraps.
func TestDecoratorsPassThrough(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		wrap func(engine.Optimizer) engine.Optimizer
	}{
		{"clipped", func(o engine.Optimizer) engine.Optimizer { return engine.NewClipped(o, 1e9) }},
		{"noisy", func(o engine.Optimizer) engine.Optimizer { return engine.NewNoisy(o, 0, 1) }},
		{"scheduled", func(o engine.Optimizer) engine.Optimizer {
			return engine.NewScheduled(o, engine.Schedule{Kind: "exponential", LR: 1, Gamma: 0.5})
		}},
		{"all three", func(o engine.Optimizer) engine.Optimizer {
			o = engine.NewScheduled(o, engine.Schedule{Kind: "exponential", LR: 1, Gamma: 0.5})
			return engine.NewNoisy(engine.NewClipped(o, 1e9), 0, 1)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inner := &prober{}
			opt := tt.wrap(inner)
			if _, err := opt.Step(&surfaces.Bowl{}, engine.Point{1, 1}, engine.Point{2, 2}); err != nil {
				t.Fatal(err)
			}
			p, ok := opt.(engine.Prober)
			if !ok || !slices.Equal(p.Probes(), []engine.Point{{0.9, 1}, {0.8, 1}}) {
				t.Errorf("%T shows probes %v (a Prober: %v), want the wrapped optimizer's", opt, p, ok)
			}
			if s := stateOf(t, opt); s.Beta == nil || *s.Beta != 1 {
				t.Errorf("%T shows state %+v, want the wrapped optimizer's", opt, s)
			}
		})
	}
	// A decorator around an optimizer without probes or state shows none.
	opt := engine.NewClipped(&engine.Newton{}, 1)
	if probes := opt.Probes(); probes != nil {
		t.Errorf("Probes() = %v around an optimizer without probes, want nil", probes)
	}
	if s := engine.NewClipped(fixedStep{}, 1).State(); s != (engine.State{}) {
		t.Errorf("State() = %+v around an optimizer without state, want the zero State", s)
	}
}

// fixedStep is an optimizer without state that never moves.
type fixedStep struct{}

func (fixedStep) Step(_ surfaces.Function, theta, _ engine.Point) (engine.Point, error) {
	return theta, nil
}

func TestDecoratorsPanic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		make func()
	}{
		{"clip 0", func() { engine.NewClipped(&engine.SGD{}, 0) }},
		{"clip NaN", func() { engine.NewClipped(&engine.SGD{}, math.NaN()) }},
		{"noise negative", func() { engine.NewNoisy(&engine.SGD{}, -1, 1) }},
		{"schedule without lr", func() { engine.NewScheduled(&engine.Newton{}, engine.Schedule{Kind: "linear", DecaySteps: 1}) }},
		{"schedule unknown", func() { engine.NewScheduled(&engine.SGD{}, engine.Schedule{Kind: "cubic"}) }},
		{"linear without decay steps", func() { engine.NewScheduled(&engine.SGD{}, engine.Schedule{Kind: "linear"}) }},
		{"cosine without decay steps", func() { engine.NewScheduled(&engine.SGD{}, engine.Schedule{Kind: "cosine"}) }},
		{"step without step size", func() { engine.NewScheduled(&engine.SGD{}, engine.Schedule{Kind: "step", Gamma: 0.5}) }},
		{"average decay above 1", func() { engine.WithExponentialAverage(1.5) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				r := recover()
				if msg, ok := r.(string); !ok || len(msg) < 8 || msg[:8] != "engine: " {
					t.Errorf("recovered %v, want an engine: panic", r)
				}
			}()
			tt.make()
		})
	}
}

func TestOptions(t *testing.T) {
	t.Parallel()
	// sgd with lr 0.25 on the bowl halves θ: (1, −2), (0.5, −1), (0.25, −0.5).
	tests := []struct {
		name    string
		params  engine.Params
		average []engine.Point // nil when the run does not average
	}{
		{"none", engine.Params{}, nil},
		{"uniform", engine.Params{"average": "uniform"}, []engine.Point{{1, -2}, {0.75, -1.5}, {1.75 / 3, -3.5 / 3}}},
		// a₁ = 0.5·1 + 0.5·0.5 = 0.75, a₂ = 0.5·0.75 + 0.5·0.25 = 0.5.
		{"exponential", engine.Params{"average": "exponential", "average_decay": 0.5}, []engine.Point{{1, -2}, {0.75, -1.5}, {0.5, -1}}},
		{"decay ignored", engine.Params{"average_decay": 0.5}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.params["lr"] = 0.25
			m, _ := engine.LookupMethod("sgd")
			_, resolved, err := m.New(tt.params)
			if err != nil {
				t.Fatal(err)
			}
			if opts := m.Options(resolved); (len(opts) > 0) != (tt.average != nil) {
				t.Errorf("Options(%v) = %d options", resolved, len(opts))
			}
			r := runPath(t, "sgd", tt.params, &surfaces.Bowl{}, engine.Point{1, -2}, engine.Limits{Steps: 2})
			if !slices.Equal(r.Average, tt.average) {
				t.Errorf("Average = %v, want %v", r.Average, tt.average)
			}
		})
	}
	// Newton has no average parameter, so no options.
	newton, _ := engine.LookupMethod("newton")
	if p, _ := newton.Resolve(nil); newton.Options(p) != nil {
		t.Error("newton asks for run options")
	}
}
