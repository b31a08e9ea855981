package engine_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// Rastrigin from its default start (2.3, −1.6): momentum settles in the
// dimple near (1.99, −1.99), while the same optimizer with continuation
// first descends the blurred bowl at σ = 0.5, where the ripples are damped
// by exp(−2π²·0.25) ≈ 0.007, then finishes on the true surface from inside
// the global minimum's basin.
func ExampleWithContinuation() {
	rastrigin, _ := surfaces.Lookup("rastrigin")
	momentum, _ := engine.LookupMethod("momentum")
	fresh := func() engine.Optimizer {
		opt, _, _ := momentum.New(engine.Params{"lr": 0.003})
		return opt
	}
	limits := engine.Limits{Steps: 600, Tol: engine.DefaultTol}

	plain := engine.Run(rastrigin, fresh(), rastrigin.Start, limits)
	blurred := engine.Run(rastrigin, fresh(), rastrigin.Start, limits, engine.WithContinuation(0.5, 2, fresh))
	for _, r := range []engine.Result{plain, blurred} {
		end := r.Path[len(r.Path)-1]
		fmt.Printf("%s after %d steps, %.2f from the origin, f = %.4f\n",
			r.Status, len(r.Path)-1, math.Hypot(end[0], end[1]), r.Loss[len(r.Loss)-1])
	}
	for k := range blurred.Path {
		if k == 0 || blurred.Stage[k] != blurred.Stage[k-1] {
			fmt.Printf("stage %d: σ = %g from θ%d\n", blurred.Stage[k], blurred.Sigma[k], k)
		}
	}
	// Output:
	// converged after 436 steps, 2.81 from the origin, f = 7.9597
	// converged after 441 steps, 0.00 from the origin, f = 0.0000
	// stage 0: σ = 0.5 from θ0
	// stage 1: σ = 0 from θ300
}

// fresh returns a factory of fresh optimizers of the named method with the
// given parameters.
func fresh(tb testing.TB, name string, params engine.Params) func() engine.Optimizer {
	tb.Helper()
	newOptimizer(tb, name, params) // fails the test now rather than mid-run
	return func() engine.Optimizer { return newOptimizer(tb, name, params) }
}

// TestContinuationFindsRastriginsGlobalMinimum pins the point of
// continuation methods: from Rastrigin's default start each optimizer alone
// sticks in a dimple at least 0.5 from the global minimum at the origin,
// and with continuation ends within 0.05 of it.
func TestContinuationFindsRastriginsGlobalMinimum(t *testing.T) {
	t.Parallel()
	s := lookupSurface(t, "rastrigin")
	tests := []struct {
		method string
		params engine.Params
		sigma0 float64
		stages int
		steps  int
	}{
		{method: "momentum", params: engine.Params{"lr": 0.003}, sigma0: 1, stages: 3, steps: 600},
		{method: "momentum", params: engine.Params{"lr": 0.003}, sigma0: 0.5, stages: 2, steps: 600},
		{method: "adam", params: engine.Params{"lr": 0.05}, sigma0: 0.5, stages: 2, steps: 600},
		{method: "adam", params: engine.Params{"lr": 0.05}, sigma0: 2, stages: 4, steps: 300},
		{method: "bfgs", sigma0: 1, stages: 3, steps: 100},
		{method: "newton-ls", sigma0: 1, stages: 3, steps: 100},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %v σ0=%g k=%d", tt.method, tt.params, tt.sigma0, tt.stages), func(t *testing.T) {
			t.Parallel()
			newOpt := fresh(t, tt.method, tt.params)
			limits := engine.Limits{Steps: tt.steps, Tol: engine.DefaultTol}
			plain := engine.Run(s, newOpt(), s.Start, limits)
			checkRunRules(t, s, s.Start, limits, plain)
			if d := distanceFromOrigin(plain); d < 0.5 {
				t.Errorf("without continuation the run ends %s %.3g from the origin; want a local minimum at least 0.5 away", plain.Status, d)
			}
			r := engine.Run(s, newOpt(), s.Start, limits, engine.WithContinuation(tt.sigma0, tt.stages, newOpt))
			checkRunRules(t, s, s.Start, limits, r)
			checkStages(t, r, tt.sigma0, tt.stages, limits)
			if d := distanceFromOrigin(r); d > 0.05 {
				t.Errorf("with continuation the run ends %s %.3g from the origin, want within 0.05", r.Status, d)
			}
		})
	}
}

