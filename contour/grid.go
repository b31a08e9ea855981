// Package contour computes contour lines (isolines) of a function of two
// variables over a rectangular view, for drawing a loss surface as an SVG
// contour plot.
//
// The function is first sampled on a regular grid of nodes ([Sample]), a set
// of levels is chosen from the sampled values ([Levels], [LogLevels]), and
// each level is traced by marching squares ([Lines], [Contours]): every grid
// cell is classified by which of its four corners lie above the level, the
// crossing points on its edges are found by linear interpolation, and the
// resulting segments are joined, cell to cell through their shared edges,
// into maximal polylines. The method is the two-dimensional case of marching
// cubes (W. E. Lorensen and H. E. Cline, "Marching cubes: A high resolution
// 3D surface construction algorithm", SIGGRAPH 1987); C. Maple, "Geometric
// design and space planning using the marching squares and marching cube
// algorithms" (GMAG 2003) describes the square case and its ambiguous cells.
//
// The package is pure math: no HTTP, no JSON. Sampling and tracing a large
// grid are shared out between runtime.GOMAXPROCS(0) goroutines, row by row
// and level by level, in a way that leaves every result the same bit for
// bit as one goroutine would make it.
package contour

import (
	"math"

	"saddlepoint/surfaces"
)

// Grid is a function sampled at NX × NY evenly spaced nodes covering View,
// edges included. Node (i, j), for 0 ≤ i < NX and 0 ≤ j < NY, lies at
//
//	x_i = XMin + i·(XMax − XMin)/(NX − 1),  y_j = YMin + j·(YMax − YMin)/(NY − 1)
//
// and its value is Values[j·NX + i]: rows run along x, from YMin up to YMax.
// Values may hold NaN or ±Inf where the function is undefined or overflows.
type Grid struct {
	View   surfaces.View
	NX, NY int
	Values []float64
}

// Sample evaluates f at the nx × ny nodes of a grid over view. A surface's
// value is passed as a method value, as in Sample(s.Value, s.View, 256, 256);
// that of the function itself, s.TwiceDifferentiable.Value, saves copying
// the whole catalogue entry on every call.
//
// The rows of a large grid are evaluated on several goroutines at once, so f
// must be safe for concurrent use, as a pure function such as every
// surface's Value is; the order of the calls is unspecified. A panic in f is
// raised again in the caller's goroutine. Sample panics unless nx, ny ≥ 2
// and view has finite bounds with XMin < XMax and YMin < YMax.
func Sample(f func(p surfaces.Point) float64, view surfaces.View, nx, ny int) Grid {
	return sample(f, view, nx, ny, splitFor(nx))
}

// sample is Sample with the rows shared out as s says.
func sample(f func(p surfaces.Point) float64, view surfaces.View, nx, ny int, s split) Grid {
	g := Grid{View: view, NX: nx, NY: ny}
	g.check(false)
	g.Values = make([]float64, nx*ny)
	xs := g.xs()
	forEach(s.workers, s.chunks(ny), func(c int) {
		lo, hi := s.rowRange(c, ny)
		for j := lo; j < hi; j++ {
			y := g.y(j)
			row := g.Values[j*nx : (j+1)*nx]
			for i, x := range xs {
				row[i] = f(surfaces.Point{x, y})
			}
		}
	})
	return g
}

// Node returns the position of grid node (i, j) in data coordinates. The last
// node of each axis lies exactly on the view's upper edge.
func (g Grid) Node(i, j int) surfaces.Point {
	return surfaces.Point{g.x(i), g.y(j)}
}

// At returns the value at node (i, j).
func (g Grid) At(i, j int) float64 {
	return g.Values[j*g.NX+i]
}

// Range returns the least and greatest finite values of the grid; ok is false
// when it has none.
func (g Grid) Range() (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range g.Values {
		if v < lo && !math.IsInf(v, -1) {
			lo = v
		}
		if v > hi && !math.IsInf(v, 1) {
			hi = v
		}
	}
	return lo, hi, lo <= hi
}

// xs returns the x of every column of nodes, as x gives it.
func (g Grid) xs() []float64 {
	xs := make([]float64, g.NX)
	for i := range xs {
		xs[i] = g.x(i)
	}
	return xs
}

// ys returns the y of every row of nodes, as y gives it.
func (g Grid) ys() []float64 {
	ys := make([]float64, g.NY)
	for j := range ys {
		ys[j] = g.y(j)
	}
	return ys
}

func (g Grid) x(i int) float64 {
	if i == g.NX-1 {
		return g.View.XMax
	}
	return g.View.XMin + float64(i)*(g.View.XMax-g.View.XMin)/float64(g.NX-1)
}

func (g Grid) y(j int) float64 {
	if j == g.NY-1 {
		return g.View.YMax
	}
	return g.View.YMin + float64(j)*(g.View.YMax-g.View.YMin)/float64(g.NY-1)
}

// maxNodes keeps the edge indices of a grid, about 2·NX·NY of them, within
// int32, the type the tracer stores them in.
const maxNodes = math.MaxInt32 / 2

// check panics if g is not a usable grid; values says whether Values must
// already be filled in.
func (g Grid) check(values bool) {
	v := g.View
	switch {
	case g.NX < 2 || g.NY < 2:
		panic("contour: a grid needs at least 2 × 2 nodes")
	case g.NX > maxNodes/g.NY:
		panic("contour: grid too large")
	case !(v.XMin < v.XMax && v.YMin < v.YMax) ||
		math.IsInf(v.XMax-v.XMin, 0) || math.IsInf(v.YMax-v.YMin, 0):
		panic("contour: view must be finite with XMin < XMax and YMin < YMax")
	case values && len(g.Values) != g.NX*g.NY:
		panic("contour: grid needs NX·NY values")
	}
}
