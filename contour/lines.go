package contour

import (
	"cmp"
	"math"
	"slices"
	"sync"

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
// [Lines] would but in a single pass over the grid. The work on a large grid
// is shared out between goroutines, by bands of rows and then by levels; the
// result is the same bit for bit, the order of the lines included.
func Contours(g Grid, levels []float64) []Set {
	return contours(g, levels, splitFor(g.NX))
}

// contours is Contours with the work shared out as s says.
func contours(g Grid, levels []float64, s split) []Set {
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

	t := newTracer(g, sorted, s)
	defer t.release()
	t.march()
	lines := t.joinAll()
	for k, i := range order {
		sets[i].Lines = lines[k]
	}
	return sets
}

// A tracer holds the working arrays for contouring one grid at a set of
// levels. The bands of the nodes are found, and the cells marched, by chunks
// of rows, each chunk on whichever goroutine takes it and each writing only
// its own rows of band and its own segment lists; the segments of a level
// are then joined into lines, a level at a time, on whichever goroutine
// takes the level, each with its own scratch arrays. Taking the chunks'
// segments of a level in chunk order gives them in the order a single pass
// over the rows finds them, so the lines come out the same whatever the
// split.
//
// Edges are numbered so that the horizontal edge from node (i, j) to
// (i+1, j) is j·(NX−1) + i and the vertical edge from node (i, j) to
// (i, j+1) is H + j·NX + i, where H = (NX−1)·NY is the number of horizontal
// edges.
type tracer struct {
	g      Grid
	split  split
	levels []float64 // finite, increasing
	xs, ys []float64 // the coordinates of the columns and rows of nodes
	// band[n] is how many levels node n is above, or noBand if its value is
	// not finite. A cell crosses level k exactly when k lies in
	// [min band, max band) over its corners.
	band []int32
	// chunks[c].segs[k] lists the segments of level k in chunk c of the
	// rows of cells, in the order march found them.
	chunks []*chunkSegments
}

// chunkSegments are the segments that march found in one chunk of rows of
// cells, level by level.
type chunkSegments struct {
	segs [][]segment
}

// edgeScratch is what join needs for one level. next[e] is 1 + the index in
// segs of the segment that starts at edge e, or 0 if none does; flags[e]
// holds entered and visited. Both are all zero between levels: join resets
// the edges it touched, so a level costs in proportion to its segments, not
// to the grid. segs holds the level's segments gathered from every chunk.
type edgeScratch struct {
	next  []int32
	flags []uint8
	segs  []segment
}

// The tracer's arrays are reused from one call to the next, as contours of
// the same grid size are drawn again and again: a 512 × 512 grid needs 1 MB
// of bands and 2.5 MB of edge arrays per goroutine.
var (
	bandPool  sync.Pool // *[]int32
	chunkPool sync.Pool // *chunkSegments, every list empty
	edgePool  sync.Pool // *edgeScratch, next and flags all zero
)

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

func newTracer(g Grid, levels []float64, s split) *tracer {
	t := &tracer{g: g, split: s, levels: levels, xs: g.xs(), ys: g.ys()}
	if b, ok := bandPool.Get().(*[]int32); ok && cap(*b) >= len(g.Values) {
		t.band = (*b)[:len(g.Values)]
	} else {
		t.band = make([]int32, len(g.Values))
	}
	forEach(s.workers, s.chunks(g.NY), func(c int) {
		lo, hi := s.rowRange(c, g.NY)
		t.findBands(lo*g.NX, hi*g.NX)
	})
	return t
}

// findBands sets the bands of nodes [from, to).
func (t *tracer) findBands(from, to int) {
	levels := t.levels
	band := t.band[from:to]
	// Neighbouring nodes mostly share a band, so a node whose value lies in
	// the previous node's band, (below, upper], is given it without a
	// binary search for the first level ≥ v.
	b, below, upper := 0, math.Inf(-1), levels[0]
	for n, v := range t.g.Values[from:to] {
		switch {
		case !finite(v):
			band[n] = noBand
			continue
		case below < v && v <= upper:
		default:
			lo, hi := 0, len(levels)
			for lo < hi {
				mid := int(uint(lo+hi) >> 1)
				if levels[mid] < v {
					lo = mid + 1
				} else {
					hi = mid
				}
			}
			b, below, upper = lo, math.Inf(-1), math.Inf(1)
			if b > 0 {
				below = levels[b-1]
			}
			if b < len(levels) {
				upper = levels[b]
			}
		}
		band[n] = int32(b)
	}
}

// release gives the tracer's arrays back for the next call to reuse.
func (t *tracer) release() {
	band := t.band // not &t.band, which would keep the tracer and its grid
	bandPool.Put(&band)
	for _, c := range t.chunks {
		if c != nil {
			for k := range c.segs {
				c.segs[k] = c.segs[k][:0]
			}
			chunkPool.Put(c)
		}
	}
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
// are finite, with the crossing points they start at, chunk by chunk of the
// rows of cells.
func (t *tracer) march() {
	rows := t.g.NY - 1
	t.chunks = make([]*chunkSegments, t.split.chunks(rows))
	forEach(t.split.workers, len(t.chunks), func(c int) {
		cs, ok := chunkPool.Get().(*chunkSegments)
		if !ok {
			cs = new(chunkSegments)
		}
		if len(cs.segs) < len(t.levels) {
			cs.segs = append(cs.segs, make([][]segment, len(t.levels)-len(cs.segs))...)
		}
		cs.segs = cs.segs[:len(t.levels)]
		lo, hi := t.split.rowRange(c, rows)
		t.marchRows(lo, hi, cs.segs)
		t.chunks[c] = cs
	})
}

// marchRows appends the segments of the cells of rows [lo, hi) to segs,
// level by level, row by row and from left to right.
func (t *tracer) marchRows(lo, hi int, segs [][]segment) {
	nx := t.g.NX
	for j := lo; j < hi; j++ {
		// The bands of the row of nodes below the cells and of the row
		// above; each cell's right corners are the next cell's left ones.
		below := t.band[j*nx : (j+1)*nx]
		above := t.band[(j+1)*nx : (j+2)*nx]
		above = above[:len(below)]
		b0, b3 := below[0], above[0]
		for i := 1; i < len(below); i++ {
			b1, b2 := below[i], above[i]
			// Most cells lie between two levels, all corners in one band.
			if b0 != b1 || b0 != b2 || b0 != b3 {
				t.cell(i-1, j, [4]int32{b0, b1, b2, b3}, segs)
			}
			b0, b3 = b1, b2
		}
	}
}

// cell appends the segments of cell (i, j), whose corners have the given
// bands in counterclockwise order from (i, j), to segs.
func (t *tracer) cell(i, j int, bands [4]int32, segs [][]segment) {
	g := t.g
	nx := g.NX
	b0, b1, b2, b3 := bands[0], bands[1], bands[2], bands[3]
	lo, hi := min(b0, b1, b2, b3), max(b0, b1, b2, b3)
	if lo == noBand {
		return
	}
	n0 := j*nx + i
	horizontal := int32((nx - 1) * g.NY)
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
			x, y := t.crossing(i+c0[0], j+c0[1], i+c1[0], j+c1[1], level)
			segs[k] = append(segs[k], segment{sides[p[0]], sides[p[1]], surfaces.Point{x, y}})
		}
	}
}

