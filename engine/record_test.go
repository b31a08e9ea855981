package engine_test

import (
	"encoding/json"
	"math"
	"slices"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// TestTrace runs every optimizer of the catalogue over several surfaces with
// tracing and checks that each iterate's trace has ∇f there and the step to
// the next iterate exactly, that tracing changes nothing else and that the
// trace encodes as JSON.
func TestTrace(t *testing.T) {
	t.Parallel()
	limits := engine.Limits{Steps: 60, Tol: engine.DefaultTol}
	for _, name := range []string{"bowl", "saddle", "rosenbrock", "himmelblau", "deep-linear"} {
		s := lookupSurface(t, name)
		for _, m := range engine.Methods() {
			t.Run(s.Name+"/"+m.Name, func(t *testing.T) {
				t.Parallel()
				plain := engine.Run(s, newOptimizer(t, m.Name, nil), s.Start, limits)
				r := engine.Run(s, newOptimizer(t, m.Name, nil), s.Start, limits, engine.WithTrace())
				checkRunRules(t, s, s.Start, limits, r)
				if !samePath(plain, r) || !slices.Equal(plain.Evals, r.Evals) {
					t.Fatalf("tracing changes the run: %s with %d points, untraced %s with %d",
						r.Status, len(r.Path), plain.Status, len(plain.Path))
				}
				last := len(r.Path) - 1
				for k, tr := range r.Trace {
					if g := s.Gradient(r.Path[k]); tr.Gradient != g {
						t.Errorf("Trace[%d].Gradient = %v, want ∇f = %v", k, tr.Gradient, g)
					}
					switch {
					case k == last && tr.Step != nil:
						t.Errorf("the last iterate has step %v, want nil", *tr.Step)
					case k < last && tr.Step == nil:
						t.Errorf("Trace[%d].Step is nil", k)
					case k < last:
						want := engine.Point{r.Path[k+1][0] - r.Path[k][0], r.Path[k+1][1] - r.Path[k][1]}
						if *tr.Step != want {
							t.Errorf("Trace[%d].Step = %v, want θₖ₊₁ − θₖ = %v", k, *tr.Step, want)
						}
					}
				}
				if _, err := json.Marshal(r.Trace); err != nil {
					t.Errorf("the trace does not encode: %v", err)
				}
			})
		}
	}
}

// TestStateIdentities checks along runs over rosenbrock that each method's
// state says what multiplies what: the step taken is −EffectiveLR times the
// gradient (AdaGrad, RMSProp) or the first moment (Adam), the velocity
// (momentum methods), and so on.
func TestStateIdentities(t *testing.T) {
	t.Parallel()
	s := lookupSurface(t, "rosenbrock")
	// step returns what the state says the step from θ was, and the
	// velocity before it is needed for the Nesterov methods.
	tests := []struct {
		method string
		params engine.Params
		step   func(st engine.State, theta, prevV engine.Point, p engine.Params) engine.Point
	}{
		{"sgd", nil, func(st engine.State, _, _ engine.Point, _ engine.Params) engine.Point {
			return scale(-*st.LR, *st.UpdateGradient)
		}},
		{"momentum", nil, func(st engine.State, _, _ engine.Point, _ engine.Params) engine.Point { return *st.Velocity }},
		{"nesterov", nil, func(st engine.State, _, _ engine.Point, _ engine.Params) engine.Point { return *st.Velocity }},
		{"adagrad", nil, func(st engine.State, _, _ engine.Point, _ engine.Params) engine.Point {
			return mul(scale(-1, *st.EffectiveLR), *st.UpdateGradient)
		}},
		{"rmsprop", nil, func(st engine.State, _, _ engine.Point, _ engine.Params) engine.Point {
			return mul(scale(-1, *st.EffectiveLR), *st.UpdateGradient)
		}},
		{"rmsprop-nesterov", nil, func(st engine.State, _, prevV engine.Point, p engine.Params) engine.Point {
			// v = momentum·v − EffectiveLR ⊙ g, and the step is v.
			v := add(scale(p.Float("momentum"), prevV), mul(scale(-1, *st.EffectiveLR), *st.UpdateGradient))
			if !nearPoint(v, *st.Velocity, 1e-12) {
				return engine.Point{math.NaN(), math.NaN()}
			}
			return v
		}},
		{"adam", nil, func(st engine.State, _, _ engine.Point, _ engine.Params) engine.Point {
			return mul(scale(-1, *st.EffectiveLR), *st.FirstMoment)
		}},
		{"adam", engine.Params{"bias_correction": false}, func(st engine.State, _, _ engine.Point, _ engine.Params) engine.Point {
			return mul(scale(-1, *st.EffectiveLR), *st.FirstMoment)
		}},
		{"adamw", engine.Params{"weight_decay": 0.5}, func(st engine.State, theta, _ engine.Point, p engine.Params) engine.Point {
			return add(mul(scale(-1, *st.EffectiveLR), *st.FirstMoment), scale(-*st.LR*p.Float("weight_decay"), theta))
		}},
		{"newton", engine.Params{"alpha": 1}, func(st engine.State, _, _ engine.Point, _ engine.Params) engine.Point {
			return *st.Direction
		}},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			t.Parallel()
			m, _ := engine.LookupMethod(tt.method)
			opt, p, err := m.New(tt.params)
			if err != nil {
				t.Fatal(err)
			}
			r := engine.Run(s, opt, s.Start, engine.Limits{Steps: 50}, engine.WithTrace())
			var prevV engine.Point
			for k := range len(r.Path) - 1 {
				st := r.Trace[k].State
				got := tt.step(st, r.Path[k], prevV, p)
				if !nearPoint(got, *r.Trace[k].Step, 1e-9) {
					t.Fatalf("step %d: the state %+v gives a step %v, the run took %v", k, st, got, *r.Trace[k].Step)
				}
				if st.Velocity != nil {
					prevV = *st.Velocity
				}
			}
		})
	}
}