func distanceFromOrigin(r engine.Result) float64 {
	end := r.Path[len(r.Path)-1]
	return math.Hypot(end[0], end[1])
}

// checkStages checks what the stages of every continuation run satisfy:
// one stage and σ per iterate, stages in order, σⱼ = sigma0/2ʲ before the
// last stage and 0 on it, no stage past the iterate the next one starts at
// by the even split of the steps, and a run that stops for any reason but a
// failed step stopping on the last stage.
func checkStages(tb testing.TB, r engine.Result, sigma0 float64, stages int, limits engine.Limits) {
	tb.Helper()
	if len(r.Stage) != len(r.Path) || len(r.Sigma) != len(r.Path) {
		tb.Fatalf("%d stages and %d σ for %d points, want one each", len(r.Stage), len(r.Sigma), len(r.Path))
	}
	n := limits.Steps / stages
	for k, j := range r.Stage {
		if j < 0 || j >= stages || (k > 0 && j < r.Stage[k-1]) {
			tb.Fatalf("Stage = %v: want stages from 0 to %d, in order", r.Stage, stages-1)
		}
		want := sigma0 / float64(int(1)<<j)
		if j == stages-1 {
			want = 0
		}
		if r.Sigma[k] != want {
			tb.Errorf("θ%d on stage %d has σ = %v, want %v", k, j, r.Sigma[k], want)
		}
		if j < stages-1 && k >= (j+1)*n {
			tb.Errorf("θ%d is on stage %d, which must give way to stage %d at θ%d", k, j, j+1, (j+1)*n)
		}
	}
	if last := r.Stage[len(r.Stage)-1]; last != stages-1 &&
		(r.Status == engine.MaxSteps || r.Status == engine.Converged || r.Status == engine.Stalled) {
		tb.Errorf("the run stopped as %s on stage %d, want only the last stage %d to end the run so", r.Status, last, stages-1)
	}
}

// recorder is an optimizer that moves θ by a fixed step and logs what each
// step was handed. It fails its first step with err, if set. It shows its
// number as its probe, (id, 0.5), and as the learning rate of its State.
type recorder struct {
	id   int
	move engine.Point
	err  error
	log  *[]recordedStep
}

// recordedStep is what a recorder's step was handed.
type recordedStep struct {
	id          int
	f           surfaces.Function
	theta, grad engine.Point
}

func (o *recorder) Step(f surfaces.Function, theta, grad engine.Point) (engine.Point, error) {
	*o.log = append(*o.log, recordedStep{id: o.id, f: f, theta: theta, grad: grad})
	if o.err != nil {
		err := o.err
		o.err = nil
		return engine.Point{}, fmt.Errorf("recorder %d: %w", o.id, err)
	}
	return engine.Point{theta[0] + o.move[0], theta[1] + o.move[1]}, nil
}

func (o *recorder) Probes() []engine.Point { return []engine.Point{{float64(o.id), 0.5}} }

func (o *recorder) State() engine.State {
	id := float64(o.id)
	return engine.State{LR: &id}
}

// recorders returns the first stage's recorder and a factory for those of
// the later stages, numbered 0, 1, 2, … in the order built, all logging to
// log; the recorders numbered in stall fail their first step with
// ErrStalled.
func recorders(log *[]recordedStep, move engine.Point, stall ...int) (engine.Optimizer, func() engine.Optimizer) {
	built := 0
	build := func() engine.Optimizer {
		o := &recorder{id: built, move: move, log: log}
		if slices.Contains(stall, built) {
			o.err = engine.ErrStalled
		}
		built++
		return o
	}
	return build(), build
}

