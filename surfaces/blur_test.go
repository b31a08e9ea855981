package surfaces

import (
	"fmt"
	"math"
	"testing"
)

// blurSigmas are the σ the blur is checked at: the small, middling and
// large blurs a continuation run goes through, up to MaxBlurSigma.
var blurSigmas = []float64{0.05, 0.2, 0.5, 1, 2, MaxBlurSigma}

// closedBlur is a surface whose Gaussian blur has a closed form: its value,
// gradient and Hessian at p for standard deviation σ.
type closedBlur struct {
	name     string
	f        TwiceDifferentiable
	view     View
	value    func(p Point, sigma float64) float64
	gradient func(p Point, sigma float64) Point
	hessian  func(p Point, sigma float64) Hessian
}

// closedBlurs derive from E[ε] = 0, E[ε²] = σ², E[ε⁴] = 3σ⁴ and, for the
// ripples, E[cos(2π(x + ε))] = exp(−2π²σ²)·cos(2πx).
var closedBlurs = []closedBlur{
	{
		name: "bowl", f: &Bowl{}, view: View{-3, 3, -3, 3},
		// E[(x + ε₁)² + (y + ε₂)²] = x² + y² + 2σ²: the blur adds 2σ².
		value:    func(p Point, s float64) float64 { return p[0]*p[0] + p[1]*p[1] + 2*s*s },
		gradient: func(p Point, _ float64) Point { return Point{2 * p[0], 2 * p[1]} },
		hessian:  func(Point, float64) Hessian { return Hessian{XX: 2, YY: 2} },
	},
	{
		name: "saddle", f: &Saddle{}, view: View{-3, 3, -3, 3},
		// The σ² of x² and y² cancel.
		value:    func(p Point, _ float64) float64 { return p[0]*p[0] - p[1]*p[1] },
		gradient: func(p Point, _ float64) Point { return Point{2 * p[0], -2 * p[1]} },
		hessian:  func(Point, float64) Hessian { return Hessian{XX: 2, YY: -2} },
	},
	{
		name: "deep-linear", f: &DeepLinear{}, view: View{-2, 2, -2, 2},
		// E[(1 − (x + a)(y + b))²] = (1 − xy)² + σ²(x² + y²) + σ⁴.
		value: func(p Point, s float64) float64 {
			x, y := p[0], p[1]
			r := 1 - x*y
			return r*r + s*s*(x*x+y*y) + s*s*s*s
		},
		gradient: func(p Point, s float64) Point {
			x, y := p[0], p[1]
			r := 1 - x*y
			return Point{-2*y*r + 2*s*s*x, -2*x*r + 2*s*s*y}
		},
		hessian: func(p Point, s float64) Hessian {
			x, y := p[0], p[1]
			return Hessian{XX: 2*y*y + 2*s*s, XY: 4*x*y - 2, YY: 2*x*x + 2*s*s}
		},
	},
	{
		name: "rastrigin", f: &Rastrigin{}, view: View{-5.12, 5.12, -5.12, 5.12},
		// 20 + x² + y² + 2σ² − 10·exp(−2π²σ²)·(cos 2πx + cos 2πy).
		value: func(p Point, s float64) float64 {
			x, y := p[0], p[1]
			d := rippleDamping(s)
			return 20 + x*x + y*y + 2*s*s - 10*d*(math.Cos(2*math.Pi*x)+math.Cos(2*math.Pi*y))
		},
		gradient: func(p Point, s float64) Point {
			x, y := p[0], p[1]
			d := rippleDamping(s)
			return Point{2*x + 20*math.Pi*d*math.Sin(2*math.Pi*x), 2*y + 20*math.Pi*d*math.Sin(2*math.Pi*y)}
		},
		hessian: func(p Point, s float64) Hessian {
			x, y := p[0], p[1]
			c := 40 * math.Pi * math.Pi * rippleDamping(s)
			return Hessian{XX: 2 + c*math.Cos(2*math.Pi*x), YY: 2 + c*math.Cos(2*math.Pi*y)}
		},
	},
}

// rippleDamping is exp(−2π²σ²), the factor a blur of standard deviation σ
// scales a unit-wavelength ripple by.
func rippleDamping(sigma float64) float64 { return math.Exp(-2 * math.Pi * math.Pi * sigma * sigma) }

// blurTol is the largest error allowed of a blurred value, gradient entry or
// Hessian entry against its closed form. The largest errors seen are on
// Rastrigin at σ = 3: 2e-12 in the value, 6e-12 in the gradient and 4e-11
// in the Hessian.
const blurTol = 1e-9

