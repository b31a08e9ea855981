package survey_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
	"saddlepoint/survey"
)

func TestLRGrid(t *testing.T) {
	t.Parallel()
	grid := survey.LRGrid()
	if len(grid) != 25 || grid[0] != 1e-5 || grid[4] != 1e-4 || grid[1] != 1.78e-5 || grid[22] != 3.16 || grid[24] != 10 {
		t.Fatalf("grid %v, want 25 values from 1e-5 to 10, four per decade", grid)
	}
	for k := 1; k < len(grid); k++ {
		if ratio := grid[k] / grid[k-1]; math.Abs(ratio-math.Pow(10, 0.25)) > 0.01 {
			t.Errorf("grid[%d]/grid[%d] = %g, want about 10^¼", k, k-1, ratio)
		}
	}
}

// On rosenbrock the chosen learning rate ends no worse than any other of the
// grid, and never diverges, while for sgd and momentum the largest do.
func TestTuneLR(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		diverges bool // at lr 10
	}{{"adam", false}, {"rmsprop", false}, {"sgd", true}, {"momentum", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, setup := newSetup(t, "rosenbrock", tc.name, nil, engine.Limits{Steps: 500, Tol: engine.DefaultTol})
			tuning, err := survey.TuneLR(context.Background(), setup, s.Start)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tuning.Grid, survey.LRGrid()) || len(tuning.Runs) != len(tuning.Grid) {
				t.Fatalf("grid %v with %d runs, want LRGrid's, lr being in [0, 100]", tuning.Grid, len(tuning.Runs))
			}
			best := tuning.Best
			if best < 0 || tuning.Runs[best].Status == engine.Diverged {
				t.Fatalf("best %d: want a run that did not diverge", best)
			}
			if tc.diverges && tuning.Runs[len(tuning.Runs)-1].Status != engine.Diverged {
				t.Errorf("lr 10 did not diverge on rosenbrock: the test proves nothing about divergence")
			}
			for k, r := range tuning.Runs {
				if r.Status != engine.Diverged && r.Loss < tuning.Runs[best].Loss {
					t.Errorf("lr %g ended with loss %g, below the chosen lr %g's %g", tuning.Grid[k], r.Loss, tuning.Grid[best], tuning.Runs[best].Loss)
				}
			}
			// The chosen run and its neighbours are what engine.Run gives.
			for _, k := range []int{best - 1, best, best + 1} {
				if k < 0 || k >= len(tuning.Grid) {
					continue
				}
				opt, _, err := setup.Method.New(engine.Params{"lr": tuning.Grid[k]})
				if err != nil {
					t.Fatal(err)
				}
				want := engine.Run(s.TwiceDifferentiable, opt, s.Start, setup.Limits)
				last := len(want.Path) - 1
				if got := tuning.Runs[k]; got.Status != want.Status || got.Steps != last || got.Loss != want.Loss[last] {
					t.Errorf("lr %g: loss %g after %d steps (%s), engine.Run %g after %d (%s)",
						tuning.Grid[k], got.Loss, got.Steps, got.Status, want.Loss[last], last, want.Status)
				}
				if k != best && want.Status != engine.Diverged && want.Loss[last] < tuning.Runs[best].Loss {
					t.Errorf("engine.Run at lr %g ends below the chosen lr", tuning.Grid[k])
				}
			}
		})
	}
}

// Equal losses go to the larger learning rate: with tol 1 on the bowl from
// near its minimum, every run converges at its start.
func TestTuneLRTies(t *testing.T) {
	t.Parallel()
	_, setup := newSetup(t, "bowl", "sgd", nil, engine.Limits{Steps: 100, Tol: 1})
	tuning, err := survey.TuneLR(context.Background(), setup, surfaces.Point{0.1, 0.1})
	if err != nil {
		t.Fatal(err)
	}
	if tuning.Best != len(tuning.Grid)-1 {
		t.Errorf("best %d (lr %g), want the largest learning rate of equals", tuning.Best, tuning.Grid[tuning.Best])
	}
}

func TestTuneLRAllDiverge(t *testing.T) {
	t.Parallel()
	_, setup := newSetup(t, "bowl", "adam", nil, engine.Limits{Steps: 10, Tol: engine.DefaultTol})
	setup.F = notFinite{}
	tuning, err := survey.TuneLR(context.Background(), setup, surfaces.Point{1, 1})
	if err != nil {
		t.Fatal(err)
	}
	if tuning.Best != -1 {
		t.Errorf("best %d, want -1 when every run diverges", tuning.Best)
	}
}

func TestTuneLRWithoutLR(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"newton", "bfgs", "coordinate-descent"} {
		s, setup := newSetup(t, "bowl", name, nil, engine.Limits{Steps: 10})
		if _, err := survey.TuneLR(context.Background(), setup, s.Start); err != survey.ErrNoLearningRate {
			t.Errorf("%s: error %v, want ErrNoLearningRate", name, err)
		}
	}
}