// TestContinuationSchedule checks the σ of each stage and the split of the
// steps among the stages, iterate by iterate, and that each stage steps a
// fresh optimizer on its blurred surface, the last on the surface itself.
func TestContinuationSchedule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		sigma0 float64
		stages int
		steps  int
		stage  []int     // of every iterate
		sigma  []float64 // of every stage
	}{
		{
			name: "10 steps in 3 stages: 3, 3 and 4", sigma0: 2, stages: 3, steps: 10,
			stage: []int{0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2}, sigma: []float64{2, 1, 0},
		},
		{
			name: "9 steps in 3 stages: 3 each", sigma0: 0.3, stages: 3, steps: 9,
			stage: []int{0, 0, 0, 1, 1, 1, 2, 2, 2, 2}, sigma: []float64{0.3, 0.15, 0},
		},
		{
			name: "20 steps in 5 stages", sigma0: 2.5, stages: 5, steps: 20,
			stage: []int{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4},
			sigma: []float64{2.5, 1.25, 0.625, 0.3125, 0},
		},
		{
			name: "7 steps in 2 stages: the remainder to the last", sigma0: 1, stages: 2, steps: 7,
			stage: []int{0, 0, 0, 1, 1, 1, 1, 1}, sigma: []float64{1, 0},
		},
		{
			name: "fewer steps than stages: all on the surface", sigma0: 1, stages: 3, steps: 2,
			stage: []int{2, 2, 2}, sigma: []float64{1, 0.5, 0},
		},
		{
			name: "no steps", sigma0: 1, stages: 2, steps: 0,
			stage: []int{1}, sigma: []float64{1, 0},
		},
		{
			name: "one stage is the plain surface", sigma0: 3, stages: 1, steps: 4,
			stage: []int{0, 0, 0, 0, 0}, sigma: []float64{0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &surfaces.Rastrigin{}
			start := engine.Point{0.3, -0.2}
			limits := engine.Limits{Steps: tt.steps, Tol: engine.DefaultTol}
			var log []recordedStep
			opt, later := recorders(&log, engine.Point{0.01, 0.02})
			r := engine.Run(f, opt, start, limits, engine.WithContinuation(tt.sigma0, tt.stages, later), engine.WithTrace())
			checkRunRules(t, f, start, limits, r)
			checkStages(t, r, tt.sigma0, tt.stages, limits)
			if r.Status != engine.MaxSteps || !slices.Equal(r.Stage, tt.stage) {
				t.Fatalf("%s with stages %v, want %s with %v", r.Status, r.Stage, engine.MaxSteps, tt.stage)
			}
			for k, j := range r.Stage {
				if r.Sigma[k] != tt.sigma[j] {
					t.Errorf("θ%d on stage %d has σ = %v, want %v exactly", k, j, r.Sigma[k], tt.sigma[j])
				}
			}
			if len(log) != tt.steps {
				t.Fatalf("%d steps taken, want %d", len(log), tt.steps)
			}
			for k, step := range log {
				j := r.Stage[k]
				if step.id != j {
					t.Errorf("the step from θ%d, on stage %d, was taken by optimizer %d: want a fresh one per stage", k, j, step.id)
				}
				if j == tt.stages-1 {
					if step.f != surfaces.Function(f) {
						t.Errorf("the step from θ%d, on the last stage, was on %#v, want the surface itself", k, step.f)
					}
				} else if b, ok := step.f.(*surfaces.Blurred); !ok || b.Sigma() != tt.sigma[j] {
					t.Errorf("the step from θ%d, on stage %d, was on %#v, want the surface blurred by σ = %g", k, j, step.f, tt.sigma[j])
				}
				if want := step.f.Gradient(step.theta); step.grad != want || step.theta != r.Path[k] {
					t.Errorf("the step from θ%d = %v was handed %v at %v, want the gradient %v of its stage's surface",
						k, r.Path[k], step.grad, step.theta, want)
				}
				if lr := r.Trace[k].State.LR; lr == nil || *lr != float64(j) {
					t.Errorf("the trace of θ%d, on stage %d, shows the state %+v, want that of optimizer %d", k, j, r.Trace[k].State, j)
				}
			}
			// The probes of the step to θₖ₊₁ are those of the optimizer of θₖ's stage.
			if len(r.Evals) != tt.steps {
				t.Errorf("%d probes, want one per step", len(r.Evals))
			}
			for _, e := range r.Evals {
				if k := int(e[0]); int(e[1]) != r.Stage[k-1] {
					t.Errorf("the step to θ%d, on stage %d, probed %v, which optimizer %g did", k, r.Stage[k-1], e[1:], e[1])
				}
			}
		})
	}
}

