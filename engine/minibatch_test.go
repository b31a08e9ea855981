package engine_test

import (
	"errors"
	"math/rand/v2"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// TestMinibatchedGradient checks the gradient sgd sees with batch m against
// a minibatch drawn independently with the documented generator and shuffle.
func TestMinibatchedGradient(t *testing.T) {
	t.Parallel()
	ls := surfaces.NewLeastSquares(false)
	const size, seed, lr = 8, 5, 0.01
	sgd, _ := engine.LookupMethod("sgd")
	opt, _, err := sgd.New(map[string]any{"lr": lr, "batch": float64(size), "seed": float64(seed)})
	if err != nil {
		t.Fatal(err)
	}
	theta := surfaces.Point{0.5, 0.5}
	rng := rand.New(rand.NewPCG(seed, ^uint64(seed)))
	perm := make([]int, ls.Rows())
	for i := range perm {
		perm[i] = i
	}
	for step := range 3 {
		for i := 0; i < size; i++ {
			j := i + rng.IntN(len(perm)-i)
			perm[i], perm[j] = perm[j], perm[i]
		}
		g := ls.GradientOn(theta, perm[:size])
		want := surfaces.Point{theta[0] - lr*g[0], theta[1] - lr*g[1]}
		got, err := opt.Step(ls, theta, ls.Gradient(theta))
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("step %d: %v, want %v (minibatch %v)", step, got, want, perm[:size])
		}
		if full := (surfaces.Point{theta[0] - lr*ls.Gradient(theta)[0], theta[1] - lr*ls.Gradient(theta)[1]}); got == full {
			t.Fatalf("step %d took the full-batch step", step)
		}
		theta = got
	}
}

func TestMinibatchedFullBatchIsExact(t *testing.T) {
	t.Parallel()
	// A batch of every example is the exact gradient, whatever the order
	// (up to rounding in the sum).
	ls := surfaces.NewLeastSquares(true)
	sgd, _ := engine.LookupMethod("sgd")
	opt, _, _ := sgd.New(map[string]any{"lr": 0.1, "batch": float64(ls.Rows())})
	theta := surfaces.Point{0.2, -0.3}
	got, err := opt.Step(ls, theta, ls.Gradient(theta))
	if err != nil {
		t.Fatal(err)
	}
	g := ls.Gradient(theta)
	want := surfaces.Point{theta[0] - 0.1*g[0], theta[1] - 0.1*g[1]}
	for i := range got {
		if d := got[i] - want[i]; d > 1e-12 || d < -1e-12 {
			t.Errorf("full batch step %v, exact step %v", got, want)
		}
	}
}

func TestMinibatchedNeedsExamples(t *testing.T) {
	t.Parallel()
	sgd, _ := engine.LookupMethod("sgd")
	opt, _, _ := sgd.New(map[string]any{"batch": 4.0})
	bowl, _ := surfaces.Lookup("bowl")
	if _, err := opt.Step(bowl.TwiceDifferentiable, surfaces.Point{1, 1}, surfaces.Point{2, 2}); !errors.Is(err, engine.ErrNotMinibatched) {
		t.Errorf("got %v, want ErrNotMinibatched", err)
	}
	opt, _, _ = sgd.New(map[string]any{"batch": 65.0})
	ls := surfaces.NewLeastSquares(false)
	if _, err := opt.Step(ls, surfaces.Point{1, 1}, ls.Gradient(surfaces.Point{1, 1})); !errors.Is(err, engine.ErrNotMinibatched) {
		t.Errorf("a batch larger than the 64 examples: got %v, want ErrNotMinibatched", err)
	}
}