func TestBlurredClosedForms(t *testing.T) {
	t.Parallel()
	for _, c := range closedBlurs {
		for _, sigma := range blurSigmas {
			t.Run(fmt.Sprintf("%s/σ=%g", c.name, sigma), func(t *testing.T) {
				t.Parallel()
				b := NewBlurred(c.f, sigma)
				for _, p := range testPoints(c.view) {
					checkClose(t, "value", p, b.Value(p), c.value(p, sigma))
					got, want := b.Gradient(p), c.gradient(p, sigma)
					checkClose(t, "∂/∂x", p, got[0], want[0])
					checkClose(t, "∂/∂y", p, got[1], want[1])
					h, wh := b.Hessian(p), c.hessian(p, sigma)
					checkClose(t, "∂²/∂x²", p, h.XX, wh.XX)
					checkClose(t, "∂²/∂x∂y", p, h.XY, wh.XY)
					checkClose(t, "∂²/∂y²", p, h.YY, wh.YY)
				}
			})
		}
	}
}

// checkClose fails unless got is within blurTol of want.
func checkClose(tb testing.TB, what string, p Point, got, want float64) {
	tb.Helper()
	if math.Abs(got-want) > blurTol {
		tb.Errorf("%s at (%g, %g) = %.15g, closed form %.15g (error %.3g)", what, p[0], p[1], got, want, got-want)
	}
}

// unresolvedByBlur names the surfaces with features so much narrower than
// a unit wavelength that the quadrature sum, n² shifted copies of the
// surface, keeps them: finite differences cannot check its derivatives.
var unresolvedByBlur = map[string]string{
	"cliff": "its wall is 1/200 wide, so the blur by quadrature is a staircase of walls",
}

// TestBlurredDerivatives checks the blurred gradient against finite
// differences of the blurred value, and the blurred Hessian against finite
// differences of both, on every surface of the catalogue but those in
// unresolvedByBlur.
func TestBlurredDerivatives(t *testing.T) {
	t.Parallel()
	for _, s := range All() {
		if reason, ok := unresolvedByBlur[s.Name]; ok {
			t.Logf("%s left out: %s", s.Name, reason)
			continue
		}
		for _, sigma := range []float64{0.2, 1} {
			t.Run(fmt.Sprintf("%s/σ=%g", s.Name, sigma), func(t *testing.T) {
				t.Parallel()
				blurred := s
				blurred.TwiceDifferentiable = NewBlurred(s, sigma)
				blurred.Name = fmt.Sprintf("%s blurred by σ = %g", s.Name, sigma)
				for i, p := range testPoints(s.View) {
					if i%6 != 0 { // a sixth of the points, 21, keeps the test quick
						continue
					}
					checkGradient(t, blurred, p)
					checkHessian(t, blurred, p)
					checkHessianOfGradient(t, blurred, p)
				}
			})
		}
	}
}

func TestBlurredZeroSigmaIsTheSurface(t *testing.T) {
	t.Parallel()
	for _, s := range All() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			b := NewBlurred(s, 0)
			if b.Nodes() != 1 || b.Sigma() != 0 {
				t.Errorf("NewBlurred(σ = 0) has %d nodes and σ = %g, want 1 and 0", b.Nodes(), b.Sigma())
			}
			for _, p := range testPoints(s.View) {
				if got, want := b.Value(p), s.Value(p); got != want {
					t.Errorf("value at %v = %v, surface gives %v", p, got, want)
				}
				if got, want := b.Gradient(p), s.Gradient(p); got != want {
					t.Errorf("gradient at %v = %v, surface gives %v", p, got, want)
				}
				if got, want := b.Hessian(p), s.Hessian(p); got != want {
					t.Errorf("Hessian at %v = %v, surface gives %v", p, got, want)
				}
			}
		})
	}
}

