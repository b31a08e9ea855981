package survey_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
	"saddlepoint/survey"
)

func TestAxisValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		axis survey.Axis
		kind engine.Kind
		want []float64
	}{
		{"linear", survey.Axis{Min: 0, Max: 1, N: 5, Scale: survey.Linear}, engine.Number, []float64{0, 0.25, 0.5, 0.75, 1}},
		{"linear two", survey.Axis{Min: 0.1, Max: 0.3, N: 2, Scale: survey.Linear}, engine.Number, []float64{0.1, 0.3}},
		{"linear thirds", survey.Axis{Min: 0, Max: 0.99, N: 4, Scale: survey.Linear}, engine.Number, []float64{0, 0.99 / 3, 2 * 0.99 / 3, 0.99}},
		{"log", survey.Axis{Min: 1, Max: 16, N: 5, Scale: survey.Log}, engine.Number, []float64{1, 2, 4, 8, 16}},
		{"log decades", survey.Axis{Min: 1e-4, Max: 1, N: 5, Scale: survey.Log},
			engine.Number, []float64{1e-4, 1e-4 * math.Pow(1e4, 0.25), 1e-4 * math.Pow(1e4, 0.5), 1e-4 * math.Pow(1e4, 0.75), 1}},
		{"integer", survey.Axis{Min: 1, Max: 10, N: 4, Scale: survey.Linear}, engine.Integer, []float64{1, 4, 7, 10}},
		{"integer rounded", survey.Axis{Min: 1, Max: 4, N: 5, Scale: survey.Linear}, engine.Integer, []float64{1, 2, 3, 3, 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.axis.Values(tc.kind); !slices.Equal(got, tc.want) {
				t.Errorf("values %v, want %v", got, tc.want)
			}
		})
	}
}

// Each cell of a sweep is the run engine.Run makes with that pair of values.
func TestSweepCellsMatchEngine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, surface, optimizer string
		x, y                     survey.Axis
		steps                    int
		diverges                 bool // some of the runs
	}{
		{"adam lr × beta1", "himmelblau", "adam",
			survey.Axis{Param: "lr", Min: 1e-4, Max: 1, N: 9, Scale: survey.Log},
			survey.Axis{Param: "beta1", Min: 0, Max: 0.99, N: 7, Scale: survey.Linear}, 1000, false},
		{"momentum lr × momentum", "ravine", "momentum",
			survey.Axis{Param: "lr", Min: 0.01, Max: 1.2, N: 8, Scale: survey.Linear},
			survey.Axis{Param: "momentum", Min: 0, Max: 0.99, N: 5, Scale: survey.Linear}, 300, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, setup := newSetup(t, tc.surface, tc.optimizer, nil, engine.Limits{Steps: tc.steps, Tol: engine.DefaultTol})
			m, err := survey.Sweep(context.Background(), setup, s.Start, tc.x, tc.y)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(m.X, tc.x.Values(engine.Number)) || !slices.Equal(m.Y, tc.y.Values(engine.Number)) {
				t.Fatalf("x %v, y %v: not the axes' values", m.X, m.Y)
			}
			if len(m.Runs) != tc.x.N*tc.y.N {
				t.Fatalf("%d runs, want %d × %d", len(m.Runs), tc.x.N, tc.y.N)
			}
			statuses := map[engine.Status]bool{}
			for _, r := range m.Runs {
				statuses[r.Status] = true
				if math.IsNaN(r.Loss) || math.IsInf(r.Loss, 0) {
					t.Errorf("a %s run has loss %g", r.Status, r.Loss)
				}
			}
			if len(statuses) < 2 || tc.diverges && !statuses[engine.Diverged] {
				t.Errorf("statuses %v: want runs that end in different ways (diverged among them: %t)", statuses, tc.diverges)
			}
			nx := tc.x.N
			for _, k := range []int{0, 1, nx, nx + 2, len(m.Runs) / 2, len(m.Runs) - 1} {
				i, j := k%nx, k/nx
				params := engine.Params{tc.x.Param: m.X[i], tc.y.Param: m.Y[j]}
				opt, _, err := setup.Method.New(params)
				if err != nil {
					t.Fatal(err)
				}
				want := engine.Run(s.TwiceDifferentiable, opt, s.Start, setup.Limits)
				last := len(want.Path) - 1
				if got := m.Runs[k]; got.End != want.Path[last] || got.Loss != want.Loss[last] || got.Steps != last || got.Status != want.Status {
					t.Errorf("cell %d (%s %g, %s %g): ended at %v (loss %g) after %d steps (%s), engine.Run at %v (loss %g) after %d (%s)",
						k, tc.x.Param, m.X[i], tc.y.Param, m.Y[j], got.End, got.Loss, got.Steps, got.Status, want.Path[last], want.Loss[last], last, want.Status)
				}
			}
		})
	}
}

