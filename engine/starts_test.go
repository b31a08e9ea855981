package engine_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

func TestStartCloud(t *testing.T) {
	t.Parallel()
	for _, dist := range engine.Distributions {
		t.Run(dist, func(t *testing.T) {
			t.Parallel()
			c := engine.StartCloud{N: 4000, Distribution: dist, Scale: 0.5, Center: surfaces.Point{1, -2}, Seed: 7}
			points := c.Points()
			if len(points) != c.N {
				t.Fatalf("%d points, want %d", len(points), c.N)
			}
			// The first point is the generator's first two draws, scaled and
			// shifted: computed here from the same PCG independently.
			rng := rand.New(rand.NewPCG(7, 7))
			var u, v float64
			if dist == "normal" {
				u, v = rng.NormFloat64(), rng.NormFloat64()
			} else {
				u, v = 2*rng.Float64()-1, 2*rng.Float64()-1
			}
			if want := (surfaces.Point{1 + 0.5*u, -2 + 0.5*v}); points[0] != want {
				t.Errorf("first start %v, want %v", points[0], want)
			}
			var mean, sq surfaces.Point
			for _, p := range points {
				for i := range p {
					d := (p[i] - c.Center[i]) / c.Scale
					mean[i] += d / float64(c.N)
					sq[i] += d * d / float64(c.N)
					if dist == "uniform" && (d < -1 || d >= 1) {
						t.Fatalf("uniform start %v outside the square of half-width %g", p, c.Scale)
					}
				}
			}
			wantVar := 1.0 // normal
			if dist == "uniform" {
				wantVar = 1.0 / 3
			}
			for i := range mean {
				// 4000 draws: the mean is within 4 standard errors of 0.
				if math.Abs(mean[i]) > 4*math.Sqrt(wantVar/float64(c.N)) || math.Abs(sq[i]-wantVar) > 0.1*wantVar {
					t.Errorf("coordinate %d: scaled mean %g and mean square %g, want about 0 and %g", i, mean[i], sq[i], wantVar)
				}
			}
			again := c.Points()
			for i := range points {
				if points[i] != again[i] {
					t.Fatalf("the same seed gave a different start %d", i)
				}
			}
			c.Seed = 8
			if other := c.Points(); other[0] == points[0] {
				t.Error("another seed gave the same first start")
			}
		})
	}
}

// TestDeepLinearSymmetry pins the symmetry-breaking lesson: on the deep
// linear network (1 − xy)², a start with x = y has ∂f/∂x = ∂f/∂y, so
// gradient descent never leaves the diagonal.
func TestDeepLinearSymmetry(t *testing.T) {
	t.Parallel()
	f, _ := surfaces.Lookup("deep-linear")
	for _, name := range []string{"sgd", "momentum", "adam"} {
		m, _ := engine.LookupMethod(name)
		opt, _, err := m.New(map[string]any{"lr": 0.05})
		if err != nil {
			t.Fatal(err)
		}
		r := engine.Run(f.TwiceDifferentiable, opt, surfaces.Point{0.3, 0.3}, engine.Limits{Steps: 300, Tol: 1e-10})
		for k, p := range r.Path {
			if p[0] != p[1] {
				t.Fatalf("%s: iterate %d = %v left the diagonal", name, k, p)
			}
		}
		if last := r.Path[len(r.Path)-1]; math.Abs(last[0]*last[1]-1) > 1e-3 {
			t.Errorf("%s ended at %v, not on the hyperbola xy = 1", name, last)
		}
	}
}