// TestBlurRule checks the rule chosen for every σ up to MaxBlurSigma in
// steps of 0.01: it exists within gonum's tables, grows with σ, and its
// weights are those of a standard normal scaled by σ (total 1, mean 0,
// variance σ²), which is what makes the blur of a quadratic exact.
func TestBlurRule(t *testing.T) {
	t.Parallel()
	prev := 0
	for k := 1; k <= 300; k++ {
		sigma := float64(k) / 100
		b := NewBlurred(&Bowl{}, sigma)
		n := b.Nodes()
		if n < minBlurNodes || n > maxBlurNodes || n < prev {
			t.Errorf("σ = %g: %d nodes, want between %d and %d and no fewer than the %d of a smaller σ",
				sigma, n, minBlurNodes, maxBlurNodes, prev)
		}
		prev = n
		var total, mean, variance, ripple float64
		for i, u := range b.offset {
			total += b.weight[i]
			mean += b.weight[i] * u
			variance += b.weight[i] * u * u
			ripple += b.weight[i] * math.Cos(2*math.Pi*u)
		}
		if math.Abs(total-1) > 1e-14 || math.Abs(mean) > 1e-14 || math.Abs(variance-sigma*sigma) > 1e-14*(1+sigma*sigma) {
			t.Errorf("σ = %g: the weights total %.17g with mean %.3g and variance %.17g, want 1, 0 and %.17g",
				sigma, total, mean, variance, sigma*sigma)
		}
		if e := math.Abs(ripple - rippleDamping(sigma)); e > blurRippleTol {
			t.Errorf("σ = %g: a unit ripple blurs to within %.3g of exp(−2π²σ²), want %g", sigma, e, blurRippleTol)
		}
		// The pairs pruned weigh next to nothing, and every row is a run
		// of neighbours about the middle.
		var kept float64
		pairs := 0
		for _, r := range b.rows {
			for j := r.lo; j < r.hi; j++ {
				kept += r.w * b.weight[j]
			}
			pairs += r.hi - r.lo
			if r.lo != n-r.hi {
				t.Errorf("σ = %g: row at %g keeps nodes %d to %d of %d, not symmetric", sigma, r.u, r.lo, r.hi-1, n)
			}
		}
		if math.Abs(kept-1) > 1e-14 || pairs != b.Evaluations() || pairs > n*n {
			t.Errorf("σ = %g: %d pairs (Evaluations %d) of %d weigh %.17g, want at most %d weighing 1",
				sigma, pairs, b.Evaluations(), n*n, kept, n*n)
		}
	}
	for _, tt := range []struct {
		sigma        float64
		nodes, pairs int
	}{{0.05, 8, 64}, {0.25, 14, 196}, {0.5, 23, 473}, {1, 43, 1013}, {2, 98, 2480}, {3, 171, 4405}} {
		b := NewBlurred(&Bowl{}, tt.sigma)
		if b.Nodes() != tt.nodes || b.Evaluations() != tt.pairs {
			t.Errorf("σ = %g: %d nodes and %d pairs, the doc comment says %d and %d",
				tt.sigma, b.Nodes(), b.Evaluations(), tt.nodes, tt.pairs)
		}
	}
}

func TestNewBlurredRejects(t *testing.T) {
	t.Parallel()
	for _, sigma := range []float64{-1e-300, -1, MaxBlurSigma * (1 + 1e-15), math.Inf(1), math.NaN()} {
		t.Run(fmt.Sprint(sigma), func(t *testing.T) {
			t.Parallel()
			defer func() {
				if recover() == nil {
					t.Errorf("NewBlurred(σ = %g) did not panic", sigma)
				}
			}()
			NewBlurred(&Bowl{}, sigma)
		})
	}
}

// TestBlurredAllocatesNothing is not parallel: AllocsPerRun counts the
// allocations of the whole process.
func TestBlurredAllocatesNothing(t *testing.T) {
	b := NewBlurred(&Rastrigin{}, 0.5)
	p := Point{0.3, -1.2}
	for name, call := range map[string]func(){
		"Value":    func() { b.Value(p) },
		"Gradient": func() { b.Gradient(p) },
		"Hessian":  func() { b.Hessian(p) },
	} {
		if n := testing.AllocsPerRun(10, call); n != 0 {
			t.Errorf("%s allocates %g times per call, want 0", name, n)
		}
	}
}

// BenchmarkBlurred measures one value and one gradient of the blurred
// Rastrigin, what a first-order step on a blurred stage costs, at the σ of a
// continuation run that starts at 2 and halves.
func BenchmarkBlurred(b *testing.B) {
	for _, sigma := range []float64{0.25, 0.5, 1, 2} {
		blurred := NewBlurred(&Rastrigin{}, sigma)
		b.Run(fmt.Sprintf("rastrigin/σ=%g/evaluations=%d", sigma, blurred.Evaluations()), func(b *testing.B) {
			p := Point{2.3, -1.6}
			var sink float64
			for b.Loop() {
				g := blurred.Gradient(p)
				sink += blurred.Value(p) + g[0]
			}
			_ = sink
		})
	}
}