// tiltedQuartic is f(x, y) = x⁴/4 − x + y²/2, whose blurred minimum moves
// with σ: ∇J_σ = (x³ + 3σ²x − 1, y), so the blurs do not share their
// minimizer as those of a quadratic do.
type tiltedQuartic struct{}

func (tiltedQuartic) Value(p engine.Point) float64 {
	return p[0]*p[0]*p[0]*p[0]/4 - p[0] + p[1]*p[1]/2
}
func (tiltedQuartic) Gradient(p engine.Point) engine.Point {
	return engine.Point{p[0]*p[0]*p[0] - 1, p[1]}
}
func (tiltedQuartic) Hessian(p engine.Point) surfaces.Hessian {
	return surfaces.Hessian{XX: 3 * p[0] * p[0], YY: 1}
}

// TestContinuationStagesEndEarly checks that a blurred stage ends as soon as
// its gradient is below the tolerance or its line search stalls, handing its
// unused steps to the next stage, and that only the last stage ends the run.
func TestContinuationStagesEndEarly(t *testing.T) {
	t.Parallel()
	limits := engine.Limits{Steps: 9, Tol: engine.DefaultTol}
	start := engine.Point{1, -2}

	t.Run("converged on every blur at once", func(t *testing.T) {
		t.Parallel()
		// Every blur of the bowl is the bowl plus 2σ², so Newton's first
		// step lands on the minimum of every stage, and of the bowl: the
		// run converges at θ₁ on the last stage.
		f := &surfaces.Bowl{}
		r := engine.Run(f, newOptimizer(t, "newton", nil), start, limits,
			engine.WithContinuation(1, 3, fresh(t, "newton", nil)))
		checkRunRules(t, f, start, limits, r)
		checkStages(t, r, 1, 3, limits)
		if r.Status != engine.Converged || !slices.Equal(r.Stage, []int{0, 2}) {
			t.Errorf("%s with stages %v, want %s with [0 2]", r.Status, r.Stage, engine.Converged)
		}
	})

	t.Run("converged on the first blur", func(t *testing.T) {
		t.Parallel()
		// Newton finds the minimum of J₁ = J blurred by σ = 1 in a few
		// steps, well before θ₁₀; stage 1 then takes over there and keeps
		// its own end, θ₂₀, recorders moving too little to converge.
		f := tiltedQuartic{}
		limits := engine.Limits{Steps: 30, Tol: engine.DefaultTol}
		var log []recordedStep
		_, later := recorders(&log, engine.Point{1e-3, 0}) // Newton takes the first stage
		r := engine.Run(f, newOptimizer(t, "newton", nil), start, limits, engine.WithContinuation(1, 3, later))
		checkRunRules(t, f, start, limits, r)
		checkStages(t, r, 1, 3, limits)
		m := slices.Index(r.Stage, 1)
		if m < 1 || m >= 10 {
			t.Fatalf("stages %v: want stage 0 to end before θ10", r.Stage)
		}
		blurred := surfaces.NewBlurred(f, 1)
		if g := blurred.Gradient(r.Path[m]); math.Hypot(g[0], g[1]) >= limits.Tol {
			t.Errorf("stage 0 ended at θ%d, where ‖∇J₁‖ = %g is not below tol", m, math.Hypot(g[0], g[1]))
		}
		if g := blurred.Gradient(r.Path[m-1]); math.Hypot(g[0], g[1]) < limits.Tol {
			t.Errorf("stage 0 went on past θ%d, where ‖∇J₁‖ = %g is below tol", m-1, math.Hypot(g[0], g[1]))
		}
		for k, j := range r.Stage[m:] {
			if want := 1 + min(1, (m+k)/20); j != want {
				t.Errorf("θ%d is on stage %d, want %d", m+k, j, want)
			}
		}
		if r.Status != engine.MaxSteps || len(r.Path) != 31 {
			t.Errorf("%s after %d points, want %s after 31", r.Status, len(r.Path), engine.MaxSteps)
		}
	})

	t.Run("stalled on a blur", func(t *testing.T) {
		t.Parallel()
		// Recorder 0 stalls at θ₀: stage 1 takes the step from there instead,
		// and keeps its own end, θ₆.
		var log []recordedStep
		opt, later := recorders(&log, engine.Point{0.01, 0}, 0)
		r := engine.Run(&surfaces.Bowl{}, opt, start, limits, engine.WithContinuation(1, 3, later))
		checkRunRules(t, &surfaces.Bowl{}, start, limits, r)
		checkStages(t, r, 1, 3, limits)
		if want := []int{1, 1, 1, 1, 1, 1, 2, 2, 2, 2}; r.Status != engine.MaxSteps || !slices.Equal(r.Stage, want) {
			t.Errorf("%s with stages %v, want %s with %v", r.Status, r.Stage, engine.MaxSteps, want)
		}
		if len(log) != 10 || log[0].id != 0 || log[1].id != 1 || log[1].theta != start {
			t.Errorf("steps taken by %v, want recorder 0 to fail at θ0 and recorder 1 to step from there", log)
		}
	})

	t.Run("stalled on the surface", func(t *testing.T) {
		t.Parallel()
		// Recorder 2 stalls at θ₆, on the last stage: that ends the run.
		var log []recordedStep
		opt, later := recorders(&log, engine.Point{0.01, 0}, 2)
		r := engine.Run(&surfaces.Bowl{}, opt, start, limits, engine.WithContinuation(1, 3, later))
		checkRunRules(t, &surfaces.Bowl{}, start, limits, r)
		checkStages(t, r, 1, 3, limits)
		if want := []int{0, 0, 0, 1, 1, 1, 2}; r.Status != engine.Stalled || !slices.Equal(r.Stage, want) {
			t.Errorf("%s with stages %v, want %s with %v", r.Status, r.Stage, engine.Stalled, want)
		}
	})
}

