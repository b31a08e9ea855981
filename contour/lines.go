package contour

import (
	"cmp"
	"math"
	"slices"

	"saddlepoint/surfaces"
)

// Line is a contour polyline in data coordinates. A closed ring repeats its
// first point at the end. Lines run with the values above their level on the
// left (taking y upwards), so a ring around a peak turns counterclockwise and
// a ring around a pit clockwise. No two consecutive points are equal.
type Line []surfaces.Point

// Closed reports whether l ends where it starts, as a closed ring does.
func (l Line) Closed() bool {
	return len(l) > 2 && l[0] == l[len(l)-1]
}

// Set is the contour of one level: every line along which the sampled
// function crosses it.
type Set struct {
	Level float64
	Lines []Line
}

// Lines returns the contour of g at level as maximal polylines, found by
// marching squares.
//
// A node is above the level when its value is greater than the level, and at
// or below it otherwise. Each grid cell whose corners are not all on one side
// holds one or two segments whose ends lie on the cell edges joining an
// above corner to a below one, at the point where the linear interpolation of
// the two corner values equals the level. A cell with two diagonally opposite
// corners above and two below (a saddle cell) is ambiguous; it is resolved by
// the mean of its four corner values: if the mean is above the level, the
// above corners are joined through the cell centre and the segments cut off
// the below corners, otherwise the other way round. Segments are then joined
// through the edges they share into polylines that end only on the border of
// the view or next to missing values, or else close into rings.
//
// Cells with a NaN or infinite corner are left out, so lines stop at their
// edges and every point is finite. A level that is NaN, infinite, or outside
// the range of the grid's values has no lines; nor does a level met only at
// isolated nodes, whose lines would shrink to single points.
//
// Lines panics if g has fewer than 2 × 2 nodes, len(g.Values) ≠ NX·NY or the
// view is not a finite rectangle.
func Lines(g Grid, level float64) []Line {
	return Contours(g, []float64{level})[0].Lines
}

// Contours returns the contour of g at each of levels, in the order given, as
// [Lines] would but in a single pass over the grid.
func Contours(g Grid, levels []float64) []Set {
	g.check(true)
	sets := make([]Set, len(levels))
	order := make([]int, 0, len(levels))
	for k, level := range levels {
		sets[k].Level = level
		if !math.IsNaN(level) && !math.IsInf(level, 0) {
			order = append(order, k)
		}
	}
	if len(order) == 0 {
		return sets
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(levels[a], levels[b]) })
	sorted := make([]float64, len(order))
	for k, i := range order {
		sorted[k] = levels[i]
	}

	t := newTracer(g, sorted)
	t.march()
	for k, i := range order {
		sets[i].Lines = t.join(k)
	}
	return sets
}

// A tracer holds the working arrays for contouring one grid at a set of
// levels. Its layout is flat so that the work can later be split between
// cores: march can run over bands of rows, each filling its own segment
// lists, and join over levels, each worker with its own next and flags.
//
// Edges are numbered so that the horizontal edge from node (i, j) to
// (i+1, j) is j·(NX−1) + i and the vertical edge from node (i, j) to
// (i, j+1) is H + j·NX + i, where H = (NX−1)·NY is the number of horizontal
// edges.
type tracer struct {
	g      Grid
	levels []float64 // finite, increasing
	// band[n] is how many levels node n is above, or noBand if its value is
	// not finite. A cell crosses level k exactly when k lies in
	// [min band, max band) over its corners.
	band []int32
	// segs[k] lists the segments of level k in the order march found them.
	segs [][]segment
	// next[e] is 1 + the index in segs[k] of the segment that starts at edge
	// e, or 0 if none does; flags[e] holds entered and visited. Both are
	// reset after each level, so only the edges a level touches are written.
	next  []int32
	flags []uint8
}

// A segment is the piece of a contour inside one cell, from the crossing
// point at on edge from to the crossing point on edge to, with the values
// above the level on its left. Each edge starts at most one segment and ends
// at most one, because the two cells sharing it walk it in opposite
// directions.
type segment struct {
	from, to int32
	at       surfaces.Point
}

// noBand is the band of a node whose value is NaN or infinite.
const noBand = -1

// Flags of an edge.
const (
	entered = 1 << iota // some segment ends at the edge
	visited             // the edge's point has been put on a line
)

