package survey_test

import (
	"context"
	"math"
	"reflect"
	"runtime"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
	"saddlepoint/survey"
)

// cellOf returns the grid index of the cell of an n × n grid over view that
// holds p.
func cellOf(tb testing.TB, view surfaces.View, n int, p surfaces.Point) int {
	tb.Helper()
	i := int(math.Floor((p[0] - view.XMin) / (view.XMax - view.XMin) * float64(n)))
	j := int(math.Floor((p[1] - view.YMin) / (view.YMax - view.YMin) * float64(n)))
	if i < 0 || i >= n || j < 0 || j >= n {
		tb.Fatalf("%v is outside the view %v", p, view)
	}
	return j*n + i
}

func TestBasins(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		surface    string
		optimizer  string
		params     engine.Params
		steps, n   int
		all        *int // the basin of every start, if they share one
		eachMinima bool // every known minimum has a basin, holding the cells around it
	}{
		{name: "bowl converges to its minimum", surface: "bowl", optimizer: "sgd", params: engine.Params{"lr": 0.25}, steps: 200, n: 16, all: everywhere(0)},
		{name: "bowl with newton", surface: "bowl", optimizer: "newton", steps: 10, n: 9, all: everywhere(0)},
		{name: "sgd lr 10 diverges everywhere", surface: "bowl", optimizer: "sgd", params: engine.Params{"lr": 10}, steps: 200, n: 16, all: everywhere(survey.Diverged)},
		{name: "too few steps", surface: "rosenbrock", optimizer: "adam", steps: 3, n: 16, all: everywhere(survey.NotConverged)},
		{name: "himmelblau with newton-ls", surface: "himmelblau", optimizer: "newton-ls", steps: 200, n: 32, eachMinima: true},
		{name: "himmelblau with adam", surface: "himmelblau", optimizer: "adam", params: engine.Params{"lr": 0.1}, steps: 3000, n: 32, eachMinima: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, setup := newSetup(t, tc.surface, tc.optimizer, tc.params, engine.Limits{Steps: tc.steps, Tol: engine.DefaultTol})
			m, err := survey.Basins(context.Background(), setup, s.View, tc.n, s.Minima)
			if err != nil {
				t.Fatal(err)
			}
			if m.Resolution != tc.n || len(m.Basin) != tc.n*tc.n || len(m.Runs) != tc.n*tc.n || m.View != s.View {
				t.Fatalf("resolution %d with %d basins and %d runs over %v, want %d² over %v", m.Resolution, len(m.Basin), len(m.Runs), m.View, tc.n, s.View)
			}
			if m.Known != len(s.Minima) || !reflect.DeepEqual(m.Minima[:m.Known], s.Minima) {
				t.Errorf("minima %v (%d known), want the surface's %v first", m.Minima, m.Known, s.Minima)
			}
			if tc.all != nil {
				for k, b := range m.Basin {
					if b != *tc.all {
						t.Fatalf("start %d (%v) is in basin %d after %d steps (%s), want %d", k,
							survey.GridStart(s.View, tc.n, k%tc.n, k/tc.n), b, m.Runs[k].Steps, m.Runs[k].Status, *tc.all)
					}
				}
			}
			if tc.eachMinima {
				counts := map[int]int{}
				for _, b := range m.Basin {
					counts[b]++
				}
				for i, p := range s.Minima {
					if counts[i] == 0 {
						t.Errorf("minimum %d at %v has no basin (counts %v)", i, p, counts)
					}
					// The cell holding the minimum and its four neighbours.
					k := cellOf(t, s.View, tc.n, p)
					for _, near := range []int{k, k - 1, k + 1, k - tc.n, k + tc.n} {
						if m.Basin[near] != i {
							t.Errorf("the cell %d next to minimum %d at %v is in basin %d", near, i, p, m.Basin[near])
						}
					}
				}
			}
		})
	}
}

// everywhere is the basin of every start.
func everywhere(basin int) *int { return &basin }

// Without known minima, the converged end points are clustered: on
// himmelblau they fall into the four minima.
func TestBasinsClusterUnknownMinima(t *testing.T) {
	t.Parallel()
	s, setup := newSetup(t, "himmelblau", "newton-ls", nil, engine.Limits{Steps: 200, Tol: engine.DefaultTol})
	known, err := survey.Basins(context.Background(), setup, s.View, 24, s.Minima)
	if err != nil {
		t.Fatal(err)
	}
	found, err := survey.Basins(context.Background(), setup, s.View, 24, nil)
	if err != nil {
		t.Fatal(err)
	}
	if found.Known != 0 || len(found.Minima) != 4 {
		t.Fatalf("%d clusters (%d known): %v, want himmelblau's 4 minima", len(found.Minima), found.Known, found.Minima)
	}
	// Relabel: each cluster must sit at a minimum, and the maps agree.
	label := map[int]int{survey.Diverged: survey.Diverged, survey.NotConverged: survey.NotConverged}
	for c, p := range found.Minima {
		for i, q := range s.Minima {
			if math.Hypot(p[0]-q[0], p[1]-q[1]) < 1e-6 {
				label[c] = i
			}
		}
		if _, ok := label[c]; !ok {
			t.Fatalf("cluster %d at %v is at no minimum of %v", c, p, s.Minima)
		}
	}
	for k := range found.Basin {
		if got, want := label[found.Basin[k]], known.Basin[k]; got != want {
			t.Errorf("start %d: cluster %d (minimum %d), want minimum %d", k, found.Basin[k], got, want)
		}
	}
	// Clusters are numbered in the grid order of their first end point.
	next := 0
	for _, b := range found.Basin {
		if b >= next {
			if b != next {
				t.Fatalf("cluster %d appears before cluster %d", b, next)
			}
			next++
		}
	}
}

