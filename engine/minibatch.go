package engine

import (
	"errors"
	"math/rand/v2"

	"saddlepoint/surfaces"
)

// Minibatcher is a loss that is a mean over examples, as a training loss
// is, and can give its gradient over any subset of them: a minibatch.
type Minibatcher interface {
	// Rows is the number of examples.
	Rows() int
	// GradientOn returns the gradient of the mean loss over the given rows.
	GradientOn(p Point, rows []int) Point
}

// ErrNotMinibatched is returned by a step that samples minibatches from a
// function that is not made of examples.
var ErrNotMinibatched = errors.New("engine: minibatches need a loss that is a mean over examples")

// Minibatched is an optimizer that sees, instead of the exact gradient, the
// gradient over a minibatch of examples drawn at random, as stochastic
// gradient descent does (section 8.1.3 of the book):
//
//	g ← (1/m) Σ_{i ∈ B} ∇Lᵢ(θ), B a fresh sample of m examples without replacement
//
// for every gradient, the one the run loop hands to Step and every one the
// wrapped optimizer evaluates itself, such as the look-ahead gradient of
// Nesterov momentum. The samples come from math/rand/v2's PCG seeded with
// (seed, ^seed), a stream apart from the gradient noise's, so the same seed
// gives the same run bit for bit. The function stepped must be a
// Minibatcher; Step returns ErrNotMinibatched otherwise.
type Minibatched struct {
	forward
	fn minibatchFunction
}

// NewMinibatched wraps inner so that its gradients are taken over random
// minibatches of size ≥ 1 examples.
func NewMinibatched(inner Optimizer, size int, seed uint64) *Minibatched {
	if size < 1 {
		panic("engine: a minibatch needs at least one example")
	}
	return &Minibatched{forward: forward{inner},
		fn: minibatchFunction{size: size, rng: rand.New(rand.NewPCG(seed, ^seed))}}
}

// Step replaces grad by a minibatch gradient at theta and steps the wrapped
// optimizer.
func (m *Minibatched) Step(f surfaces.Function, theta, _ Point) (Point, error) {
	data, ok := f.(Minibatcher)
	if !ok {
		return theta, ErrNotMinibatched
	}
	if m.fn.size > data.Rows() {
		return theta, ErrNotMinibatched
	}
	m.fn.f, m.fn.data = f, data
	return m.inner.Step(&m.fn, theta, m.fn.Gradient(theta))
}

// minibatchFunction is f whose gradient is taken over a fresh minibatch at
// every call.
type minibatchFunction struct {
	f    surfaces.Function
	data Minibatcher
	size int
	rng  *rand.Rand
	perm []int // the examples, partly shuffled: the first size are the batch
}

func (m *minibatchFunction) Value(p Point) float64 { return m.f.Value(p) }

// Gradient draws a minibatch by a partial Fisher–Yates shuffle and returns
// the mean gradient over it.
func (m *minibatchFunction) Gradient(p Point) Point {
	if len(m.perm) != m.data.Rows() {
		m.perm = make([]int, m.data.Rows())
		for i := range m.perm {
			m.perm[i] = i
		}
	}
	for i := 0; i < m.size; i++ {
		j := i + m.rng.IntN(len(m.perm)-i)
		m.perm[i], m.perm[j] = m.perm[j], m.perm[i]
	}
	return m.data.GradientOn(p, m.perm[:m.size])
}

var (
	_ Optimizer = (*Minibatched)(nil)
	_ Prober    = (*Minibatched)(nil)
	_ tracer    = (*Minibatched)(nil)
)