func newTracer(g Grid, levels []float64) *tracer {
	edges := (g.NX-1)*g.NY + g.NX*(g.NY-1)
	t := &tracer{
		g:      g,
		levels: levels,
		band:   make([]int32, len(g.Values)),
		segs:   make([][]segment, len(levels)),
		next:   make([]int32, edges),
		flags:  make([]uint8, edges),
	}
	// Neighbouring nodes mostly share a band, so the previous node's band is
	// tried before a binary search for the first level ≥ v.
	b := 0
	for n, v := range g.Values {
		if !finite(v) {
			t.band[n] = noBand
			continue
		}
		if b > 0 && !(levels[b-1] < v) || b < len(levels) && !(v <= levels[b]) {
			lo, hi := 0, len(levels)
			for lo < hi {
				mid := int(uint(lo+hi) >> 1)
				if levels[mid] < v {
					lo = mid + 1
				} else {
					hi = mid
				}
			}
			b = lo
		}
		t.band[n] = int32(b)
	}
	return t
}

// finite reports whether v is neither NaN nor infinite, in one comparison.
func finite(v float64) bool { return v-v == 0 }

// Sides of a cell, in counterclockwise order; side s runs from corner s to
// corner s+1 (mod 4), where corner c is node (i, j) + corners[c] for the
// cell (i, j).
const (
	bottom = iota
	right
	top
	left
)

var corners = [4][2]int{{0, 0}, {1, 0}, {1, 1}, {0, 1}}

// cellSegments[c][centre] lists the segments, as pairs of sides, of a cell
// whose above corners are the bits of c (bit s for corner s); centre is 1 if
// the mean of the corner values is above the level, which only matters for
// the saddle cells c = 0b0101 and 0b1010. An unused pair is {-1, -1}.
var cellSegments = buildCellSegments()

func buildCellSegments() (table [16][2][2][2]int8) {
	for c := range 16 {
		above := func(corner int) bool { return c>>(corner%4)&1 == 1 }
		// Walking counterclockwise round the cell, which keeps its inside
		// on the left, a contour with the above values on its left starts
		// where the walk leaves an above corner for a below one and ends
		// where it comes back.
		var starts, ends []int8
		for s := range 4 {
			switch {
			case above(s) && !above(s+1):
				starts = append(starts, int8(s))
			case !above(s) && above(s+1):
				ends = append(ends, int8(s))
			}
		}
		for centre := range 2 {
			table[c][centre] = [2][2]int8{{-1, -1}, {-1, -1}}
			switch len(starts) {
			case 1:
				table[c][centre][0] = [2]int8{starts[0], ends[0]}
			case 2:
				// Starts and ends alternate round a saddle cell. Pairing a
				// start with the next end cuts off a below corner, keeping
				// the above corners joined through the centre; pairing it
				// with the previous end cuts off an above corner.
				for p, s := range starts {
					e := (s + 1) % 4
					if centre == 0 {
						e = (s + 3) % 4
					}
					table[c][centre][p] = [2]int8{s, e}
				}
			}
		}
	}
	return table
}

// march finds the segments of every level in every cell whose four corners
// are finite, with the crossing points they start at.
func (t *tracer) march() {
	g := t.g
	nx := g.NX
	horizontal := int32((nx - 1) * g.NY)
	for j := range g.NY - 1 {
		for i := range nx - 1 {
			n0 := j*nx + i
			b0, b1, b2, b3 := t.band[n0], t.band[n0+1], t.band[n0+nx+1], t.band[n0+nx]
			lo, hi := min(b0, b1, b2, b3), max(b0, b1, b2, b3)
			if lo == hi || lo == noBand {
				continue
			}
			b := int32(j*(nx-1) + i)
			l := horizontal + int32(n0)
			sides := [4]int32{bottom: b, right: l + 1, top: b + int32(nx-1), left: l}
			for k := lo; k < hi; k++ {
				c := 0
				if b0 > k {
					c |= 1
				}
				if b1 > k {
					c |= 2
				}
				if b2 > k {
					c |= 4
				}
				if b3 > k {
					c |= 8
				}
				level := t.levels[k]
				centre := 0
				if c == 0b0101 || c == 0b1010 {
					v := g.Values
					mean := v[n0]/4 + v[n0+1]/4 + v[n0+nx+1]/4 + v[n0+nx]/4
					if mean > level {
						centre = 1
					}
				}
				for _, p := range cellSegments[c][centre] {
					if p[0] < 0 {
						break
					}
					c0, c1 := corners[p[0]], corners[(p[0]+1)%4]
					at := t.crossing(i+c0[0], j+c0[1], i+c1[0], j+c1[1], level)
					t.segs[k] = append(t.segs[k], segment{sides[p[0]], sides[p[1]], at})
				}
			}
		}
	}
}

