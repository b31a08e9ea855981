package engine_test

import (
	"errors"
	"math"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

func TestNewtonSteps(t *testing.T) {
	t.Parallel()
	tests := []stepCase{
		{
			// H = 2I and g = 2θ, so (H)⁻¹·g = θ: the minimum in one step, and
			// there g = 0 keeps it there.
			name: "bowl", method: "newton",
			f: surfaces.Bowl{}, start: engine.Point{1, -2},
			want: []engine.Point{{0, 0}, {0, 0}},
		},
		{
			// H + 2I = 4I, so the step is g/4 = θ/2: (0.5, −1), then (0.25, −0.5).
			name: "bowl alpha 2", method: "newton", params: engine.Params{"alpha": 2},
			f: surfaces.Bowl{}, start: engine.Point{1, -2},
			want: []engine.Point{{0.5, -1}, {0.25, -0.5}},
		},
		{
			// H = [2 1; 1 2], det 3, g = (2·1 + 0, 1 + 0) = (2, 1),
			// H⁻¹·g = (2·2 − 1·1, 2·1 − 1·2)/3 = (1, 0) = θ: the origin.
			name: "coupled quadratic", method: "newton",
			f: quadratic{2, 1, 2}, start: engine.Point{1, 0},
			want: []engine.Point{{0, 0}},
		},
		{
			// H + I = [3 1; 1 3], det 8, g = (2, 1),
			// (H + I)⁻¹·g = (3·2 − 1·1, 3·1 − 1·2)/8 = (5/8, 1/8),
			// θ₁ = (1 − 5/8, 0 − 1/8) = (3/8, −1/8).
			name: "coupled quadratic alpha 1", method: "newton", params: engine.Params{"alpha": 1},
			f: quadratic{2, 1, 2}, start: engine.Point{1, 0},
			want: []engine.Point{{0.375, -0.125}},
		},
		{
			// The pure step goes to the critical point whatever its kind:
			// H = diag(2, −2), g = (2, −2), H⁻¹·g = (1, 1) = θ, the saddle.
			name: "saddle", method: "newton",
			f: quadratic{2, 0, -2}, start: engine.Point{1, 1},
			want: []engine.Point{{0, 0}},
		},
		{
			// A tiny but well-conditioned Hessian 1e-20·I is not singular:
			// H⁻¹·g = θ as for the bowl.
			name: "tiny curvature", method: "newton",
			f: quadratic{1e-20, 0, 1e-20}, start: engine.Point{1, -2},
			want: []engine.Point{{0, 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkSteps(t, tt)
		})
	}
}

func TestNewtonSingular(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		f        quadratic
		alpha    float64
		singular bool
	}{
		{"saddle alpha 2", quadratic{2, 0, -2}, 2, true},          // H + 2I = diag(4, 0)
		{"rank one", quadratic{1, 1, 1}, 0, true},                 // det = 1 − 1 = 0
		{"zero", quadratic{0, 0, 0}, 0, true},                     // H = 0
		{"rounding noise", quadratic{1, 1, 1 + 0x1p-50}, 0, true}, // det = 2⁻⁵⁰ ≈ 8.9e-16 ≤ 1e-14·2
		{"rounding noise scaled", quadratic{1e-20, 1e-20, 1e-20 * (1 + 0x1p-50)}, 0, true},
		{"ill-conditioned", quadratic{1, 1, 1 + 1e-12}, 0, false}, // det = 1e-12 > 1e-14·2
		{"tiny", quadratic{1e-20, 0, 1e-20}, 0, false},            // det = 1e-40 > 1e-14·1e-40
		{"huge", quadratic{1e150, 0, 1e150}, 0, false},
		{"alpha rescues", quadratic{1, 1, 1}, 1, false}, // [2 1; 1 2], det 3
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opt := newOptimizer(t, "newton", engine.Params{"alpha": tt.alpha})
			start := engine.Point{1, -2}
			next, err := opt.Step(tt.f, start, tt.f.Gradient(start))
			switch {
			case tt.singular && !errors.Is(err, engine.ErrSingular):
				t.Errorf("Step = %v, %v; want an error wrapping ErrSingular", next, err)
			case !tt.singular && err != nil:
				t.Errorf("Step: %v, want a step", err)
			case !tt.singular && (!finite(next[0]) || !finite(next[1])):
				t.Errorf("Step = %v, want a finite point", next)
			}
		})
	}
}

// TestNewtonNeedsHessian checks that a function without a Hessian makes Step
// fail rather than panic.
func TestNewtonNeedsHessian(t *testing.T) {
	t.Parallel()
	opt := newOptimizer(t, "newton", nil)
	f := plane{3, -4}
	_, err := opt.Step(f, engine.Point{1, 1}, f.Gradient(engine.Point{1, 1}))
	if err == nil {
		t.Fatal("Step on a function without a Hessian succeeded, want an error")
	}
	if errors.Is(err, engine.ErrSingular) {
		t.Errorf("Step error %v wraps ErrSingular; the Hessian is missing, not singular", err)
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
