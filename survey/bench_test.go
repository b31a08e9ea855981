package survey_test

import (
	"context"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/survey"
)

// BenchmarkBasins times a whole basin map on every core: a 256 × 256 grid
// of adam runs over rosenbrock's view, 500 steps each (none converges, so
// every run takes all of them).
func BenchmarkBasins(b *testing.B) {
	s, setup := newSetup(b, "rosenbrock", "adam", nil, engine.Limits{Steps: 500, Tol: engine.DefaultTol})
	b.Run("rosenbrock-256", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := survey.Basins(context.Background(), setup, s.View, 256, s.Minima); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSweep times a whole sweep on every core: a 64 × 64 grid of
// adam's lr (log, 1e-4 to 1) × beta1 (linear, 0 to 0.99) on rosenbrock from
// its default start, 1,000 steps each.
func BenchmarkSweep(b *testing.B) {
	s, setup := newSetup(b, "rosenbrock", "adam", nil, engine.Limits{Steps: 1000, Tol: engine.DefaultTol})
	x := survey.Axis{Param: "lr", Min: 1e-4, Max: 1, N: 64, Scale: survey.Log}
	y := survey.Axis{Param: "beta1", Min: 0, Max: 0.99, N: 64, Scale: survey.Linear}
	b.Run("adam-rosenbrock-64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := survey.Sweep(context.Background(), setup, s.Start, x, y); err != nil {
				b.Fatal(err)
			}
		}
	})
}
