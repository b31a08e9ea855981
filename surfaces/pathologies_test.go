package surfaces

import (
	"math"
	"testing"
)

// descend runs gradient descent on f from p with learning rate lr for the
// given number of steps, clipping the gradient's norm to clip if clip is
// positive, and returns where it ends and the longest step it took.
func descend(f Function, p Point, lr, clip float64, steps int) (end Point, longest float64) {
	for range steps {
		g := f.Gradient(p)
		if n := math.Hypot(g[0], g[1]); clip > 0 && n > clip {
			g = Point{g[0] * clip / n, g[1] * clip / n}
		}
		p = Point{p[0] - lr*g[0], p[1] - lr*g[1]}
		longest = max(longest, lr*math.Hypot(g[0], g[1]))
	}
	return p, longest
}

// TestSurfaceLessons checks that each surface built to show a difficulty
// shows it from its default start.
func TestSurfaceLessons(t *testing.T) {
	t.Parallel()
	distance := func(p, q Point) float64 { return math.Hypot(p[0]-q[0], p[1]-q[1]) }

	t.Run("plateau: gradient descent crawls", func(t *testing.T) {
		t.Parallel()
		s := mustLookup(t, "plateau")
		end, _ := descend(s, s.Start, 0.1, 0, 200)
		if d := distance(end, s.Start); d > 0.1 {
			t.Errorf("gradient descent with lr 0.1 moved %.3g in 200 steps, want a crawl below 0.1", d)
		}
		// Even with a learning rate of 1, as large as is comfortable in the
		// well, it stays on the plain for more than 100 steps.
		p, onPlain := s.Start, 0
		for range 200 {
			p, _ = descend(s, p, 1, 0, 1)
			if s.Value(p) > 0.99 {
				onPlain++
			}
		}
		if onPlain <= 100 {
			t.Errorf("gradient descent with lr 1 spent %d steps on the plain, want more than 100", onPlain)
		}
		// Steps of fixed length along the gradient, as sign-based and
		// adaptive methods take, cross the plain.
		p = s.Start
		for range 100 {
			g := s.Gradient(p)
			n := math.Hypot(g[0], g[1])
			p = Point{p[0] - 0.05*g[0]/n, p[1] - 0.05*g[1]/n}
		}
		if d := distance(p, Point{}); d > 0.1 {
			t.Errorf("steps of length 0.05 end %.3g from the minimum, want below 0.1", d)
		}
	})

	t.Run("cliff: an unclipped step is catapulted, a clipped one is not", func(t *testing.T) {
		t.Parallel()
		s := mustLookup(t, "cliff")
		for _, lr := range []float64{0.05, 0.1, 0.2} {
			if _, longest := descend(s, s.Start, lr, 0, 300); longest < 50*lr {
				t.Errorf("lr %g: the longest step is %.3g, want a catapult of at least %g", lr, longest, 50*lr)
			}
			end, longest := descend(s, s.Start, lr, 1, 300)
			if longest > lr*(1+1e-12) {
				t.Errorf("lr %g, clipped at 1: the longest step is %.3g, want at most %g", lr, longest, lr)
			}
			if d := distance(end, s.Minima[0]); d > 2*lr {
				t.Errorf("lr %g, clipped at 1: the run ends %.3g from the minimum, want at most %g", lr, d, 2*lr)
			}
		}
	})

	t.Run("two-wells: gradient descent keeps to its basin", func(t *testing.T) {
		t.Parallel()
		s := mustLookup(t, "two-wells")
		deep, shallow := s.Minima[0], s.Minima[1]
		if s.Value(deep) >= s.Value(shallow) {
			t.Errorf("the first minimum, f = %g, is not the deeper: f = %g", s.Value(deep), s.Value(shallow))
		}
		if end, _ := descend(s, s.Start, 0.05, 0, 500); distance(end, shallow) > 1e-3 {
			t.Errorf("from the start, gradient descent ends at %v, want the shallow minimum %v", end, shallow)
		}
		if end, _ := descend(s, Point{-s.Start[0], s.Start[1]}, 0.05, 0, 500); distance(end, deep) > 1e-3 {
			t.Errorf("from the mirrored start, gradient descent ends at %v, want the deep minimum %v", end, deep)
		}
	})

	t.Run("monkey-saddle: Newton's method is drawn into the saddle", func(t *testing.T) {
		t.Parallel()
		s := mustLookup(t, "monkey-saddle")
		if h := s.Hessian(Point{}); h != (Hessian{}) {
			t.Errorf("Hessian at the saddle = %+v, want 0", h)
		}
		p := s.Start
		for range 20 {
			g, h := s.Gradient(p), s.Hessian(p)
			det := h.XX*h.YY - h.XY*h.XY
			p = Point{p[0] - (h.YY*g[0]-h.XY*g[1])/det, p[1] - (h.XX*g[1]-h.XY*g[0])/det}
		}
		if d := math.Hypot(p[0], p[1]); d > 1e-5 {
			t.Errorf("Newton's method ends %.3g from the saddle, want below 1e-5", d)
		}
	})
}