// On rastrigin only the global minimum is listed; converged runs that end in
// another dimple, farther than the radius from it, get clusters of their own
// at those dimples, after the known minimum.
func TestBasinsUnlistedMinima(t *testing.T) {
	t.Parallel()
	s, setup := newSetup(t, "rastrigin", "newton-ls", nil, engine.Limits{Steps: 200, Tol: engine.DefaultTol})
	m, err := survey.Basins(context.Background(), setup, s.View, 16, s.Minima)
	if err != nil {
		t.Fatal(err)
	}
	if m.Known != 1 || len(m.Minima) < 10 {
		t.Fatalf("%d minima (%d known), want many dimples besides the global minimum", len(m.Minima), m.Known)
	}
	for k, b := range m.Basin {
		if b < 0 {
			continue
		}
		end, at := m.Runs[k].End, m.Minima[b]
		if d := math.Hypot(end[0]-at[0], end[1]-at[1]); d > m.Radius {
			t.Errorf("start %d ended at %v, %g from its minimum %v, beyond the radius %g", k, end, d, at, m.Radius)
		}
	}
	for i, p := range m.Minima[m.Known:] {
		for _, q := range m.Minima[:m.Known+i] {
			if math.Hypot(p[0]-q[0], p[1]-q[1]) <= m.Radius {
				t.Errorf("cluster %v is within the radius of %v", p, q)
			}
		}
	}
}

// The grid's starts are the cells' centres, row-major from the lower-left
// corner, and each cell is the run engine.Run makes from that start.
func TestBasinsGridPositions(t *testing.T) {
	t.Parallel()
	const n = 4
	s, setup := newSetup(t, "himmelblau", "adam", engine.Params{"lr": 0.05}, engine.Limits{Steps: 300, Tol: engine.DefaultTol})
	m, err := survey.Basins(context.Background(), setup, s.View, n, s.Minima)
	if err != nil {
		t.Fatal(err)
	}
	// Himmelblau's view is [-5, 5]²: cells 2.5 wide, centres at -3.75, -1.25, 1.25, 3.75.
	for _, tc := range []struct {
		k     int
		start surfaces.Point
	}{
		{0, surfaces.Point{-3.75, -3.75}},
		{1, surfaces.Point{-1.25, -3.75}},
		{n - 1, surfaces.Point{3.75, -3.75}},
		{n, surfaces.Point{-3.75, -1.25}},
		{n*n - 1, surfaces.Point{3.75, 3.75}},
	} {
		if got := survey.GridStart(s.View, n, tc.k%n, tc.k/n); got != tc.start {
			t.Errorf("GridStart of cell %d = %v, want %v", tc.k, got, tc.start)
		}
		want := engine.Run(s.TwiceDifferentiable, newOptimizer(t, setup), tc.start, setup.Limits)
		got := m.Runs[tc.k]
		if last := len(want.Path) - 1; got.End != want.Path[last] || got.Loss != want.Loss[last] || got.Steps != last || got.Status != want.Status {
			t.Errorf("cell %d: ended at %v (loss %g) after %d steps (%s), engine.Run from %v at %v (loss %g) after %d (%s)",
				tc.k, got.End, got.Loss, got.Steps, got.Status, tc.start, want.Path[last], want.Loss[last], last, want.Status)
		}
	}
}

func newOptimizer(tb testing.TB, setup survey.Setup) engine.Optimizer {
	tb.Helper()
	opt, _, err := setup.Method.New(setup.Params)
	if err != nil {
		tb.Fatal(err)
	}
	return opt
}

// mixedBasins maps momentum on himmelblau, where starts converge, diverge
// and run out of steps.
func mixedBasins(tb testing.TB) survey.BasinMap {
	tb.Helper()
	s, setup := newSetup(tb, "himmelblau", "momentum", engine.Params{"lr": 0.02}, engine.Limits{Steps: 1000, Tol: engine.DefaultTol})
	m, err := survey.Basins(context.Background(), setup, s.View, 40, s.Minima)
	if err != nil {
		tb.Fatal(err)
	}
	seen := map[int]int{}
	for _, b := range m.Basin {
		seen[min(b, 0)]++
	}
	if seen[0] == 0 || seen[survey.Diverged] == 0 || seen[survey.NotConverged] == 0 {
		tb.Fatalf("basins %v: want starts that converge, diverge and run out of steps", seen)
	}
	return m
}

func TestBasinsDeterministic(t *testing.T) {
	t.Parallel()
	a, b := mixedBasins(t), mixedBasins(t)
	if !reflect.DeepEqual(a, b) {
		t.Error("two identical basin maps differ")
	}
}

// Not parallel: it changes GOMAXPROCS for the whole process.
func TestBasinsIndependentOfGOMAXPROCS(t *testing.T) {
	// Four goroutines, whatever the machine, so that the test compares two
	// schedules even on one core.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	many := mixedBasins(t)
	runtime.GOMAXPROCS(1)
	one := mixedBasins(t)
	if !reflect.DeepEqual(many, one) {
		t.Error("the basin map on one goroutine differs from the one on many")
	}
}

func TestBasinsCancelled(t *testing.T) {
	t.Parallel()
	s, setup := newSetup(t, "rosenbrock", "adam", nil, engine.Limits{Steps: 500, Tol: 0})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := survey.Basins(ctx, setup, s.View, 256, s.Minima); err != context.Canceled {
		t.Errorf("error %v, want context.Canceled", err)
	}
}
