package survey

import (
	"context"
	"math"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// The basin codes of a start whose run did not end at a minimum.
const (
	// Diverged marks a start whose run diverged.
	Diverged = -1
	// NotConverged marks a start whose run stopped without meeting the
	// gradient test: it used every step (max_steps), its line search made
	// no progress (stalled) or its Hessian was singular.
	NotConverged = -2
)

// ClusterFraction is the radius within which a converged end point belongs
// to a minimum, as a fraction of the diagonal of the view being mapped.
const ClusterFraction = 0.01

// BasinMap is a map of the basins of attraction of an optimizer: for every
// start of an n × n grid over a view, where its run ended.
type BasinMap struct {
	View       surfaces.View
	Resolution int
	// Minima are the points the runs ended at: first the Known minima that
	// Basins was given, in their order, then the clusters of converged end
	// points farther than Radius from all of them, in the order their
	// first end point appears in the grid, each represented by that end
	// point.
	Minima []Point
	Known  int
	// Radius is ClusterFraction times the view's diagonal.
	Radius float64
	// Basin holds, for each start in grid order (see GridStart), the index
	// into Minima of the minimum its run ended at, or Diverged, or
	// NotConverged.
	Basin []int
	// Runs holds how each start's run ended, in grid order.
	Runs []Outcome
}

// GridStart returns the start of column i and row j of an n × n grid over
// view: the centre of that cell when the view is cut into n × n equal
// cells,
//
//	x = XMin + (i + ½)·(XMax − XMin)/n
//	y = YMin + (j + ½)·(YMax − YMin)/n
//
// The grid is in row-major order from the view's lower-left corner: start k
// is column k mod n of row k div n, row 0 being the lowest.
func GridStart(view surfaces.View, n, i, j int) Point {
	dx := (view.XMax - view.XMin) / float64(n)
	dy := (view.YMax - view.YMin) / float64(n)
	return Point{view.XMin + (float64(i)+0.5)*dx, view.YMin + (float64(j)+0.5)*dy}
}

// Basins runs the setup from every start of an n × n grid over view (see
// GridStart) and says where each run ended. known lists the minima known to
// lie in the view, which may be none.
//
// A converged run (gradient test met) belongs to the nearest known minimum
// within Radius of its end point, ties going to the first listed. If none
// is that close, as when no minimum is known, when the run stopped at a
// minimum that is not listed or at a saddle point where the gradient
// vanishes, it joins a cluster: the converged end points are taken in grid
// order, and each joins the nearest existing cluster whose first point is
// within Radius of it, or starts a new one. The clustering runs after every
// run has ended, so it does not depend on their scheduling.
//
// Basins returns ctx's error, and a partial map, if ctx is done before
// every run has ended.
func Basins(ctx context.Context, s Setup, view surfaces.View, n int, known []Point) (BasinMap, error) {
	if n < 1 {
		panic("survey: a basin map needs a resolution of at least 1")
	}
	if !(view.XMin < view.XMax && view.YMin < view.YMax) {
		panic("survey: a basin map needs a view of positive width and height")
	}
	m := BasinMap{
		View:       view,
		Resolution: n,
		Radius:     ClusterFraction * math.Hypot(view.XMax-view.XMin, view.YMax-view.YMin),
		Basin:      make([]int, n*n),
		Runs:       make([]Outcome, n*n),
	}
	params := s.resolved() // shared by every run, which only reads it
	err := forEach(ctx, n*n, func() func(int) {
		return func(k int) {
			m.Runs[k] = s.runWith(params, GridStart(view, n, k%n, k/n))
		}
	})
	if err != nil {
		return m, err
	}
	c := newClusters(known, m.Radius)
	for k, out := range m.Runs {
		switch out.Status {
		case engine.Converged:
			m.Basin[k] = c.assign(out.End)
		case engine.Diverged:
			m.Basin[k] = Diverged
		default:
			m.Basin[k] = NotConverged
		}
	}
	m.Minima, m.Known = c.points, len(known)
	return m, nil
}

// clusters assigns end points to known minima and to clusters of their own.
type clusters struct {
	points []Point // the known minima, then each cluster's first point
	known  int
	radius float64
	// cells indexes the clusters (not the known minima) by the square of
	// side radius that their first point lies in, so that finding those
	// within radius of a point looks only at the 3 × 3 squares around it.
	cells map[[2]int64][]int
}

func newClusters(known []Point, radius float64) *clusters {
	return &clusters{
		points: append([]Point{}, known...),
		known:  len(known),
		radius: radius,
		cells:  map[[2]int64][]int{},
	}
}

// assign returns the index of the minimum or cluster that p belongs to,
// starting a new cluster if there is none within the radius.
func (c *clusters) assign(p Point) int {
	best, bestDist := -1, math.Inf(1)
	consider := func(i int) {
		if d := math.Hypot(p[0]-c.points[i][0], p[1]-c.points[i][1]); d <= c.radius && (d < bestDist || d == bestDist && i < best) {
			best, bestDist = i, d
		}
	}
	for i := range c.known {
		consider(i)
	}
	if best >= 0 {
		return best
	}
	cell := c.cell(p)
	for dx := int64(-1); dx <= 1; dx++ {
		for dy := int64(-1); dy <= 1; dy++ {
			for _, i := range c.cells[[2]int64{cell[0] + dx, cell[1] + dy}] {
				consider(i)
			}
		}
	}
	if best >= 0 {
		return best
	}
	best = len(c.points)
	c.points = append(c.points, p)
	c.cells[cell] = append(c.cells[cell], best)
	return best
}

func (c *clusters) cell(p Point) [2]int64 {
	return [2]int64{int64(math.Floor(p[0] / c.radius)), int64(math.Floor(p[1] / c.radius))}
}