// TestContinuationRunRules runs every optimizer with continuation over
// surfaces of every kind and checks the run rules and the stages; the loss
// of every iterate must be f itself, not its blur.
func TestContinuationRunRules(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"rastrigin", "himmelblau", "rosenbrock", "six-hump-camel"} {
		s := lookupSurface(t, name)
		for _, m := range engine.Methods() {
			for _, tol := range []float64{engine.DefaultTol, 0} {
				t.Run(fmt.Sprintf("%s/%s/tol=%g", name, m.Name, tol), func(t *testing.T) {
					t.Parallel()
					limits := engine.Limits{Steps: 90, Tol: tol}
					newOpt := fresh(t, m.Name, nil)
					r := engine.Run(s, newOpt(), s.Start, limits, engine.WithContinuation(0.4, 3, newOpt))
					checkRunRules(t, s, s.Start, limits, r)
					checkStages(t, r, 0.4, 3, limits)
				})
			}
		}
	}

	t.Run("diverged", func(t *testing.T) {
		t.Parallel()
		// As without continuation (see TestRunRules): θ ← −2θ on every blur
		// of the bowl, and θ₂₀ is left out, still on stage 0.
		f := &surfaces.Bowl{}
		start := engine.Point{1, 1}
		limits := engine.Limits{Steps: 100, Tol: engine.DefaultTol}
		params := engine.Params{"lr": 1.5}
		r := engine.Run(f, newOptimizer(t, "sgd", params), start, limits, engine.WithContinuation(1, 2, fresh(t, "sgd", params)))
		checkRunRules(t, f, start, limits, r)
		checkStages(t, r, 1, 2, limits)
		if r.Status != engine.Diverged || len(r.Path) != 20 || r.Stage[19] != 0 {
			t.Errorf("%s after %d points with stages %v, want %s after 20 on stage 0", r.Status, len(r.Path), r.Stage, engine.Diverged)
		}
	})
}

