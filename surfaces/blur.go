package surfaces

import (
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/integrate/quad"
)

// Limits and accuracy of the Gaussian blur.
const (
	// MaxBlurSigma is the largest σ a Blurred surface accepts: the largest
	// for which a Gauss–Hermite rule of at most maxBlurNodes nodes per
	// dimension meets blurRippleTol (σ = 3 needs 171).
	MaxBlurSigma = 3.0

	// minBlurNodes is the fewest nodes per dimension a blur uses, so that it
	// is exact for every polynomial of degree up to 2·8 − 1 = 15 in each
	// variable, which covers every polynomial surface of the catalogue.
	minBlurNodes = 8
	// maxBlurNodes is the largest rule gonum tabulates; beyond it gonum
	// switches to an asymptotic method that is slower to set up.
	maxBlurNodes = 200
	// blurRippleTol is how closely a blur's rule must reproduce the exact
	// blur exp(−2π²σ²) of a ripple cos(2πu) of unit wavelength.
	blurRippleTol = 1e-13
	// blurPruneTol is the smallest weight of a pair of nodes that a blur
	// keeps, relative to the largest.
	blurPruneTol = 1e-18
)

// Blurred is the Gaussian blur of a surface J, the smoothed objective of the
// continuation methods of section 8.7.6 of the book:
//
//	J_σ(θ) = E[J(θ + ε)],  ε ~ N(0, σ²I),
//
// with gradient ∇J_σ(θ) = E[∇J(θ + ε)] and Hessian ∇²J_σ(θ) = E[∇²J(θ + ε)],
// since differentiation and expectation commute. Blurring fills in narrow
// dimples and keeps broad shapes: a ripple cos(2πx/λ) of wavelength λ is
// damped by exp(−2π²σ²/λ²), and a quadratic only gains a constant,
// E[(x + ε₁)²] = x² + σ².
//
// The expectations are computed deterministically, by tensor-product
// Gauss–Hermite quadrature with n nodes per dimension (gonum's quad.Hermite,
// for the weight e^(−x²)):
//
//	J_σ(θ) ≈ Σᵢ Σⱼ wᵢ wⱼ J(θ + √2·σ·(xᵢ, xⱼ)) / π,
//
// leaving out the pairs of nodes whose weight wᵢwⱼ is below 1e-18 of the
// largest, far out in the Gaussian's tails: a call costs Evaluations() ≤ n²
// evaluations of J (of ∇J, of ∇²J) and allocates nothing. The full rule is
// exact when J is a polynomial of degree at most 2n − 1 in each variable.
// The node count n is chosen once, at construction, as the smallest n ≥ 8
// for which the rule reproduces the exact blur exp(−2π²σ²) of a
// unit-wavelength ripple cos(2πu) to within 1e-13: it grows with σ, from 8
// nodes below σ = 0.087 to 14 at σ = 0.25, 23 at 0.5, 43 at 1, 98 at 2 and
// 171 at MaxBlurSigma = 3, of which the pruning keeps 196, 473, 1013, 2480
// and 4405 pairs. On Rastrigin, whose ripples are 10cos(2πx) and
// 10cos(2πy), the blurred value, gradient and Hessian agree with their
// closed forms to within 1e-9 over its view, for every σ (blurTol in the
// tests; the largest errors seen, at σ = 3, are some 2e-12, 6e-12 and 4e-11).
//
// Features much narrower than a unit wavelength are blurred less
// accurately: a wall or kink of width w ≪ 1, such as the cliff's, comes out
// as a staircase of n shifted copies of it, about √2·σ·π/√(2n) apart near θ
// (0.5 at σ = 1), rather than as one smooth ramp.
//
// A Blurred with σ = 0 is J itself: its methods return J's values exactly.
type Blurred struct {
	f      TwiceDifferentiable
	sigma  float64
	offset []float64 // √2·σ·xᵢ: the nodes, as offsets from θ
	weight []float64 // wᵢ/√π: the weights of the standard normal, summing to 1
	rows   []blurRow // the pairs of nodes kept, row by row
	evals  int       // the number of pairs kept
}

// blurRow is row i of the pruned tensor-product rule: the nodes
// θ + (u, offset[j]) with weights w·weight[j], for j from lo to hi − 1.
type blurRow struct {
	u, w   float64 // offset[i] and weight[i]
	lo, hi int
}

var _ TwiceDifferentiable = (*Blurred)(nil)

// NewBlurred returns the Gaussian blur of f with standard deviation σ, which
// must be in [0, MaxBlurSigma].
func NewBlurred(f TwiceDifferentiable, sigma float64) *Blurred {
	if !(sigma >= 0 && sigma <= MaxBlurSigma) {
		panic("surfaces: the σ of a blur must be between 0 and 3")
	}
	b := &Blurred{f: f, sigma: sigma, evals: 1}
	if sigma > 0 {
		b.offset, b.weight = blurRule(sigma)
		b.rows, b.evals = pruneRule(b.offset, b.weight)
	}
	return b
}

