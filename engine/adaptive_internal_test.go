package engine

import (
	"math"
	"math/rand/v2"
	"testing"

	"saddlepoint/surfaces"
)

// TestAdamPowersLeaveSubnormals checks that betaᵗ goes to exactly 0 rather
// than sticking at a subnormal number, which would slow every later step.
func TestAdamPowersLeaveSubnormals(t *testing.T) {
	t.Parallel()
	opt := &Adam{LR: 0.001, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
	theta := Point{-1.2, 1}
	for range 10000 {
		theta, _ = opt.Step(&surfaces.Bowl{}, theta, Point{1, -1})
		for _, p := range []float64{opt.beta1t, opt.beta2t} {
			if p != 0 && p < 0x1p-54 {
				t.Fatalf("t = %d: betaᵗ = %g, want 0 once 1 − betaᵗ rounds to 1", opt.t, p)
			}
		}
	}
	if opt.beta1t != 0 {
		t.Errorf("0.9¹⁰⁰⁰⁰ kept as %g, want 0", opt.beta1t)
	}
	// 0.999¹⁰⁰⁰⁰ ≈ 4.5e-5.
	if want := math.Pow(0.999, 10000); math.Abs(opt.beta2t-want) > 1e-12*want {
		t.Errorf("0.999¹⁰⁰⁰⁰ kept as %g, want %g", opt.beta2t, want)
	}
}

// TestRMSPropNesterovUpdateBitForBit checks rmspropNesterovUpdate, in
// assembly on amd64, against rmspropNesterovUpdateGo, the book's rule
// written coordinate by coordinate in Go: every result must be the same
// float64, bit for bit, for random states and for the values where rounding
// and signs are most delicate (±0, subnormals, infinities, NaN, eps = 0).
// Which NaN comes out is left open, as Go leaves it. Where the assembly is
// not built (other architectures, or -tags purego), rmspropNesterovUpdate is
// rmspropNesterovUpdateGo itself and there is nothing to compare.
func TestRMSPropNesterovUpdateBitForBit(t *testing.T) {
	if !rmspropNesterovInAssembly {
		t.Skip("rmspropNesterovUpdate is the Go version in this build (not amd64, or -tags purego): no assembly to compare with it")
	}
	t.Parallel()
	special := []float64{0, math.Copysign(0, -1), 1, -1, 0x1p-1074, -0x1p-1060, 0x1p-1022,
		math.MaxFloat64, -math.MaxFloat64, 1e-300, 1e300, math.Inf(1), math.Inf(-1), math.NaN()}
	rng := rand.New(rand.NewPCG(6, 8))
	pick := func() float64 {
		switch rng.IntN(4) {
		case 0:
			return special[rng.IntN(len(special))]
		case 1:
			return rng.NormFloat64()
		default:
			return rng.NormFloat64() * math.Pow(10, float64(rng.IntN(40)-20))
		}
	}
	unit := func() float64 {
		if rng.IntN(4) == 0 {
			return []float64{0, 1, 0.5, 0.9}[rng.IntN(4)]
		}
		return rng.Float64()
	}
	for i := range 200000 {
		o := &RMSPropNesterov{LR: math.Abs(pick()), Rho: unit(), Momentum: unit(), Eps: unit() * 1e-6,
			r: Point{math.Abs(pick()), math.Abs(pick())}, v: Point{pick(), pick()}}
		if i%3 == 0 {
			o.Eps = 0
		}
		theta, grad := Point{pick(), pick()}, Point{pick(), pick()}
		want := *o
		var wantNext Point
		rmspropNesterovUpdateGo(&want, &theta, &grad, &wantNext)
		var next Point
		rmspropNesterovUpdate(o, &theta, &grad, &next)
		if !samePoint(next, wantNext) || !samePoint(o.r, want.r) || !samePoint(o.v, want.v) ||
			!samePoint(o.g, grad) || !samePoint(want.g, grad) {
			t.Fatalf("lr %g rho %g momentum %g eps %g, θ %v, g %v: got next %v r %v v %v g %v, want %v %v %v %v",
				o.LR, o.Rho, o.Momentum, o.Eps, theta, grad, next, o.r, o.v, o.g, wantNext, want.r, want.v, grad)
		}
	}
}

// samePoint reports whether a and b hold the same bits in each coordinate,
// but for NaN: any NaN matches any other, since Go leaves which NaN an
// operation gives unspecified (the compiler may swap a product's operands).
func samePoint(a, b Point) bool {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}
