package engine_test

import (
	"math"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

func TestScheduleLRAt(t *testing.T) {
	t.Parallel()
	// lr 0.1 and lr_final 0.001 over 100 steps, or gamma 0.5.
	linear := engine.Schedule{Kind: "linear", LR: 0.1, Final: 0.001, DecaySteps: 100}
	cosine := engine.Schedule{Kind: "cosine", LR: 0.1, Final: 0.001, DecaySteps: 100}
	exponential := engine.Schedule{Kind: "exponential", LR: 0.1, Gamma: 0.5}
	step := engine.Schedule{Kind: "step", LR: 0.1, Gamma: 0.5, StepSize: 10}
	constant := engine.Schedule{Kind: "constant", LR: 0.1, Final: 0.001, DecaySteps: 100, Gamma: 0.5, StepSize: 10}
	tests := []struct {
		name     string
		schedule engine.Schedule
		k        int
		want     float64
	}{
		{"constant start", constant, 0, 0.1},
		{"constant later", constant, 1000, 0.1},
		// a = k/100: lrₖ = (1 − a)·0.1 + a·0.001.
		{"linear start", linear, 0, 0.1},
		{"linear quarter", linear, 25, 0.75*0.1 + 0.25*0.001}, // 0.07525
		{"linear half", linear, 50, 0.0505},
		{"linear end", linear, 100, 0.001},
		{"linear beyond", linear, 150, 0.001},
		{"linear long beyond", linear, 100000, 0.001},
		// lrₖ = 0.1·0.5ᵏ.
		{"exponential start", exponential, 0, 0.1},
		{"exponential 1", exponential, 1, 0.05},
		{"exponential 3", exponential, 3, 0.0125},
		{"exponential 10", exponential, 10, 0.1 / 1024},
		// lrₖ = 0.1·0.5^⌊k/10⌋.
		{"step start", step, 0, 0.1},
		{"step before the first drop", step, 9, 0.1},
		{"step first drop", step, 10, 0.05},
		{"step before the second drop", step, 19, 0.05},
		{"step second drop", step, 20, 0.025},
		{"step 35", step, 35, 0.0125},
		// lrₖ = 0.001 + 0.099·(1 + cos(π·k/100))/2.
		{"cosine start", cosine, 0, 0.1},
		{"cosine quarter", cosine, 25, 0.001 + 0.099*(1+math.Sqrt2/2)/2}, // cos(π/4) = √2/2
		{"cosine half", cosine, 50, 0.0505},                              // cos(π/2) = 0
		{"cosine three quarters", cosine, 75, 0.001 + 0.099*(1-math.Sqrt2/2)/2},
		{"cosine end", cosine, 100, 0.001}, // cos(π) = −1
		{"cosine beyond", cosine, 250, 0.001},
		// lr_final above lr warms up instead.
		{"linear warm-up", engine.Schedule{Kind: "linear", LR: 0.01, Final: 0.1, DecaySteps: 10}, 5, 0.055},
		// gamma 0 gives lr, then nothing: 0⁰ = 1.
		{"exponential gamma 0 start", engine.Schedule{Kind: "exponential", LR: 0.1}, 0, 0.1},
		{"exponential gamma 0 later", engine.Schedule{Kind: "exponential", LR: 0.1}, 1, 0},
		// One decay step reaches lr_final at once.
		{"linear one step", engine.Schedule{Kind: "linear", LR: 0.1, Final: 0.001, DecaySteps: 1}, 1, 0.001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.schedule.LRAt(tt.k); !near(got, tt.want, 1e-14) {
				t.Errorf("LRAt(%d) = %.17g, want %.17g", tt.k, got, tt.want)
			}
		})
	}
}

// TestScheduledRuns checks that every first-order method steps with the
// scheduled learning rate: its state shows lrₖ at step k, and gradient
// descent on a plane steps by exactly −lrₖ·g.
func TestScheduledRuns(t *testing.T) {
	t.Parallel()
	params := engine.Params{"lr": 0.01, "lr_final": 0.002, "decay_steps": 8, "gamma": 0.8, "step_size": 3}
	schedule := func(kind string) engine.Schedule {
		return engine.Schedule{Kind: kind, LR: 0.01, Final: 0.002, DecaySteps: 8, Gamma: 0.8, StepSize: 3}
	}
	for _, name := range firstOrder {
		for _, kind := range []string{"constant", "linear", "exponential", "step", "cosine"} {
			t.Run(name+"/"+kind, func(t *testing.T) {
				t.Parallel()
				p := engine.Params{"schedule": kind}
				for k, v := range params {
					p[k] = v
				}
				r := runPath(t, name, p, &surfaces.Bowl{}, engine.Point{1, -2}, engine.Limits{Steps: 12}, engine.WithTrace())
				if len(r.Trace) != 13 {
					t.Fatalf("run ended %s with %d traced points, want 13", r.Status, len(r.Trace))
				}
				for k, tr := range r.Trace[:12] {
					if want := schedule(kind).LRAt(k); tr.State.LR == nil || *tr.State.LR != want {
						t.Errorf("step %d: state LR %v, want %g", k, tr.State.LR, want)
					}
				}
			})
		}
	}
	t.Run("sgd steps", func(t *testing.T) {
		t.Parallel()
		p := engine.Params{"schedule": "cosine"}
		for k, v := range params {
			p[k] = v
		}
		r := runPath(t, "sgd", p, plane{3, -4}, engine.Point{0, 0}, engine.Limits{Steps: 12})
		for k := 1; k < len(r.Path); k++ {
			lr := schedule("cosine").LRAt(k - 1)
			prev := r.Path[k-1]
			if want := (engine.Point{prev[0] - lr*3, prev[1] - lr*-4}); r.Path[k] != want {
				t.Errorf("θ%d = %v, want %v from lr%d = %g", k, r.Path[k], want, k-1, lr)
			}
		}
	})
}
