// Package survey runs one optimizer many times over a grid: from every start
// of a grid over a surface's view, to map the basins of attraction of its
// minima (Basins); at every pair of values of two of its parameters, to map
// where it converges and where it blows up (Sweep); and at every learning
// rate of a log-spaced grid, to tune it before a race (TuneLR).
//
// A survey spreads its runs over runtime.GOMAXPROCS(0) goroutines, every run
// writing only its own cell of the result, so the result is the same bit for
// bit however the runs are scheduled. Each run keeps only its last iterate:
// nothing of the path is recorded.
package survey

import (
	"context"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// Point is a point θ = (x, y) of the parameter plane.
type Point = surfaces.Point

// Setup is what every run of a survey shares: the function, the optimizer
// with its resolved parameters, and the run limits.
//
// F should be the function itself, such as a catalogue surface's
// TwiceDifferentiable, rather than the surfaces.Surface around it, whose
// promoted methods copy the whole entry on every evaluation.
type Setup struct {
	F      surfaces.Function
	Method engine.Method
	// Params are the method's parameters, resolved (see Method.Resolve).
	Params engine.Params
	Limits engine.Limits
	// Options, if not nil, returns the run options of one run whose
	// optimizer has the resolved parameters p: those of Params, or with a
	// sweep's or a tuning's values in place. A continuation among them
	// should build each stage's optimizer from p. Iterate averaging changes
	// nothing a survey reports, which looks at the iterates themselves.
	// The survey may reuse p for a later run once this one has ended, so
	// an option must not keep it beyond its run, and must not change it.
	Options func(p engine.Params) []engine.Option
}

// Outcome is how one run ended.
type Outcome struct {
	// End is the last iterate: the last finite point of a diverged run, or
	// the start when even it diverged.
	End Point
	// Loss is f(End), the last finite loss; NaN when the start itself
	// diverged, so that no iterate was yielded.
	Loss   float64
	Status engine.Status
	// Steps is the number of updates taken, the index of End in the path:
	// the steps to converge for a converged run.
	Steps int
}

// resolved returns the setup's parameters resolved afresh, with ints made
// float64, and panics if the method rejects them: a survey checks them once
// and then builds every run's optimizer from them with Method.Build.
func (s Setup) resolved() engine.Params {
	p, err := s.Method.Resolve(s.Params)
	if err != nil {
		panic("survey: parameters rejected: " + err.Error())
	}
	return p
}

// runWith runs the setup's method with the resolved parameters p from
// start. p is only read, and only until runWith returns.
func (s Setup) runWith(p engine.Params, start Point) Outcome {
	opt := s.Method.Build(p)
	var opts []engine.Option
	if s.Options != nil {
		opts = s.Options(p)
	}
	tr := engine.NewTrajectory(s.F, opt, start, s.Limits, opts...)
	iterates := 0
	for tr.Next() {
		iterates++
	}
	out := Outcome{End: start, Loss: math.NaN(), Status: tr.Status()}
	if iterates > 0 { // the last iterate is kept by tr: no need to copy every one
		it := tr.Iterate()
		out.End, out.Loss, out.Steps = it.Theta, it.Loss, iterates-1
	}
	return out
}

// forEach calls work(i) for every i in [0, n) on a pool of
// runtime.GOMAXPROCS(0) goroutines, each with its own work function from
// newWorker, so that a worker may reuse what it allocates. Indices are
// handed out one at a time, so a slow run holds up no other. It stops
// handing them out once ctx is done and then returns ctx's error. A panic
// in a worker is raised again in the caller's goroutine, where a recovering
// HTTP middleware can see it.
func forEach(ctx context.Context, n int, newWorker func() func(i int)) error {
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		panicked atomic.Pointer[any]
	)
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			defer func() {
				if v := recover(); v != nil {
					panicked.CompareAndSwap(nil, &v)
				}
			}()
			work := newWorker()
			for ctx.Err() == nil && panicked.Load() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				work(i)
			}
		})
	}
	wg.Wait()
	if v := panicked.Load(); v != nil {
		panic(*v)
	}
	return ctx.Err()
}