// blurRule returns the nodes, as offsets √2·σ·xᵢ, and the weights wᵢ/√π of
// the smallest Gauss–Hermite rule of at least minBlurNodes nodes that blurs
// a unit-wavelength ripple to within blurRippleTol.
func blurRule(sigma float64) (offset, weight []float64) {
	var xs, ws [maxBlurNodes]float64
	exact := math.Exp(-2 * math.Pi * math.Pi * sigma * sigma)
	for n := minBlurNodes; n <= maxBlurNodes; n++ {
		x, w := xs[:n], ws[:n]
		quad.Hermite{}.FixedLocations(x, w, math.Inf(-1), math.Inf(1))
		var ripple float64
		for i := range x {
			ripple += w[i] / math.SqrtPi * math.Cos(2*math.Pi*math.Sqrt2*sigma*x[i])
		}
		if math.Abs(ripple-exact) > blurRippleTol {
			continue
		}
		offset, weight = make([]float64, n), make([]float64, n)
		for i := range x {
			offset[i] = math.Sqrt2 * sigma * x[i]
			weight[i] = w[i] / math.SqrtPi
		}
		return offset, weight
	}
	// Unreachable for σ ≤ MaxBlurSigma, as a test checks.
	panic("surfaces: no Gauss–Hermite rule blurs accurately enough at σ = " + strconv.FormatFloat(sigma, 'g', -1, 64))
}

// pruneRule returns the rows of the tensor product of the rule with itself
// that keep the pairs of nodes whose weight is at least blurPruneTol times
// the largest, and the number of pairs kept. The weights rise to the middle
// and fall after it, so the pairs kept in a row are a run of neighbours.
func pruneRule(offset, weight []float64) (rows []blurRow, pairs int) {
	top := slices.Max(weight)
	for i, w := range weight {
		lo, hi := 0, len(weight)
		for lo < hi && w*weight[lo] < blurPruneTol*top*top {
			lo++
		}
		for hi > lo && w*weight[hi-1] < blurPruneTol*top*top {
			hi--
		}
		if lo < hi {
			rows = append(rows, blurRow{u: offset[i], w: w, lo: lo, hi: hi})
			pairs += hi - lo
		}
	}
	return rows, pairs
}

// Sigma returns the blur's standard deviation σ.
func (b *Blurred) Sigma() float64 { return b.sigma }

// Nodes returns the number n of quadrature nodes per dimension; it is 1
// when σ = 0.
func (b *Blurred) Nodes() int { return max(len(b.offset), 1) }

// Evaluations returns the number of evaluations of the surface (of its
// value, gradient or Hessian) that each call of the same method costs: the
// pairs of nodes left after pruning, at most Nodes()²; it is 1 when σ = 0.
func (b *Blurred) Evaluations() int { return b.evals }

// Value returns J_σ(p).
func (b *Blurred) Value(p Point) float64 {
	if b.sigma == 0 {
		return b.f.Value(p)
	}
	var sum float64
	for _, r := range b.rows {
		var row float64
		for j := r.lo; j < r.hi; j++ {
			row += b.weight[j] * b.f.Value(Point{p[0] + r.u, p[1] + b.offset[j]})
		}
		sum += r.w * row
	}
	return sum
}

// Gradient returns ∇J_σ(p) = E[∇J(p + ε)].
func (b *Blurred) Gradient(p Point) Point {
	if b.sigma == 0 {
		return b.f.Gradient(p)
	}
	var sum Point
	for _, r := range b.rows {
		var row Point
		for j := r.lo; j < r.hi; j++ {
			g := b.f.Gradient(Point{p[0] + r.u, p[1] + b.offset[j]})
			row[0] += b.weight[j] * g[0]
			row[1] += b.weight[j] * g[1]
		}
		sum[0] += r.w * row[0]
		sum[1] += r.w * row[1]
	}
	return sum
}

// Hessian returns ∇²J_σ(p) = E[∇²J(p + ε)].
func (b *Blurred) Hessian(p Point) Hessian {
	if b.sigma == 0 {
		return b.f.Hessian(p)
	}
	var sum Hessian
	for _, r := range b.rows {
		var row Hessian
		for j := r.lo; j < r.hi; j++ {
			h := b.f.Hessian(Point{p[0] + r.u, p[1] + b.offset[j]})
			row.XX += b.weight[j] * h.XX
			row.XY += b.weight[j] * h.XY
			row.YY += b.weight[j] * h.YY
		}
		sum.XX += r.w * row.XX
		sum.XY += r.w * row.XY
		sum.YY += r.w * row.YY
	}
	return sum
}
