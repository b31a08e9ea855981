package engine_test

import (
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

var sinkPoint engine.Point

// BenchmarkStep times one step of each optimizer with its default parameters
// on the Rosenbrock function, always from the default start with ∇f(θ)
// already computed, as the run loop has it, while the optimizer's state
// evolves from step to step.
func BenchmarkStep(b *testing.B) {
	s := lookupSurface(b, "rosenbrock")
	var f surfaces.Function = s // boxed once, as in a run
	theta := s.Start
	grad := s.Gradient(theta)
	params := map[string]engine.Params{
		// Nesterov evaluates ∇f at θ + momentum·v itself; with θ held fixed
		// and the default lr its velocity would blow up to NaN, and timing
		// NaN arithmetic says nothing.
		"nesterov": {"lr": 1e-4},
	}
	for _, m := range engine.Methods() {
		b.Run(m.Name, func(b *testing.B) {
			opt := newOptimizer(b, m.Name, params[m.Name])
			b.ReportAllocs()
			for b.Loop() {
				next, err := opt.Step(f, theta, grad)
				if err != nil {
					b.Fatal(err)
				}
				sinkPoint = next
			}
		})
	}
}

// BenchmarkRun times whole runs, path collection included.
func BenchmarkRun(b *testing.B) {
	s := lookupSurface(b, "rosenbrock")
	b.Run("adam-rosenbrock-10000", func(b *testing.B) {
		limits := engine.Limits{Steps: 10000, Tol: 0}
		b.ReportAllocs()
		for b.Loop() {
			r := engine.Run(s, newOptimizer(b, "adam", nil), s.Start, limits)
			if r.Status != engine.MaxSteps || len(r.Path) != 10001 {
				b.Fatalf("run ended %s after %d points", r.Status, len(r.Path))
			}
		}
	})
}
