package engine

import (
	"math"
	"testing"

	"saddlepoint/surfaces"
)

// TestAdamPowersLeaveSubnormals checks that betaᵗ goes to exactly 0 rather
// than sticking at a subnormal number, which would slow every later step.
func TestAdamPowersLeaveSubnormals(t *testing.T) {
	t.Parallel()
	opt := &Adam{LR: 0.001, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
	theta := Point{-1.2, 1}
	for range 10000 {
		theta, _ = opt.Step(&surfaces.Bowl{}, theta, Point{1, -1})
		for _, p := range []float64{opt.beta1t, opt.beta2t} {
			if p != 0 && p < 0x1p-54 {
				t.Fatalf("t = %d: betaᵗ = %g, want 0 once 1 − betaᵗ rounds to 1", opt.t, p)
			}
		}
	}
	if opt.beta1t != 0 {
		t.Errorf("0.9¹⁰⁰⁰⁰ kept as %g, want 0", opt.beta1t)
	}
	// 0.999¹⁰⁰⁰⁰ ≈ 4.5e-5.
	if want := math.Pow(0.999, 10000); math.Abs(opt.beta2t-want) > 1e-12*want {
		t.Errorf("0.999¹⁰⁰⁰⁰ kept as %g, want %g", opt.beta2t, want)
	}
}