// join links the segments of level k into maximal polylines: first the open
// ones, from each edge that no segment ends at, then the closed rings left.
func (t *tracer) join(k int) []Line {
	segs := t.segs[k]
	if len(segs) == 0 {
		return nil
	}
	for n, s := range segs {
		t.next[s.from] = int32(n + 1)
		t.flags[s.to] |= entered
	}
	level := t.levels[k]
	// One backing array holds the points of all lines of the level; a line
	// has one point more than it has segments.
	points := make([]surfaces.Point, 0, len(segs)+len(segs)/8+2)
	var lines []Line
	trace := func(e int32, ring bool) {
		start := len(points)
		for t.flags[e]&visited == 0 {
			t.flags[e] |= visited
			n := t.next[e]
			if n == 0 {
				points = appendDistinct(points, start, t.point(e, level))
				break
			}
			s := segs[n-1]
			points = appendDistinct(points, start, s.at)
			e = s.to
		}
		if ring && len(points)-start > 1 {
			points = appendDistinct(points, start, points[start])
		}
		if len(points)-start < 2 {
			points = points[:start] // a contour that shrank to a point
			return
		}
		lines = append(lines, Line(points[start:len(points):len(points)]))
	}
	for _, s := range segs {
		if t.flags[s.from]&entered == 0 {
			trace(s.from, false)
		}
	}
	for _, s := range segs {
		if t.flags[s.from]&visited == 0 {
			trace(s.from, true)
		}
	}
	for _, s := range segs {
		t.next[s.from] = 0
		t.flags[s.from] = 0
		t.flags[s.to] = 0
	}
	return lines
}

// appendDistinct appends p to the line that starts at points[start] unless it
// repeats the line's last point, as happens where the level equals a node's
// value and the node is the crossing point of several edges.
func appendDistinct(points []surfaces.Point, start int, p surfaces.Point) []surfaces.Point {
	if len(points) > start && points[len(points)-1] == p {
		return points
	}
	return append(points, p)
}

// point returns where the contour at level crosses edge e.
func (t *tracer) point(e int32, level float64) surfaces.Point {
	nx := t.g.NX
	horizontal := int32((nx - 1) * t.g.NY)
	if e < horizontal {
		i, j := int(e)%(nx-1), int(e)/(nx-1)
		return t.crossing(i, j, i+1, j, level)
	}
	n := int(e - horizontal)
	i, j := n%nx, n/nx
	return t.crossing(i, j, i, j+1, level)
}

// crossing returns where the contour at level crosses the edge between
// nodes (i0, j0) and (i1, j1), by linear interpolation of their values. It
// measures from the node at or below the level, whichever order the nodes
// come in, so that both cells beside the edge find the same point, and a
// node whose value equals the level is hit exactly.
func (t *tracer) crossing(i0, j0, i1, j1 int, level float64) surfaces.Point {
	g := t.g
	below, above := g.At(i0, j0), g.At(i1, j1)
	if below > level {
		below, above = above, below
		i0, j0, i1, j1 = i1, j1, i0, j0
	}
	s := fraction(below, above, level)
	return surfaces.Point{
		lerp(g.x(i0), g.x(i1), s),
		lerp(g.y(j0), g.y(j1), s),
	}
}

// fraction returns s in [0, 1] such that below + s·(above − below) = level,
// for below ≤ level < above, without overflow.
func fraction(below, above, level float64) float64 {
	var s float64
	if d := above - below; !math.IsInf(d, 0) {
		s = (level - below) / d
	} else {
		s = (level/2 - below/2) / (above/2 - below/2)
	}
	return min(max(s, 0), 1)
}

// lerp returns u0 + s·(u1 − u0), kept between u0 and u1 despite rounding.
func lerp(u0, u1, s float64) float64 {
	u := u0 + s*(u1-u0)
	return min(max(u, min(u0, u1)), max(u0, u1))
}
