package engine_test

import (
	"syscall"
	"testing"
	"time"

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
	// Boxed once, as in a run, and as web runs it: the function itself, not
	// the catalogue entry around it, whose promoted methods copy the whole
	// entry on every call (some 25 ns more per gradient), and as the
	// surfaces.Function a run holds, so that Step is not handed a new
	// interface value, converted from TwiceDifferentiable, on every call.
	var f surfaces.Function = s.TwiceDifferentiable
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
			cpu := processCPU()
			for b.Loop() {
				next, err := opt.Step(f, theta, grad)
				if err != nil {
					b.Fatal(err)
				}
				sinkPoint = next
			}
			reportCPU(b, cpu)
		})
	}
}

// BenchmarkNextTraced times the Next of a traced run, the step with its trace,
// for each optimizer with its default parameters on the Rosenbrock function
// from the default start, as the web page traces its runs. A run that ends is
// started afresh, at a cost shared among its iterates.
func BenchmarkNextTraced(b *testing.B) {
	s := lookupSurface(b, "rosenbrock")
	var f surfaces.Function = s.TwiceDifferentiable
	limits := engine.Limits{Steps: 10000}
	for _, m := range engine.Methods() {
		b.Run(m.Name, func(b *testing.B) {
			start := func() *engine.Trajectory {
				return engine.NewTrajectory(f, newOptimizer(b, m.Name, nil), s.Start, limits, engine.WithTrace())
			}
			run := start()
			b.ReportAllocs()
			cpu := processCPU()
			for b.Loop() {
				if !run.Next() {
					run = start()
				}
			}
			reportCPU(b, cpu)
		})
	}
}

// BenchmarkStepKnobs times a step of Adam, as BenchmarkStep does, through
// the decorators of its knobs.
func BenchmarkStepKnobs(b *testing.B) {
	s := lookupSurface(b, "rosenbrock")
	f := s.TwiceDifferentiable
	theta := s.Start
	grad := s.Gradient(theta)
	for _, tc := range []struct {
		name   string
		params engine.Params
	}{
		{"clip", engine.Params{"clip": 1}},
		{"noise", engine.Params{"noise": 1}},
		{"schedule-cosine", engine.Params{"schedule": "cosine"}},
		{"schedule-exponential", engine.Params{"schedule": "exponential"}},
		{"all", engine.Params{"clip": 1, "noise": 1, "schedule": "cosine"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			opt := newOptimizer(b, "adam", tc.params)
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

// BenchmarkRun times whole runs, path collection included, with nothing
// extra recorded and then with an average and a trace. As in BenchmarkStep,
// and as web runs it, the run is given the function itself rather than the
// catalogue entry around it, whose promoted methods copy the whole entry on
// every call.
func BenchmarkRun(b *testing.B) {
	s := lookupSurface(b, "rosenbrock")
	f := s.TwiceDifferentiable
	for _, tc := range []struct {
		name string
		opts []engine.Option
	}{
		{"adam-rosenbrock-10000", nil},
		{"adam-rosenbrock-10000-averaged", []engine.Option{engine.WithPolyakAverage()}},
		{"adam-rosenbrock-10000-traced", []engine.Option{engine.WithTrace()}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			limits := engine.Limits{Steps: 10000, Tol: 0}
			b.ReportAllocs()
			cpu := processCPU()
			for b.Loop() {
				r := engine.Run(f, newOptimizer(b, "adam", nil), s.Start, limits, tc.opts...)
				if r.Status != engine.MaxSteps || len(r.Path) != 10001 {
					b.Fatalf("run ended %s after %d points", r.Status, len(r.Path))
				}
			}
			reportCPU(b, cpu)
		})
	}
}

// processCPU is the CPU time the process has used so far, in user and
// kernel mode.
func processCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// reportCPU reports the process's CPU time per iteration since since, as
// cpu-ns/op. On a machine shared with other work, a benchmark's wall time
// (ns/op) counts the time it waited for a core; its CPU time does not.
func reportCPU(b *testing.B, since time.Duration) {
	b.ReportMetric(float64(processCPU()-since)/float64(b.N), "cpu-ns/op")
}