// joinAll joins the segments of every level into lines, the levels shared
// out between goroutines.
func (t *tracer) joinAll() [][]Line {
	lines := make([][]Line, len(t.levels))
	edges := (t.g.NX-1)*t.g.NY + t.g.NX*(t.g.NY-1)
	forEach(t.split.workers, len(t.levels), func(k int) {
		sc, ok := edgePool.Get().(*edgeScratch)
		if !ok || cap(sc.next) < edges {
			sc = &edgeScratch{next: make([]int32, edges), flags: make([]uint8, edges)}
		}
		sc.next, sc.flags = sc.next[:edges], sc.flags[:edges]
		lines[k] = t.join(k, sc)
		edgePool.Put(sc)
	})
	return lines
}

// join links the segments of level k into maximal polylines: first the open
// ones, from each edge that no segment ends at, then the closed rings left.
func (t *tracer) join(k int, sc *edgeScratch) []Line {
	segs := sc.segs[:0]
	for _, c := range t.chunks {
		segs = append(segs, c.segs[k]...)
	}
	sc.segs = segs
	if len(segs) == 0 {
		return nil
	}
	next, flags := sc.next, sc.flags
	for n, s := range segs {
		next[s.from] = int32(n + 1)
		flags[s.to] |= entered
	}
	level := t.levels[k]
	// One backing array holds the points of all lines of the level; a line
	// has one point more than it has segments.
	points := make([]surfaces.Point, 0, len(segs)+len(segs)/8+2)
	var lines []Line
	trace := func(e int32, ring bool) {
		start := len(points)
		for flags[e]&visited == 0 {
			flags[e] |= visited
			n := next[e]
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
		if flags[s.from]&entered == 0 {
			trace(s.from, false)
		}
	}
	for _, s := range segs {
		if flags[s.from]&visited == 0 {
			trace(s.from, true)
		}
	}
	for _, s := range segs {
		next[s.from] = 0
		flags[s.from] = 0
		flags[s.to] = 0
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
	var x, y float64
	if e < horizontal {
		i, j := int(e)%(nx-1), int(e)/(nx-1)
		x, y = t.crossing(i, j, i+1, j, level)
	} else {
		n := int(e - horizontal)
		i, j := n%nx, n/nx
		x, y = t.crossing(i, j, i, j+1, level)
	}
	return surfaces.Point{x, y}
}

// crossing returns where the contour at level crosses the edge between
// nodes (i0, j0) and (i1, j1), by linear interpolation of their values. It
// measures from the node at or below the level, whichever order the nodes
// come in, so that both cells beside the edge find the same point, and a
// node whose value equals the level is hit exactly.
//
// It returns the point's coordinates as two numbers, which come back in
// registers, rather than as a surfaces.Point, which comes back through
// memory.
func (t *tracer) crossing(i0, j0, i1, j1 int, level float64) (x, y float64) {
	v, nx := t.g.Values, t.g.NX
	below, above := v[j0*nx+i0], v[j1*nx+i1]
	if below > level {
		below, above = above, below
		i0, j0, i1, j1 = i1, j1, i0, j0
	}
	s := fraction(below, above, level)
	return lerp(t.xs[i0], t.xs[i1], s), lerp(t.ys[j0], t.ys[j1], s)
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