func scale(a float64, p engine.Point) engine.Point { return engine.Point{a * p[0], a * p[1]} }
func mul(p, q engine.Point) engine.Point           { return engine.Point{p[0] * q[0], p[1] * q[1]} }
func add(p, q engine.Point) engine.Point           { return engine.Point{p[0] + q[0], p[1] + q[1]} }

func nearPoint(got, want engine.Point, rel float64) bool {
	return near(got[0], want[0], rel) && near(got[1], want[1], rel)
}

// TestTraceJSON pins the JSON of a trace: two steps of gradient descent with
// lr 0.25 on the bowl from (1, −2), and Newton's step on the saddle, where
// H = diag(2, −2) has eigenvalues −2 and 2 along y and x.
func TestTraceJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		method string
		params engine.Params
		f      surfaces.Function
		want   string
	}{
		{"sgd", "sgd", engine.Params{"lr": 0.25}, &surfaces.Bowl{}, `[` +
			`{"gradient":[2,-4],"step":[-0.5,1],"state":{"lr":0.25,"update_gradient":[2,-4]}},` +
			`{"gradient":[1,-2],"step":[-0.25,0.5],"state":{"lr":0.25,"update_gradient":[1,-2]}},` +
			`{"gradient":[0.5,-1],"state":{}}]`},
		{"momentum", "momentum", engine.Params{"lr": 0.25, "momentum": 0.5}, plane{1, -1}, `[` +
			`{"gradient":[1,-1],"step":[-0.25,0.25],"state":{"lr":0.25,"update_gradient":[1,-1],"velocity":[-0.25,0.25]}},` +
			`{"gradient":[1,-1],"step":[-0.375,0.375],"state":{"lr":0.25,"update_gradient":[1,-1],"velocity":[-0.375,0.375]}},` +
			`{"gradient":[1,-1],"state":{}}]`},
		{"newton", "newton", nil, quadratic{2, 0, -2}, `[` +
			`{"gradient":[2,4],"step":[-1,2],"state":{"hessian":{"XX":2,"XY":0,"YY":-2},` +
			`"eigenvalues":[-2,2],"eigenvectors":[[0,1],[1,0]],"direction":[-1,2]}},` +
			`{"gradient":[0,0],"state":{}}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := engine.Run(tt.f, newOptimizer(t, tt.method, tt.params), engine.Point{1, -2}, engine.Limits{Steps: 2, Tol: 1e-8}, engine.WithTrace())
			got, err := json.Marshal(r.Trace)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("trace\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestTraceDropsNonFinite checks that a state field holding a non-finite
// number is left out, so that the trace still encodes: AdaGrad with eps 0
// on a plane with no y slope has r = 0 in y, where lr/(eps + √r) = +Inf.
func TestTraceDropsNonFinite(t *testing.T) {
	t.Parallel()
	r := runPath(t, "adagrad", engine.Params{"eps": 0}, plane{1, 0}, engine.Point{0, 0}, engine.Limits{Steps: 2}, engine.WithTrace())
	st := r.Trace[0].State
	if st.EffectiveLR != nil || st.SecondMoment == nil || st.LR == nil {
		t.Errorf("state %+v: want the effective learning rate left out and the rest kept", st)
	}
	if _, err := json.Marshal(r.Trace); err != nil {
		t.Error(err)
	}
}

// TestProbes checks that the probes of a step come with the iterate it
// leads to, in Iterate.Probes and as [k, x, y] in Result.Evals, copied from
// the prober's reused slice, also through the decorators.
func TestProbes(t *testing.T) {
	t.Parallel()
	// The prober halves θ from (1, 0) and first tries 0.9x and 0.8x, with
	// the step's number as y.
	want := [][3]float64{
		{1, 0.9, 1}, {1, 0.8, 1},
		{2, 0.45, 2}, {2, 0.4, 2},
		{3, 0.225, 3}, {3, 0.2, 3},
	}
	for _, wrap := range []bool{false, true} {
		var opt engine.Optimizer = &prober{}
		if wrap {
			opt = engine.NewNoisy(engine.NewClipped(opt, 1e9), 0, 1)
		}
		r := engine.Run(&surfaces.Bowl{}, opt, engine.Point{1, 0}, engine.Limits{Steps: 3})
		if !slices.Equal(r.Evals, want) {
			t.Errorf("wrapped %v: Evals = %v, want %v", wrap, r.Evals, want)
		}
	}
	tr := engine.NewTrajectory(&surfaces.Bowl{}, &prober{}, engine.Point{1, 0}, engine.Limits{Steps: 3})
	var probes [][]engine.Point
	for tr.Next() {
		probes = append(probes, tr.Iterate().Probes)
	}
	if probes[0] != nil {
		t.Errorf("the start has probes %v, want nil", probes[0])
	}
	for k := 1; k < len(probes); k++ {
		for i, p := range probes[k] {
			if e := want[2*(k-1)+i]; p != (engine.Point{e[1], e[2]}) {
				t.Errorf("iterate %d probe %d = %v, want %v", k, i, p, e[1:])
			}
		}
	}
	// Methods without probes give none.
	if r := engine.Run(&surfaces.Bowl{}, newOptimizer(t, "adam", nil), engine.Point{1, 0}, engine.Limits{Steps: 3}); r.Evals != nil {
		t.Errorf("adam has evals %v", r.Evals)
	}
}

// TestTracedStepAllocations checks that tracing costs a run one allocation
// per iterate, for the trace, its step and its state together, with every
// optimizer of the catalogue and through the decorators of the knobs: a
// traced run allocates as many times as the same run untraced plus once per
// iterate. It is not parallel: testing.AllocsPerRun must not be.
func TestTracedStepAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not exact under the race detector: gonum's line searches use a sync.Pool, which it empties at random")
	}
	s := lookupSurface(t, "himmelblau")
	collectFirst()
	var f surfaces.Function = s.TwiceDifferentiable
	type method struct {
		name   string
		params engine.Params
	}
	var methods []method
	for _, m := range engine.Methods() {
		methods = append(methods, method{m.Name, nil})
	}
	methods = append(methods, method{"adam", engine.Params{"clip": 1, "noise": 1, "schedule": "cosine"}})
	for _, m := range methods {
		var iterates int
		allocs := func(opts ...engine.Option) float64 {
			// Ten runs, so that the odd allocation of a garbage collection
			// that falls in one of them is rounded away.
			return testing.AllocsPerRun(10, func() {
				tr := engine.NewTrajectory(f, newOptimizer(t, m.name, m.params), s.Start, engine.Limits{Steps: 100}, opts...)
				for iterates = 0; tr.Next(); iterates++ {
				}
			})
		}
		if plain, traced := allocs(), allocs(engine.WithTrace()); traced != plain+float64(iterates) {
			t.Errorf("%s %v: a traced run of %d iterates allocates %v times, untraced %v times; want once more per iterate",
				m.name, m.params, iterates, traced, plain)
		}
	}
}

// TestTraceKeepsItsValues checks that the trace of an iterate, which a
// consumer keeps by copying *Iterate.Trace, still says what it said when it
// was yielded after the run has gone on: nothing it points to is shared with
// the optimizer or with the trace of another iterate.
func TestTraceKeepsItsValues(t *testing.T) {
	t.Parallel()
	s := lookupSurface(t, "rosenbrock")
	for _, m := range engine.Methods() {
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			tr := engine.NewTrajectory(s, newOptimizer(t, m.Name, nil), s.Start, engine.Limits{Steps: 30}, engine.WithTrace())
			var kept []engine.Trace
			var when []string
			for tr.Next() {
				trace := *tr.Iterate().Trace
				b, err := json.Marshal(trace)
				if err != nil {
					t.Fatal(err)
				}
				kept, when = append(kept, trace), append(when, string(b))
			}
			for k, trace := range kept {
				if b, _ := json.Marshal(trace); string(b) != when[k] {
					t.Errorf("Trace[%d] is\n%s\nafter the run, was\n%s\nwhen yielded", k, b, when[k])
				}
			}
		})
	}
}
