package surfaces

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// leastSquaresMeanSquareTarget is the least-squares loss at the origin,
// the mean of the squared targets, which pins the generated data.
const leastSquaresMeanSquareTarget = 56.023738561905212

// conditionNumber returns the ratio of h's eigenvalues, largest to
// smallest, for a positive definite h.
func conditionNumber(h Hessian) float64 {
	mean := (h.XX + h.YY) / 2
	d := math.Hypot((h.XX-h.YY)/2, h.XY)
	return (mean + d) / (mean - d)
}

// TestLeastSquaresHessian checks that the data have exactly the designed
// moments: features with means 1 and 5, standard deviations 0.5 and 2 and
// correlation 0.15, so that the Hessian is 2XᵀX/n = 2[1.25 5.15; 5.15 29],
// and, standardised, 2[1 0.15; 0.15 1] with condition number
// (1 + 0.15)/(1 − 0.15).
func TestLeastSquaresHessian(t *testing.T) {
	t.Parallel()
	tests := []struct {
		normalize bool
		want      Hessian
		cond      float64
	}{
		{false, Hessian{XX: 2.5, XY: 10.3, YY: 58}, 92.05878528110131},
		{true, Hessian{XX: 2, XY: 0.3, YY: 2}, 1.15 / 0.85},
	}
	for _, tt := range tests {
		name := "raw"
		if tt.normalize {
			name = "normalized"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ls := NewLeastSquares(tt.normalize)
			if ls.Rows() != 64 {
				t.Errorf("Rows() = %d, want 64", ls.Rows())
			}
			h := ls.Hessian(Point{})
			if !closeTo(h.XX, tt.want.XX, 1e-12) || !closeTo(h.XY, tt.want.XY, 1e-12) || !closeTo(h.YY, tt.want.YY, 1e-12) {
				t.Errorf("Hessian = %+v, want %+v", h, tt.want)
			}
			cond := conditionNumber(h)
			if !closeTo(cond, tt.cond, 1e-9) {
				t.Errorf("condition number = %.12g, want %.12g", cond, tt.cond)
			}
			if tt.normalize && cond >= 1.5 || !tt.normalize && cond <= 50 {
				t.Errorf("condition number = %.4g, want below 1.5 normalized and above 50 raw", cond)
			}
		})
	}
}

// TestLeastSquaresSolution checks the listed minimum against the
// least-squares solution of Xw = t by gonum's QR factorization, and pins
// the loss there: for the normalized problem, whose targets are centred,
// it is that of a fit with a bias, a little below the raw one.
func TestLeastSquaresSolution(t *testing.T) {
	t.Parallel()
	tests := []struct {
		normalize bool
		loss      float64
	}{
		{false, 0.22484100435180512},
		{true, 0.22192178392577913},
	}
	for _, tt := range tests {
		normalize := tt.normalize
		t.Run(map[bool]string{false: "raw", true: "normalized"}[normalize], func(t *testing.T) {
			t.Parallel()
			s := LeastSquaresSurface(normalize)
			ls := s.TwiceDifferentiable.(*LeastSquares)
			n := ls.Rows()
			x := mat.NewDense(n, 2, nil)
			for i, a := range ls.features {
				x.SetRow(i, a[:])
			}
			var w mat.VecDense
			if err := w.SolveVec(x, mat.NewVecDense(n, append([]float64(nil), ls.targets...))); err != nil {
				t.Fatal(err)
			}
			if len(s.Minima) != 1 {
				t.Fatalf("Minima = %v, want one", s.Minima)
			}
			m := s.Minima[0]
			if !closeTo(m[0], w.AtVec(0), 1e-12) || !closeTo(m[1], w.AtVec(1), 1e-12) {
				t.Errorf("minimum %v, least-squares solution (%.17g, %.17g)", m, w.AtVec(0), w.AtVec(1))
			}
			var r mat.VecDense
			r.MulVec(x, &w)
			r.SubVec(&r, mat.NewVecDense(n, ls.targets))
			if want := mat.Dot(&r, &r) / float64(n); !closeTo(s.Value(m), want, 1e-12) {
				t.Errorf("f at the minimum = %.17g, the residuals give %.17g", s.Value(m), want)
			}
			checkMinimum(t, s, m, tt.loss, false)
		})
	}
}

func TestLeastSquaresNormalizedSurface(t *testing.T) {
	t.Parallel()
	raw, norm := LeastSquaresSurface(false), LeastSquaresSurface(true)
	if norm.Name != "least-squares" || norm.View != raw.View || norm.Start != raw.Start {
		t.Errorf("normalized: name %q, view %+v, start %v; want those of the raw surface", norm.Name, norm.View, norm.Start)
	}
	if norm.Formula == raw.Formula || norm.About == raw.About {
		t.Errorf("the normalized surface has the raw one's formula or about")
	}
	if s, _ := Lookup("least-squares"); s.Formula != raw.Formula {
		t.Errorf("the catalogue's least-squares is not the raw one")
	}
	if !norm.View.Contains(norm.Minima[0]) || !raw.View.Contains(raw.Minima[0]) {
		t.Errorf("minima %v and %v, not both in the view %+v", raw.Minima, norm.Minima, raw.View)
	}
	for _, p := range testPoints(norm.View) {
		checkGradient(t, norm, p)
		checkHessian(t, norm, p)
	}
}

func TestGradientOn(t *testing.T) {
	t.Parallel()
	ls := NewLeastSquares(false)
	p := Point{-0.5, 2.5}
	all := make([]int, ls.Rows())
	for i := range all {
		all[i] = i
	}
	closePoints := func(a, b Point) bool { return closeTo(a[0], b[0], 1e-12) && closeTo(a[1], b[1], 1e-12) }

	if got, want := ls.GradientOn(p, all), ls.Gradient(p); !closePoints(got, want) {
		t.Errorf("GradientOn(all rows) = %v, Gradient = %v", got, want)
	}
	var mean Point
	for i := range all {
		g := ls.GradientOn(p, []int{i})
		mean[0] += g[0] / float64(len(all))
		mean[1] += g[1] / float64(len(all))
	}
	if want := ls.Gradient(p); !closePoints(mean, want) {
		t.Errorf("the mean of the one-row gradients = %v, Gradient = %v", mean, want)
	}
	// A minibatch, with a row repeated, is the full gradient of the
	// problem made of those rows.
	rows := []int{3, 17, 17, 40, 63}
	sub := &LeastSquares{}
	for _, i := range rows {
		sub.features = append(sub.features, ls.features[i])
		sub.targets = append(sub.targets, ls.targets[i])
	}
	if got, want := ls.GradientOn(p, rows), sub.Gradient(p); !closePoints(got, want) {
		t.Errorf("GradientOn(%v) = %v, the gradient of those rows' loss = %v", rows, got, want)
	}

	for _, bad := range [][]int{nil, {}, {-1}, {64}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("GradientOn(%v) did not panic", bad)
				}
			}()
			ls.GradientOn(p, bad)
		}()
	}
}