// TestContinuationDeterministic runs the same continuation twice, tracing
// and averaging, and wants the same bits.
func TestContinuationDeterministic(t *testing.T) {
	t.Parallel()
	s := lookupSurface(t, "rastrigin")
	limits := engine.Limits{Steps: 200, Tol: engine.DefaultTol}
	for _, method := range []string{"adam", "bfgs"} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			run := func() engine.Result {
				newOpt := fresh(t, method, nil)
				return engine.Run(s, newOpt(), s.Start, limits,
					engine.WithContinuation(1.5, 4, newOpt), engine.WithTrace(), engine.WithPolyakAverage())
			}
			a, b := run(), run()
			if a.Status != b.Status || len(a.Path) != len(b.Path) || !slices.Equal(a.Stage, b.Stage) {
				t.Fatalf("runs end %s after %d points on stages %v, then %s after %d on %v",
					a.Status, len(a.Path), a.Stage, b.Status, len(b.Path), b.Stage)
			}
			for k := range a.Path {
				if bits(a.Path[k][0]) != bits(b.Path[k][0]) || bits(a.Path[k][1]) != bits(b.Path[k][1]) ||
					bits(a.Loss[k]) != bits(b.Loss[k]) || bits(a.Sigma[k]) != bits(b.Sigma[k]) ||
					a.Average[k] != b.Average[k] || a.Trace[k].Gradient != b.Trace[k].Gradient {
					t.Fatalf("θ%d: %v (%v, σ %v) then %v (%v, σ %v)", k, a.Path[k], a.Loss[k], a.Sigma[k], b.Path[k], b.Loss[k], b.Sigma[k])
				}
			}
			// The average runs over every stage: its last is the mean of the path.
			var sum engine.Point
			for _, p := range a.Path {
				sum = engine.Point{sum[0] + p[0], sum[1] + p[1]}
			}
			n := float64(len(a.Path))
			if got := a.Average[len(a.Average)-1]; !nearPoint(got, engine.Point{sum[0] / n, sum[1] / n}, 1e-12) {
				t.Errorf("the last average is %v, want the mean %v of the whole path", got, engine.Point{sum[0] / n, sum[1] / n})
			}
		})
	}
}

// TestContinuationTrajectoryMatchesRun checks that a Trajectory yields the
// stage and σ of every iterate as Run collects them.
func TestContinuationTrajectoryMatchesRun(t *testing.T) {
	t.Parallel()
	s := lookupSurface(t, "rastrigin")
	limits := engine.Limits{Steps: 60, Tol: engine.DefaultTol}
	newOpt := fresh(t, "adam", engine.Params{"lr": 0.05})
	want := engine.Run(s, newOpt(), s.Start, limits, engine.WithContinuation(1, 3, newOpt))
	tr := engine.NewTrajectory(s, newOpt(), s.Start, limits, engine.WithContinuation(1, 3, newOpt))
	k := 0
	for ; tr.Next(); k++ {
		it := tr.Iterate()
		if k >= len(want.Path) || it.Theta != want.Path[k] || it.Stage != want.Stage[k] || it.Sigma != want.Sigma[k] {
			t.Fatalf("iterate %d = %+v, Run has θ %v on stage %d with σ %v", k, it, want.Path[k], want.Stage[k], want.Sigma[k])
		}
	}
	if k != len(want.Path) || tr.Status() != want.Status {
		t.Errorf("Trajectory gave %d iterates and %s, Run %d and %s", k, tr.Status(), len(want.Path), want.Status)
	}
	// Without continuation nothing is recorded.
	plain := engine.Run(s, newOpt(), s.Start, limits)
	if plain.Stage != nil || plain.Sigma != nil {
		t.Errorf("a plain run has stages %v and σ %v, want nil", plain.Stage, plain.Sigma)
	}
}

