package engine_test

import (
	"math"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

func TestFirstOrderSteps(t *testing.T) {
	t.Parallel()
	bowl := &surfaces.Bowl{} // f = x² + y², ∇f = (2x, 2y)
	tests := []stepCase{
		{
			// g = (2, −4): θ₁ = (1 − 0.1·2, −2 + 0.1·4) = (0.8, −1.6).
			// g = (1.6, −3.2): θ₂ = (0.8 − 0.16, −1.6 + 0.32) = (0.64, −1.28).
			name: "sgd bowl", method: "sgd", params: engine.Params{"lr": 0.1},
			f: bowl, start: engine.Point{1, -2},
			want: []engine.Point{{0.8, -1.6}, {0.64, -1.28}},
		},
		{
			// The default lr 0.01 on the plane with g = (3, −4):
			// θ₁ = (−0.03, 0.04), θ₂ = (−0.06, 0.08).
			name: "sgd default lr", method: "sgd",
			f: plane{3, -4}, start: engine.Point{0, 0},
			want: []engine.Point{{-0.03, 0.04}, {-0.06, 0.08}},
		},
		{
			// lr 0 never moves.
			name: "sgd lr 0", method: "sgd", params: engine.Params{"lr": 0},
			f: bowl, start: engine.Point{1, -2},
			want: []engine.Point{{1, -2}, {1, -2}},
		},
		{
			// Step 1: g = (2, −4), v = 0.9·0 − 0.1·(2, −4) = (−0.2, 0.4),
			//         θ₁ = (0.8, −1.6).
			// Step 2: g = (1.6, −3.2),
			//         v = 0.9·(−0.2, 0.4) − 0.1·(1.6, −3.2)
			//           = (−0.18 − 0.16, 0.36 + 0.32) = (−0.34, 0.68),
			//         θ₂ = (0.8 − 0.34, −1.6 + 0.68) = (0.46, −0.92).
			// Step 3: g = (0.92, −1.84),
			//         v = 0.9·(−0.34, 0.68) − 0.1·(0.92, −1.84)
			//           = (−0.306 − 0.092, 0.612 + 0.184) = (−0.398, 0.796),
			//         θ₃ = (0.46 − 0.398, −0.92 + 0.796) = (0.062, −0.124).
			name: "momentum bowl", method: "momentum", params: engine.Params{"lr": 0.1, "momentum": 0.9},
			f: bowl, start: engine.Point{1, -2},
			want: []engine.Point{{0.8, -1.6}, {0.46, -0.92}, {0.062, -0.124}},
		},
		{
			// momentum 0 is plain gradient descent.
			name: "momentum 0", method: "momentum", params: engine.Params{"lr": 0.1, "momentum": 0},
			f: bowl, start: engine.Point{1, -2},
			want: []engine.Point{{0.8, -1.6}, {0.64, -1.28}},
		},
		{
			// Constant g = (3, −4), lr 0.1, momentum 0.5: v₁ = (−0.3, 0.4),
			// θ₁ = (−0.3, 0.4); v₂ = 0.5·v₁ − 0.1·g = (−0.45, 0.6),
			// θ₂ = (−0.75, 1).
			name: "momentum plane", method: "momentum", params: engine.Params{"lr": 0.1, "momentum": 0.5},
			f: plane{3, -4}, start: engine.Point{0, 0},
			want: []engine.Point{{-0.3, 0.4}, {-0.75, 1}},
		},
		{
			// Step 1: v = 0, so the look-ahead point is θ itself: as momentum,
			//         v = (−0.2, 0.4), θ₁ = (0.8, −1.6).
			// Step 2: look-ahead θ₁ + 0.9·v = (0.8 − 0.18, −1.6 + 0.36) = (0.62, −1.24),
			//         g there = (1.24, −2.48),
			//         v = 0.9·(−0.2, 0.4) − 0.1·(1.24, −2.48)
			//           = (−0.18 − 0.124, 0.36 + 0.248) = (−0.304, 0.608),
			//         θ₂ = (0.8 − 0.304, −1.6 + 0.608) = (0.496, −0.992).
			name: "nesterov bowl", method: "nesterov", params: engine.Params{"lr": 0.1, "momentum": 0.9},
			f: bowl, start: engine.Point{1, -2},
			want: []engine.Point{{0.8, -1.6}, {0.496, -0.992}},
		},
		{
			// With a constant gradient the look-ahead changes nothing:
			// the same as "momentum plane".
			name: "nesterov plane", method: "nesterov", params: engine.Params{"lr": 0.1, "momentum": 0.5},
			f: plane{3, -4}, start: engine.Point{0, 0},
			want: []engine.Point{{-0.3, 0.4}, {-0.75, 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkSteps(t, tt)
		})
	}
}

// TestNesterovIgnoresGivenGradient checks that Nesterov evaluates the
// look-ahead gradient itself rather than using the ∇f(θ) the run loop hands
// it.
func TestNesterovIgnoresGivenGradient(t *testing.T) {
	t.Parallel()
	opt := newOptimizer(t, "nesterov", engine.Params{"lr": 0.1, "momentum": 0.9})
	nan := engine.Point{math.NaN(), math.NaN()}
	bowl := &surfaces.Bowl{}
	theta, _ := opt.Step(bowl, engine.Point{1, -2}, nan)
	theta, _ = opt.Step(bowl, theta, nan)
	// As in TestFirstOrderSteps/nesterov_bowl.
	if want := (engine.Point{0.496, -0.992}); !near(theta[0], want[0], 1e-12) || !near(theta[1], want[1], 1e-12) {
		t.Errorf("θ₂ = %v, want %v", theta, want)
	}
}
