package engine_test

import (
	"math"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

func TestAdaptiveSteps(t *testing.T) {
	t.Parallel()
	bowl := surfaces.Bowl{} // f = x² + y², ∇f = (2x, 2y)
	tilted := plane{3, -4}  // ∇f = (3, −4) everywhere
	sqrt2, sqrt3, sqrt5 := math.Sqrt2, math.Sqrt(3), math.Sqrt(5)
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkSteps(t, tt)
		})
	}
}