// plainFunction is the bowl with no Hessian, which cannot be blurred.
type plainFunction struct{}

func (plainFunction) Value(p engine.Point) float64 { return new(surfaces.Bowl).Value(p) }
func (plainFunction) Gradient(p engine.Point) engine.Point {
	return new(surfaces.Bowl).Gradient(p)
}

func TestContinuationMisuse(t *testing.T) {
	t.Parallel()
	newOpt := func() engine.Optimizer { return &engine.SGD{LR: 0.1} }
	tests := []struct {
		name string
		call func()
	}{
		{"sigma0 0", func() { engine.WithContinuation(0, 3, newOpt) }},
		{"sigma0 negative", func() { engine.WithContinuation(-1, 3, newOpt) }},
		{"sigma0 NaN", func() { engine.WithContinuation(math.NaN(), 3, newOpt) }},
		{"sigma0 too large", func() { engine.WithContinuation(surfaces.MaxBlurSigma*1.01, 3, newOpt) }},
		{"no stages", func() { engine.WithContinuation(1, 0, newOpt) }},
		{"too many stages", func() { engine.WithContinuation(1, engine.MaxContinuationStages+1, newOpt) }},
		{"no factory", func() { engine.WithContinuation(1, 3, nil) }},
		{"no Hessian", func() {
			engine.NewTrajectory(plainFunction{}, newOpt(), engine.Point{1, 1}, engine.Limits{Steps: 3},
				engine.WithContinuation(1, 3, newOpt))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if recover() == nil {
					t.Errorf("no panic")
				}
			}()
			tt.call()
		})
	}
	// The limits themselves are allowed.
	engine.WithContinuation(surfaces.MaxBlurSigma, engine.MaxContinuationStages, newOpt)
}

// BenchmarkContinuation measures a continuation run on Rastrigin against
// the same run without.
func BenchmarkContinuation(b *testing.B) {
	s, _ := surfaces.Lookup("rastrigin")
	newOpt := fresh(b, "momentum", engine.Params{"lr": 0.003})
	limits := engine.Limits{Steps: 600, Tol: 0}
	for _, c := range []struct {
		name   string
		sigma0 float64
		stages int
	}{{"plain", 0, 0}, {"σ0=0.5,k=2", 0.5, 2}, {"σ0=1,k=3", 1, 3}, {"σ0=2,k=4", 2, 4}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				var opts []engine.Option
				if c.stages > 0 {
					opts = append(opts, engine.WithContinuation(c.sigma0, c.stages, newOpt))
				}
				engine.Run(s, newOpt(), s.Start, limits, opts...)
			}
		})
	}
}

// TestContinuationAllocations checks that a continuation run allocates only
// when it enters a stage, not per iterate: the blurred surfaces allocate
// nothing per call. It is not parallel: testing.AllocsPerRun must not be.
func TestContinuationAllocations(t *testing.T) {
	s := lookupSurface(t, "rastrigin")
	newOpt := fresh(t, "adam", nil)
	allocs := func(steps int) float64 {
		return testing.AllocsPerRun(3, func() {
			tr := engine.NewTrajectory(s.TwiceDifferentiable, newOpt(), s.Start, engine.Limits{Steps: steps},
				engine.WithContinuation(0.1, 3, newOpt))
			for tr.Next() {
			}
		})
	}
	if few, many := allocs(10), allocs(3000); many != few {
		t.Errorf("a continuation run of 10 steps allocates %v times and one of 3000 %v times; want the same", few, many)
	}
}
