package surfaces

import (
	"fmt"
	"math"
	"math/rand/v2"
)

func init() {
	register(LeastSquaresSurface(false))
}

// The synthetic regression problem behind the least-squares surface.
const (
	// leastSquaresRows is the number of examples.
	leastSquaresRows = 64
	// leastSquaresCorrelation is the sample correlation of the two
	// features, exactly: it is what standardising cannot remove, and it
	// sets the standardised problem's condition number (1 + ρ)/(1 − ρ).
	leastSquaresCorrelation = 0.15
)

// The view and start are shared by the raw and the standardised problem,
// so that runs on the two compare side by side.
var (
	leastSquaresView  = View{-1, 5, -2, 4}
	leastSquaresStart = Point{-0.5, 2.5}
)

// LeastSquaresSurface returns the least-squares surface: linear regression
// without bias on 64 synthetic examples, with the two weights as x and y.
// Its raw features have very different scales and nonzero means, which
// makes the loss a long, tilted ravine with condition number about 92;
// with normalize, the features are standardised (and the targets centred,
// which is what a bias would absorb), and the ravine becomes a nearly
// round bowl whose condition number is exactly (1 + ρ)/(1 − ρ) ≈ 1.35,
// from the features' correlation ρ = 0.15. Both are named
// "least-squares" and share the view and start; only the raw one is in
// the catalogue.
func LeastSquaresSurface(normalize bool) Surface {
	ls := NewLeastSquares(normalize)
	s := Surface{
		TwiceDifferentiable: ls,
		Name:                "least-squares",
		Formula:             "(1/64) Σᵢ (x·aᵢ + y·bᵢ − tᵢ)²",
		About: "Linear regression with two weights on 64 examples whose features differ in scale (about 1 and about 5) and are correlated: " +
			"the mean squared error is a long, tilted ravine, so a learning rate safe across it crawls along it. " +
			"Standardising the features (normalize) turns the ravine into a round bowl: the reason normalising inputs, " +
			"and batch normalization's reparametrization, makes gradient descent easy.",
		View:   leastSquaresView,
		Start:  leastSquaresStart,
		Minima: []Point{ls.solution()},
	}
	if normalize {
		s.Formula = "(1/64) Σᵢ (x·âᵢ + y·b̂ᵢ − (tᵢ − t̄))², â and b̂ the standardised features"
		s.About = "The least-squares problem with its features standardised to mean 0 and variance 1, and its targets centred: " +
			"the ravine of the raw problem becomes a nearly round bowl (condition number 1.35, from the features' correlation of 0.15), " +
			"which gradient descent crosses in a few steps at a learning rate the raw problem would not survive."
	}
	return s
}

// LeastSquares is the mean squared error of a linear model without bias,
// with weights (x, y), on rows of features (aᵢ, bᵢ) and targets tᵢ:
//
//	f(x, y) = (1/n) Σᵢ (x·aᵢ + y·bᵢ − tᵢ)²
//
// Its Hessian is constant, (2/n) Σᵢ (aᵢ, bᵢ)(aᵢ, bᵢ)ᵀ = 2XᵀX/n, and its only
// minimum is the least-squares solution of X(x, y)ᵀ = t.
//
// The data are synthetic and fixed: a PCG generator with a fixed seed draws
// standard normals u, w and noise ε (by the Box–Muller transform, from the
// generator's raw output, so the data never change with the standard
// library); u is standardised exactly, w is made uncorrelated with it, and
// v = ρu + √(1 − ρ²)w then has sample correlation ρ = 0.15 exactly. The
// features are aᵢ = 1 + 0.5uᵢ and bᵢ = 5 + 2vᵢ, and the targets
// tᵢ = 2aᵢ + bᵢ + 0.5εᵢ.
//
// GradientOn gives the gradient on a subset of the rows, for stochastic
// methods that sample real minibatches. A LeastSquares is immutable.
//
// Reference: Goodfellow, Bengio and Courville, Deep Learning (2016), §5.1.4
// on linear regression, §8.1.3 on minibatches and §8.7.1 on normalization.
type LeastSquares struct {
	features [][2]float64
	targets  []float64
	hessian  Hessian
}

// NewLeastSquares returns the least-squares problem of the least-squares
// surface, with its features standardised and its targets centred if
// normalize is set.
func NewLeastSquares(normalize bool) *LeastSquares {
	features, targets := leastSquaresData()
	if normalize {
		features, targets = standardise(features, targets)
	}
	ls := &LeastSquares{features: features, targets: targets}
	n := float64(len(features))
	for _, a := range features {
		ls.hessian.XX += a[0] * a[0]
		ls.hessian.XY += a[0] * a[1]
		ls.hessian.YY += a[1] * a[1]
	}
	ls.hessian.XX *= 2 / n
	ls.hessian.XY *= 2 / n
	ls.hessian.YY *= 2 / n
	return ls
}

// Rows returns the number of examples.
func (ls *LeastSquares) Rows() int { return len(ls.features) }

// Value returns f(p), the mean of the squared residuals.
func (ls *LeastSquares) Value(p Point) float64 {
	var sum float64
	for i, a := range ls.features {
		r := p[0]*a[0] + p[1]*a[1] - ls.targets[i]
		sum += r * r
	}
	return sum / float64(len(ls.features))
}