// The swept values override the setup's, which keeps its others.
func TestSweepKeepsFixedParameters(t *testing.T) {
	t.Parallel()
	s, setup := newSetup(t, "bowl", "adam", engine.Params{"lr": 99, "bias_correction": false, "eps": 0.5}, engine.Limits{Steps: 50, Tol: 0})
	x := survey.Axis{Param: "lr", Min: 0.01, Max: 0.1, N: 2, Scale: survey.Linear}
	y := survey.Axis{Param: "beta1", Min: 0, Max: 0.5, N: 2, Scale: survey.Linear}
	m, err := survey.Sweep(context.Background(), setup, s.Start, x, y)
	if err != nil {
		t.Fatal(err)
	}
	opt, _, err := setup.Method.New(engine.Params{"lr": 0.1, "beta1": 0.5, "bias_correction": false, "eps": 0.5})
	if err != nil {
		t.Fatal(err)
	}
	want := engine.Run(s.TwiceDifferentiable, opt, s.Start, setup.Limits)
	if got := m.Runs[3]; got.End != want.Path[len(want.Path)-1] {
		t.Errorf("the last cell ended at %v, want %v", got.End, want.Path[len(want.Path)-1])
	}
}

func TestSweepRejects(t *testing.T) {
	t.Parallel()
	lr := survey.Axis{Param: "lr", Min: 1e-3, Max: 1, N: 8, Scale: survey.Log}
	beta1 := survey.Axis{Param: "beta1", Min: 0, Max: 0.99, N: 8, Scale: survey.Linear}
	with := func(a survey.Axis, change func(*survey.Axis)) survey.Axis {
		change(&a)
		return a
	}
	for _, tc := range []struct {
		name      string
		optimizer string
		x, y      survey.Axis
		field     string // the *AxisError's Axis.Field
		mentions  []string
	}{
		{"unknown parameter", "adam", with(lr, func(a *survey.Axis) { a.Param = "momentum" }), beta1, "x.param", []string{"momentum", "lr", "beta1"}},
		{"no parameter", "adam", lr, with(beta1, func(a *survey.Axis) { a.Param = "" }), "y.param", []string{"required", "beta2"}},
		{"boolean parameter", "adam", lr, with(beta1, func(a *survey.Axis) { a.Param = "bias_correction" }), "y.param", []string{"boolean", "only number and integer"}},
		{"choice parameter", "adam", with(lr, func(a *survey.Axis) { a.Param = "schedule" }), beta1, "x.param", []string{"choice"}},
		{"same parameter twice", "adam", lr, lr, "y.param", []string{"lr", "already swept on x"}},
		{"min out of range", "adam", lr, with(beta1, func(a *survey.Axis) { a.Min = -0.1 }), "y.min", []string{"between 0 and 0.9999", "-0.1"}},
		{"max out of range", "adam", lr, with(beta1, func(a *survey.Axis) { a.Max = 1 }), "y.max", []string{"between 0 and 0.9999", "got 1"}},
		{"max not above min", "adam", with(lr, func(a *survey.Axis) { a.Min, a.Max = 0.5, 0.5 }), beta1, "x.max", []string{"greater than min"}},
		{"NaN min", "adam", with(lr, func(a *survey.Axis) { a.Min = math.NaN() }), beta1, "x.min", []string{"between"}},
		{"log from zero", "adam", with(lr, func(a *survey.Axis) { a.Min = 0 }), beta1, "x.min", []string{"greater than 0", "log"}},
		{"too many values", "adam", lr, with(beta1, func(a *survey.Axis) { a.N = 65 }), "y.n", []string{"2 to 64", "65"}},
		{"one value", "adam", with(lr, func(a *survey.Axis) { a.N = 1 }), beta1, "x.n", []string{"2 to 64"}},
		{"unknown scale", "adam", with(lr, func(a *survey.Axis) { a.Scale = "cubic" }), beta1, "x.scale", []string{`"linear" or "log"`, "cubic"}},
		{"nothing to sweep", "bfgs", lr, beta1, "x.param", []string{"bfgs has no number or integer parameter"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, setup := newSetup(t, "rosenbrock", tc.optimizer, nil, engine.Limits{Steps: 10})
			_, err := survey.Sweep(context.Background(), setup, s.Start, tc.x, tc.y)
			var ae *survey.AxisError
			if !errors.As(err, &ae) {
				t.Fatalf("error %v, want an *AxisError", err)
			}
			if got := ae.Axis + "." + ae.Field; got != tc.field || !strings.HasPrefix(err.Error(), tc.field+": ") {
				t.Errorf("error %q is about %s, want %s", err, got, tc.field)
			}
			for _, w := range tc.mentions {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// notFinite is a function that is NaN everywhere, so that every run diverges
// at its start.
type notFinite struct{}

func (notFinite) Value(surfaces.Point) float64           { return math.NaN() }
func (notFinite) Gradient(surfaces.Point) surfaces.Point { return surfaces.Point{} }

func TestSweepStartNotFinite(t *testing.T) {
	t.Parallel()
	s, setup := newSetup(t, "rosenbrock", "adam", nil, engine.Limits{Steps: 10})
	x := survey.Axis{Param: "lr", Min: 1e-3, Max: 1, N: 2, Scale: survey.Log}
	y := survey.Axis{Param: "beta1", Min: 0, Max: 0.9, N: 2, Scale: survey.Linear}
	if _, err := survey.Sweep(context.Background(), setup, surfaces.Point{2e6, 0}, x, y); err != survey.ErrStartNotFinite {
		t.Errorf("a start beyond the bound: error %v", err)
	}
	setup.F = notFinite{}
	if _, err := survey.Sweep(context.Background(), setup, s.Start, x, y); err != survey.ErrStartNotFinite {
		t.Errorf("f NaN at the start: error %v", err)
	}
}

// Not parallel: it changes GOMAXPROCS for the whole process.
func TestSweepIndependentOfGOMAXPROCS(t *testing.T) {
	s, setup := newSetup(t, "rosenbrock", "momentum", nil, engine.Limits{Steps: 200, Tol: engine.DefaultTol})
	x := survey.Axis{Param: "lr", Min: 1e-4, Max: 0.1, N: 12, Scale: survey.Log}
	y := survey.Axis{Param: "momentum", Min: 0, Max: 0.99, N: 10, Scale: survey.Linear}
	sweep := func() survey.SweepMap {
		m, err := survey.Sweep(context.Background(), setup, s.Start, x, y)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	// Four goroutines, whatever the machine, so that the test compares two
	// schedules even on one core.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	many := sweep()
	if again := sweep(); !reflect.DeepEqual(many, again) {
		t.Error("two identical sweeps differ")
	}
	runtime.GOMAXPROCS(1)
	if one := sweep(); !reflect.DeepEqual(many, one) {
		t.Error("the sweep on one goroutine differs from the one on many")
	}
}

// A run option such as a continuation gets each cell's parameters, so that
// the optimizers of its later stages use the swept values too.
func TestSweepOptionsSeeCellParameters(t *testing.T) {
	t.Parallel()
	s, setup := newSetup(t, "rastrigin", "momentum", nil, engine.Limits{Steps: 300, Tol: engine.DefaultTol})
	continuation := func(p engine.Params) []engine.Option {
		return []engine.Option{engine.WithContinuation(1, 3, func() engine.Optimizer {
			opt, _, err := setup.Method.New(p)
			if err != nil {
				panic(err)
			}
			return opt
		})}
	}
	setup.Options = continuation
	x := survey.Axis{Param: "lr", Min: 1e-3, Max: 0.02, N: 4, Scale: survey.Log}
	y := survey.Axis{Param: "momentum", Min: 0, Max: 0.9, N: 3, Scale: survey.Linear}
	m, err := survey.Sweep(context.Background(), setup, s.Start, x, y)
	if err != nil {
		t.Fatal(err)
	}
	for k := range m.Runs {
		params, err := setup.Method.Resolve(engine.Params{"lr": m.X[k%len(m.X)], "momentum": m.Y[k/len(m.X)]})
		if err != nil {
			t.Fatal(err)
		}
		opt, _, _ := setup.Method.New(params)
		want := engine.Run(s.TwiceDifferentiable, opt, s.Start, setup.Limits, continuation(params)...)
		last := len(want.Path) - 1
		if got := m.Runs[k]; got.End != want.Path[last] || got.Steps != last || got.Status != want.Status {
			t.Errorf("cell %d: ended at %v after %d steps (%s), engine.Run with the continuation at %v after %d (%s)",
				k, got.End, got.Steps, got.Status, want.Path[last], last, want.Status)
		}
	}
}
