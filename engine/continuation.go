package engine

import (
	"math"
	"strconv"

	"saddlepoint/surfaces"
)

// MaxContinuationStages is the most stages a continuation run may have.
// Beyond a dozen or so halvings the blurred stages differ from the true
// surface by less than anything a plot shows.
const MaxContinuationStages = 20

// WithContinuation makes the run a continuation method (section 8.7.6 of
// the book): instead of minimising the loss J directly, it minimises a
// sequence of k = stages Gaussian blurs of it (surfaces.Blurred),
//
//	J_σ(θ) = E[J(θ + ε)],  ε ~ N(0, σ²I),
//
// the first smooth enough that its minimum is easy to reach and the last
// J itself, each stage starting where the last ended. σ halves from stage
// to stage and the last stage has σ = 0 exactly:
//
//	σⱼ = sigma0 / 2ʲ  for stages j = 0 … k − 2,   σₖ₋₁ = 0,
//
// so with sigma0 = 2 and k = 5 the run goes through σ = 2, 1, 0.5, 0.25 and
// then the true surface. (With k = 1 there is only the true surface.)
//
// The run's steps are split evenly among the stages, the remainder going
// to the last, the true surface: with n = ⌊steps/k⌋, stage j takes the
// updates from θ_{j·n} on, and the last stage those from θ_{(k−1)·n} to
// the end. Iterate θₘ belongs to the stage its update is taken on; the
// point where one stage ends is the first iterate of the next, so a run
// that takes all its steps has steps + 1 iterates, like any other.
//
// Each stage is a new problem, so it gets a new optimizer: opt steps on
// the first stage and fresh() builds the optimizer of every later stage.
// The book's continuation methods solve a sequence of problems one after
// the other, and a fresh optimizer is the literal reading; it is also the
// only one that makes sense for every method: Adam's moments and AdaGrad's
// accumulated squares are statistics of the old surface's gradients,
// BFGS's inverse Hessian was built from its curvature, and a line search
// half-way through one function cannot go on with another. Velocity,
// moments and learning-rate schedules therefore start over at every stage
// (and gradient noise starts over from its seed).
//
// The run rules of Trajectory hold, with these changes:
//
//   - the optimizer, and the gradient the run loop hands it, see the
//     current stage's blurred surface;
//   - a blurred stage (σ > 0) ends early at θₘ if ‖∇J_σ(θₘ)‖ < Tol, or if
//     its line search stalls there: it has solved its problem as well as it
//     can, and the next stage starts at θₘ, its updates from θₘ on (the
//     updates a stage leaves unused go to the next one). Only the last
//     stage can end the run as Converged or Stalled;
//   - the loss of every iterate, and the divergence check, are on the true
//     J, never the blur, so that a continuation run and a plain one are
//     compared on the same loss;
//   - every iterate records its stage and σ (Iterate.Stage and
//     Iterate.Sigma, Result.Stage and Result.Sigma).
//
// Averaging (WithPolyakAverage, WithExponentialAverage) runs over the whole
// path, across stages. The function the run is given must be a
// surfaces.TwiceDifferentiable, as every surface of the catalogue is.
// sigma0 must be in (0, surfaces.MaxBlurSigma] and stages in
// [1, MaxContinuationStages].
func WithContinuation(sigma0 float64, stages int, fresh func() Optimizer) Option {
	switch {
	case !(sigma0 > 0 && sigma0 <= surfaces.MaxBlurSigma):
		panic("engine: continuation needs a sigma0 in (0, " + strconv.FormatFloat(surfaces.MaxBlurSigma, 'g', -1, 64) + "]")
	case stages < 1 || stages > MaxContinuationStages:
		panic("engine: continuation needs from 1 to " + strconv.Itoa(MaxContinuationStages) + " stages")
	case fresh == nil:
		panic("engine: continuation needs a way to build a fresh optimizer for each stage")
	}
	c := &continuation{sigma0: sigma0, count: stages, fresh: fresh}
	return func(o *options) { o.continuation = c }
}

// continuation is the plan of a continuation run, as WithContinuation sets
// it out.
type continuation struct {
	sigma0 float64
	count  int // of stages, k
	fresh  func() Optimizer
}

// sigma returns σⱼ, exact since halving only changes the exponent.
func (c *continuation) sigma(j int) float64 {
	if j == c.count-1 {
		return 0
	}
	return math.Ldexp(c.sigma0, -j)
}

// start returns the index of the iterate that stage j starts at, unless the
// stage before it ends early.
func (c *continuation) start(j, steps int) int {
	return j * (max(steps, 0) / c.count)
}

// stageRun is the state of a continuation run in its Trajectory.
type stageRun struct {
	plan  *continuation
	truth surfaces.TwiceDifferentiable // the surface the stages blur
	stage int                          // the current stage j
	sigma float64                      // its σⱼ
}

// startContinuation sets t on the first stage of its continuation run.
func (t *Trajectory) startContinuation() {
	truth, ok := t.f.(surfaces.TwiceDifferentiable)
	if !ok {
		panic("engine: a continuation run needs a surfaces.TwiceDifferentiable to blur")
	}
	t.stages = &stageRun{plan: t.opts.continuation, truth: truth}
	t.enterStage(0)
}

// enterStage sets t on stage j: its surface, and a fresh optimizer unless j
// is the first stage, which steps with the optimizer the run was given.
func (t *Trajectory) enterStage(j int) {
	s := t.stages
	s.stage, s.sigma = j, s.plan.sigma(j)
	t.surface = t.f
	if s.sigma > 0 {
		t.surface = surfaces.NewBlurred(s.truth, s.sigma)
	}
	if j > 0 {
		t.opt = s.plan.fresh()
		t.prober, _ = t.opt.(Prober)
		t.tracer = tracerOf(t.opt)
	}
}

// blurred reports whether t is on a continuation stage before the last.
func (t *Trajectory) blurred() bool {
	return t.stages != nil && t.stages.stage < t.stages.plan.count-1
}

// nextStage moves t on from a blurred stage to the next one and reports
// whether it did; on the last stage, or in a plain run, it does nothing.
func (t *Trajectory) nextStage() bool {
	if !t.blurred() {
		return false
	}
	t.enterStage(t.stages.stage + 1)
	return true
}

// gradient returns, in a continuation run, the gradient at θₖ = theta of
// the surface the step from θₖ is to be taken on: it first moves on to the
// stage that θₖ falls in, and past every blurred stage whose gradient at θₖ
// is already below the tolerance.
func (t *Trajectory) gradient(theta Point) Point {
	for t.blurred() && t.k >= t.stages.plan.start(t.stages.stage+1, t.limits.Steps) {
		t.nextStage()
	}
	grad := t.surface.Gradient(theta)
	for t.blurred() && t.small.met(grad) {
		t.nextStage()
		grad = t.surface.Gradient(theta)
	}
	return grad
}