// Gradient returns ∇f(p) = (2/n) Σᵢ rᵢ (aᵢ, bᵢ), with rᵢ the residuals.
func (ls *LeastSquares) Gradient(p Point) Point {
	var g Point
	for i, a := range ls.features {
		r := p[0]*a[0] + p[1]*a[1] - ls.targets[i]
		g[0] += r * a[0]
		g[1] += r * a[1]
	}
	scale := 2 / float64(len(ls.features))
	return Point{scale * g[0], scale * g[1]}
}

// GradientOn returns the gradient at p of the mean squared error over the
// given rows alone, (2/m) Σ_{i ∈ rows} rᵢ (aᵢ, bᵢ) for m rows: the gradient
// of a minibatch. Rows may repeat, as when sampling with replacement. It
// panics if rows is empty or names a row that does not exist.
func (ls *LeastSquares) GradientOn(p Point, rows []int) Point {
	if len(rows) == 0 {
		panic("surfaces: GradientOn needs at least one row")
	}
	var g Point
	for _, i := range rows {
		if i < 0 || i >= len(ls.features) {
			panic(fmt.Sprintf("surfaces: GradientOn of row %d, outside [0, %d)", i, len(ls.features)))
		}
		a := ls.features[i]
		r := p[0]*a[0] + p[1]*a[1] - ls.targets[i]
		g[0] += r * a[0]
		g[1] += r * a[1]
	}
	scale := 2 / float64(len(rows))
	return Point{scale * g[0], scale * g[1]}
}

// Hessian returns the constant ∇²f = 2XᵀX/n.
func (ls *LeastSquares) Hessian(Point) Hessian { return ls.hessian }

// solution returns the minimiser, solving the normal equations
// ∇²f·w = (2/n)Xᵀt by Cramer's rule.
func (ls *LeastSquares) solution() Point {
	var c Point
	for i, a := range ls.features {
		c[0] += a[0] * ls.targets[i]
		c[1] += a[1] * ls.targets[i]
	}
	scale := 2 / float64(len(ls.features))
	c[0] *= scale
	c[1] *= scale
	h := ls.hessian
	det := h.XX*h.YY - h.XY*h.XY
	return Point{(h.YY*c[0] - h.XY*c[1]) / det, (h.XX*c[1] - h.XY*c[0]) / det}
}

// leastSquaresData generates the raw features and targets described in
// LeastSquares.
func leastSquaresData() (features [][2]float64, targets []float64) {
	const n = leastSquaresRows
	normal := normalSource(rand.NewPCG(2016, 8))
	u, w, noise := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		u[i], w[i], noise[i] = normal(), normal(), normal()
	}
	// u: mean 0 and mean square 1; w: the same, and orthogonal to u.
	standardiseColumn(u)
	var dot float64
	for i := range n {
		dot += u[i] * w[i]
	}
	for i := range n {
		w[i] -= dot / n * u[i]
	}
	standardiseColumn(w)

	rho := leastSquaresCorrelation
	features = make([][2]float64, n)
	targets = make([]float64, n)
	for i := range n {
		v := rho*u[i] + math.Sqrt(1-rho*rho)*w[i]
		features[i] = [2]float64{1 + 0.5*u[i], 5 + 2*v}
		targets[i] = 2*features[i][0] + features[i][1] + 0.5*noise[i]
	}
	return features, targets
}

// standardise returns the features shifted and scaled to mean 0 and
// variance 1 (dividing by n), and the targets shifted to mean 0.
func standardise(features [][2]float64, targets []float64) ([][2]float64, []float64) {
	n := len(features)
	a, b := make([]float64, n), make([]float64, n)
	for i, f := range features {
		a[i], b[i] = f[0], f[1]
	}
	standardiseColumn(a)
	standardiseColumn(b)
	std := make([][2]float64, n)
	for i := range n {
		std[i] = [2]float64{a[i], b[i]}
	}
	centred := make([]float64, n)
	mean := meanOf(targets)
	for i, t := range targets {
		centred[i] = t - mean
	}
	return std, centred
}

// standardiseColumn shifts and scales c in place to mean 0 and mean
// square 1.
func standardiseColumn(c []float64) {
	mean := meanOf(c)
	var ss float64
	for i := range c {
		c[i] -= mean
		ss += c[i] * c[i]
	}
	sd := math.Sqrt(ss / float64(len(c)))
	for i := range c {
		c[i] /= sd
	}
}

func meanOf(c []float64) float64 {
	var sum float64
	for _, v := range c {
		sum += v
	}
	return sum / float64(len(c))
}

// normalSource returns a generator of standard normal numbers drawn from
// src by the Box–Muller transform. It uses only src's raw 64-bit output,
// whose sequence math/rand/v2 specifies for PCG, so that the numbers do
// not depend on how the standard library turns bits into distributions.
func normalSource(src *rand.PCG) func() float64 {
	var spare float64
	var haveSpare bool
	uniform := func() float64 { // in (0, 1)
		return (float64(src.Uint64()>>11) + 0.5) / (1 << 53)
	}
	return func() float64 {
		if haveSpare {
			haveSpare = false
			return spare
		}
		r := math.Sqrt(-2 * math.Log(uniform()))
		theta := 2 * math.Pi * uniform()
		spare, haveSpare = r*math.Sin(theta), true
		return r * math.Cos(theta)
	}
}
