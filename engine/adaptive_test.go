package engine_test

import (
	"math"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

func TestAdaptiveSteps(t *testing.T) {
	t.Parallel()
	bowl := &surfaces.Bowl{} // f = x² + y², ∇f = (2x, 2y)
	tilted := plane{3, -4}   // ∇f = (3, −4) everywhere
	sqrt2, sqrt3, sqrt5, sqrt10 := math.Sqrt2, math.Sqrt(3), math.Sqrt(5), math.Sqrt(10)
	tests := []stepCase{
		{
			// Step 1: g = (2, −4), r = (4, 16), √r = (2, 4),
			//         θ₁ = (1 − 0.5·2/2, −2 + 0.5·4/4) = (0.5, −1.5).
			// Step 2: g = (1, −3), r = (4 + 1, 16 + 9) = (5, 25),
			//         θ₂ = (0.5 − 0.5·1/√5, −1.5 + 0.5·3/5) = (0.5 − √5/10, −1.2).
			name: "adagrad bowl", method: "adagrad", params: engine.Params{"lr": 0.5, "eps": 0},
			f: bowl, start: engine.Point{1, -2},
			want: []engine.Point{{0.5, -1.5}, {0.5 - sqrt5/10, -1.2}},
		},
		{
			// eps 1. Step 1: r = (9, 16), θ₁ = −0.5·(3/(1 + 3), −4/(1 + 4)) = (−0.375, 0.4).
			// Step 2: r = (18, 32), √r = (3√2, 4√2),
			//         θ₂ = (−0.375 − 1.5/(1 + 3√2), 0.4 + 2/(1 + 4√2)).
			name: "adagrad plane", method: "adagrad", params: engine.Params{"lr": 0.5, "eps": 1},
			f: tilted, start: engine.Point{0, 0},
			want: []engine.Point{{-0.375, 0.4}, {-0.375 - 1.5/(1+3*sqrt2), 0.4 + 2/(1+4*sqrt2)}},
		},
		{
			// Defaults lr 0.01, eps 1e-7: r = (9, 16),
			// θ₁ = (−0.01·3/(1e-7 + 3), 0.01·4/(1e-7 + 4)).
			name: "adagrad defaults", method: "adagrad",
			f: tilted, start: engine.Point{0, 0},
			want: []engine.Point{{-0.03 / (3 + 1e-7), 0.04 / (4 + 1e-7)}},
		},
		{
			// eps 0 and a zero y gradient: the book's arithmetic gives
			// 0/(0 + √0); y stays at 0 while x moves as in "adagrad bowl",
			// from x = 1 with g = 2 then g = 1.
			name: "adagrad zero gradient", method: "adagrad", params: engine.Params{"lr": 0.5, "eps": 0},
			f: bowl, start: engine.Point{1, 0},
			want: []engine.Point{{0.5, 0}, {0.5 - sqrt5/10, 0}},
		},
		{
			// rho 0.5, eps 0.
			// Step 1: r = 0.5·(9, 16) = (4.5, 8), √r = (3/√2, 2√2),
			//         θ₁ = −0.1·(3/(3/√2), −4/(2√2)) = (−0.1√2, 0.1√2).
			// Step 2: r = 0.5·(4.5, 8) + 0.5·(9, 16) = (6.75, 12), √r = (1.5√3, 2√3),
			//         θ₂ = θ₁ − 0.1·(3/(1.5√3), −4/(2√3)) = θ₁ + (−0.2/√3, 0.2/√3).
			name: "rmsprop plane", method: "rmsprop", params: engine.Params{"lr": 0.1, "rho": 0.5, "eps": 0},
			f: tilted, start: engine.Point{0, 0},
			want: []engine.Point{{-0.1 * sqrt2, 0.1 * sqrt2}, {-0.1*sqrt2 - 0.2/sqrt3, 0.1*sqrt2 + 0.2/sqrt3}},
		},
		{
			// Defaults lr 0.001, rho 0.9, eps 1e-6: g = (2, −4),
			// r = 0.1·(4, 16) = (0.4, 1.6),
			// θ₁ = (1 − 0.001·2/√(1e-6 + 0.4), −2 + 0.001·4/√(1e-6 + 1.6)).
			name: "rmsprop defaults", method: "rmsprop",
			f: bowl, start: engine.Point{1, -2},
			want: []engine.Point{{1 - 0.002/math.Sqrt(0.400001), -2 + 0.004/math.Sqrt(1.600001)}},
		},
		{
			// eps 0 and a zero y gradient: y stays at 0. x: g = 2,
			// r = 0.5·4 = 2, x₁ = 1 − 0.1·2/√2 = 1 − 0.1√2.
			name: "rmsprop zero gradient", method: "rmsprop", params: engine.Params{"lr": 0.1, "rho": 0.5, "eps": 0},
			f: bowl, start: engine.Point{1, 0},
			want: []engine.Point{{1 - 0.1*sqrt2, 0}},
		},
		{
			// A constant g with eps 0: after t steps s = (1 − beta1ᵗ)·g and
			// r = (1 − beta2ᵗ)·g², so the bias correction gives back ŝ = g and
			// r̂ = g² exactly and every step is lr·g/|g| = (0.1, −0.1).
			// Without the correction step 1 would be
			// 0.1·(0.1·3)/√(0.001·9) ≈ 0.316, not 0.1.
			name: "adam plane", method: "adam", params: engine.Params{"lr": 0.1, "eps": 0},
			f: tilted, start: engine.Point{0, 0},
			want: []engine.Point{{-0.1, 0.1}, {-0.2, 0.2}, {-0.3, 0.3}},
		},
		{
			// beta1 0.9, beta2 0.999, eps 0.
			// t = 1: g = (2, −4), s = 0.1·g = (0.2, −0.4), r = 0.001·g² = (0.004, 0.016),
			//        ŝ = s/0.1 = (2, −4), r̂ = r/0.001 = (4, 16),
			//        θ₁ = (1 − 0.1·2/2, −2 + 0.1·4/4) = (0.9, −1.9).
			// t = 2: g = (1.8, −3.8),
			//        s = 0.9·(0.2, −0.4) + 0.1·(1.8, −3.8) = (0.36, −0.74),
			//        r = 0.999·(0.004, 0.016) + 0.001·(3.24, 14.44) = (0.007236, 0.030424),
			//        1 − 0.9² = 0.19, 1 − 0.999² = 0.001999,
			//        θ₂ = (0.9 − 0.1·(0.36/0.19)/√(0.007236/0.001999),
			//              −1.9 + 0.1·(0.74/0.19)/√(0.030424/0.001999)).
			name: "adam bowl", method: "adam", params: engine.Params{"lr": 0.1, "eps": 0},
			f: bowl, start: engine.Point{1, -2},
			want: []engine.Point{
				{0.9, -1.9},
				{0.9 - 0.1*(0.36/0.19)/math.Sqrt(0.007236/0.001999), -1.9 + 0.1*(0.74/0.19)/math.Sqrt(0.030424/0.001999)},
			},
		},
		{
			// Defaults lr 0.001, eps 1e-8: ŝ = g, r̂ = g² at t = 1, so
			// θ₁ = (−0.001·3/(3 + 1e-8), 0.001·4/(4 + 1e-8)).
			name: "adam defaults", method: "adam",
			f: tilted, start: engine.Point{0, 0},
			want: []engine.Point{{-0.003 / (3 + 1e-8), 0.004 / (4 + 1e-8)}},
		},
		{
			// beta1 = beta2 = 0: ŝ = g, r̂ = g² at every step, so with
			// eps 0 each step is lr·sign(g): x 1 → 0.9 → 0.8, y −2 → −1.9 → −1.8.
			name: "adam betas 0", method: "adam", params: engine.Params{"lr": 0.1, "beta1": 0, "beta2": 0, "eps": 0},
			f: bowl, start: engine.Point{1, -2},
			want: []engine.Point{{0.9, -1.9}, {0.8, -1.8}},
		},
		{
			// eps 0 and a zero y gradient: y stays at 0, x as in "adam bowl".
			name: "adam zero gradient", method: "adam", params: engine.Params{"lr": 0.1, "eps": 0},
			f: bowl, start: engine.Point{1, 0},
			want: []engine.Point{{0.9, 0}},
		},
		{
			// Without bias correction ŝ = s and r̂ = r, eps 0, constant g = (3, −4).
			// t = 1: s = 0.1·g = (0.3, −0.4), r = 0.001·g² = (0.009, 0.016),
			//        0.3/√0.009 = 0.3/(0.03√10) = √10, and 0.4/√0.016 = √10 too,
			//        θ₁ = −0.1·(√10, −√10) ≈ (−0.316, 0.316): three times the
			//        corrected step of "adam plane", since √(1 − beta2)/(1 − beta1) = √10.
			// t = 2: s = 0.9·0.3 + 0.1·3 = 0.57 and −0.76,
			//        r = 0.999·0.009 + 0.001·9 = 0.017991 and 0.999·0.016 + 0.001·16 = 0.031984,
			//        θ₂ = θ₁ − 0.1·(0.57/√0.017991, −0.76/√0.031984).
			name: "adam without bias correction", method: "adam",
			params: engine.Params{"lr": 0.1, "eps": 0, "bias_correction": false},
			f:      tilted, start: engine.Point{0, 0},
			want: []engine.Point{
				{-0.1 * sqrt10, 0.1 * sqrt10},
				{-0.1*sqrt10 - 0.1*0.57/math.Sqrt(0.017991), 0.1*sqrt10 + 0.1*0.76/math.Sqrt(0.031984)},
			},
		},
		{
			// rho 0.5, momentum 0.5, eps 0 and a constant g = (3, −4), so the
			// look-ahead changes nothing.
			// Step 1: r = 0.5·(9, 16) = (4.5, 8), √r = (3/√2, 2√2),
			//         v = −0.1·(3/(3/√2), −4/(2√2)) = (−0.1√2, 0.1√2), θ₁ = v.
			// Step 2: r = 0.5·(4.5, 8) + 0.5·(9, 16) = (6.75, 12), √r = (1.5√3, 2√3),
			//         v = 0.5·(−0.1√2, 0.1√2) − 0.1·(3/(1.5√3), −4/(2√3))
			//           = (−0.05√2 − 0.2/√3, 0.05√2 + 0.2/√3),
			//         θ₂ = θ₁ + v = (−0.15√2 − 0.2/√3, 0.15√2 + 0.2/√3).
			name: "rmsprop-nesterov plane", method: "rmsprop-nesterov",
			params: engine.Params{"lr": 0.1, "rho": 0.5, "momentum": 0.5, "eps": 0},
			f:      tilted, start: engine.Point{0, 0},
			want: []engine.Point{
				{-0.1 * sqrt2, 0.1 * sqrt2},
				{-0.15*sqrt2 - 0.2/sqrt3, 0.15*sqrt2 + 0.2/sqrt3},
			},
		},
		{
			// rho 0.5, momentum 0.9, eps 0 on the bowl, where the look-ahead
			// matters.
			// Step 1: v = 0, so the look-ahead point is θ₀ = (1, −2), g = (2, −4),
			//         r = 0.5·(4, 16) = (2, 8), √r = (√2, 2√2),
			//         v₁ = −0.1·(2/√2, −4/(2√2)) = (−0.1√2, 0.1√2),
			//         θ₁ = (1 − 0.1√2, −2 + 0.1√2).
			// Step 2: look-ahead θ₁ + 0.9·v₁ = (1 − 0.19√2, −2 + 0.19√2),
			//         g = 2·that = (2 − 0.38√2, −4 + 0.38√2) ≈ (1.4626, −3.4626),
			//         r = 0.5·(2, 8) + 0.5·g² = (1 + g₁²/2, 4 + g₂²/2),
			//         v₂ = 0.9·v₁ − 0.1·g/√r, θ₂ = θ₁ + v₂.
			name: "rmsprop-nesterov bowl", method: "rmsprop-nesterov",
			params: engine.Params{"lr": 0.1, "rho": 0.5, "momentum": 0.9, "eps": 0},
			f:      bowl, start: engine.Point{1, -2},
			want: func() []engine.Point {
				g1, g2 := 2-0.38*sqrt2, -4+0.38*sqrt2
				v1, v2 := -0.09*sqrt2-0.1*g1/math.Sqrt(1+g1*g1/2), 0.09*sqrt2-0.1*g2/math.Sqrt(4+g2*g2/2)
				return []engine.Point{
					{1 - 0.1*sqrt2, -2 + 0.1*sqrt2},
					{1 - 0.1*sqrt2 + v1, -2 + 0.1*sqrt2 + v2},
				}
			}(),
		},
		{
			// Defaults lr 0.001, rho 0.9, momentum 0.9, eps 1e-6 with
			// g = (3, −4): r = 0.1·(9, 16) = (0.9, 1.6),
			// θ₁ = v₁ = (−0.001·3/√(0.900001), 0.001·4/√(1.600001)).
			name: "rmsprop-nesterov defaults", method: "rmsprop-nesterov",
			f: tilted, start: engine.Point{0, 0},
			want: []engine.Point{{-0.003 / math.Sqrt(0.900001), 0.004 / math.Sqrt(1.600001)}},
		},
		{
			// eps 0 and a zero y gradient: y stays at 0 (v stays 0), x as in
			// "rmsprop-nesterov bowl".
			name: "rmsprop-nesterov zero gradient", method: "rmsprop-nesterov",
			params: engine.Params{"lr": 0.1, "rho": 0.5, "momentum": 0.9, "eps": 0},
			f:      bowl, start: engine.Point{1, 0},
			want: []engine.Point{{1 - 0.1*sqrt2, 0}},
		},
		{
			// weight_decay 0.5, eps 0, constant g = (3, −4) from (1, −2):
			// ŝ/√r̂ = g/|g| = (1, −1) at every step, as in "adam plane".
			// t = 1: θ₁ = θ₀ − 0.1·((1, −1) + 0.5·(1, −2))
			//           = (1 − 0.1·1.5, −2 − 0.1·(−2)) = (0.85, −1.8).
			// t = 2: θ₂ = θ₁ − 0.1·((1, −1) + 0.5·(0.85, −1.8))
			//           = (0.85 − 0.1425, −1.8 + 0.19) = (0.7075, −1.61).
			name: "adamw plane", method: "adamw", params: engine.Params{"lr": 0.1, "eps": 0, "weight_decay": 0.5},
			f: tilted, start: engine.Point{1, -2},
			want: []engine.Point{{0.85, -1.8}, {0.7075, -1.61}},
		},
		{
			// weight_decay 0.1, eps 0 on the bowl from (1, −2).
			// t = 1: g = (2, −4), ŝ/√r̂ = (1, −1),
			//        θ₁ = (1 − 0.1·(1 + 0.1·1), −2 − 0.1·(−1 + 0.1·(−2))) = (0.89, −1.88).
			// t = 2: g = (1.78, −3.76),
			//        s = 0.9·(0.2, −0.4) + 0.1·(1.78, −3.76) = (0.358, −0.736),
			//        r = 0.999·(0.004, 0.016) + 0.001·(3.1684, 14.1376) = (0.0071644, 0.0301216),
			//        θ₂ = θ₁ − 0.1·(ŝ/√r̂ + 0.1·θ₁) with ŝ = s/0.19, r̂ = r/0.001999.
			name: "adamw bowl", method: "adamw", params: engine.Params{"lr": 0.1, "eps": 0, "weight_decay": 0.1},
			f: bowl, start: engine.Point{1, -2},
			want: []engine.Point{
				{0.89, -1.88},
				{
					0.89 - 0.1*((0.358/0.19)/math.Sqrt(0.0071644/0.001999)+0.089),
					-1.88 - 0.1*((-0.736/0.19)/math.Sqrt(0.0301216/0.001999)-0.188),
				},
			},
		},
		{
			// weight_decay 0 is Adam: the iterates of "adam bowl".
			name: "adamw without decay", method: "adamw", params: engine.Params{"lr": 0.1, "eps": 0, "weight_decay": 0},
			f: bowl, start: engine.Point{1, -2},
			want: []engine.Point{
				{0.9, -1.9},
				{0.9 - 0.1*(0.36/0.19)/math.Sqrt(0.007236/0.001999), -1.9 + 0.1*(0.74/0.19)/math.Sqrt(0.030424/0.001999)},
			},
		},
		{
			// eps 0 and a zero y gradient: only the decay moves y, and y = 0
			// stays. x as in "adamw bowl".
			name: "adamw zero gradient", method: "adamw", params: engine.Params{"lr": 0.1, "eps": 0, "weight_decay": 0.1},
			f: bowl, start: engine.Point{1, 0},
			want: []engine.Point{{0.89, 0}},
		},
		{
			// A zero gradient from the start: ŝ = 0, so only the decay acts,
			// θ ← θ − lr·weight_decay·θ = 0.95·θ with lr 0.1 and weight_decay 0.5.
			name: "adamw decay alone", method: "adamw", params: engine.Params{"lr": 0.1, "eps": 0, "weight_decay": 0.5},
			f: plane{0, 0}, start: engine.Point{1, -2},
			want: []engine.Point{{0.95, -1.9}, {0.9025, -1.805}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkSteps(t, tt)
		})
	}
}

// TestRMSPropNesterovIgnoresGivenGradient checks that RMSProp with Nesterov
// momentum evaluates the look-ahead gradient itself.
func TestRMSPropNesterovIgnoresGivenGradient(t *testing.T) {
	t.Parallel()
	opt := newOptimizer(t, "rmsprop-nesterov", engine.Params{"lr": 0.1, "rho": 0.5, "momentum": 0.5, "eps": 0})
	nan := engine.Point{math.NaN(), math.NaN()}
	theta, _ := opt.Step(plane{3, -4}, engine.Point{0, 0}, nan)
	// As in TestAdaptiveSteps/rmsprop-nesterov_plane.
	if want := (engine.Point{-0.1 * math.Sqrt2, 0.1 * math.Sqrt2}); !near(theta[0], want[0], 1e-12) || !near(theta[1], want[1], 1e-12) {
		t.Errorf("θ₁ = %v, want %v", theta, want)
	}
}
