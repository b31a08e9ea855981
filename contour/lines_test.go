package contour

import (
	"math"
	"reflect"
	"slices"
	"testing"

	"saddlepoint/surfaces"
)

var square = surfaces.View{XMin: -2, XMax: 2, YMin: -2, YMax: 2}

func bowl(p surfaces.Point) float64 { return p[0]*p[0] + p[1]*p[1] }

func pit(p surfaces.Point) float64 { return -bowl(p) }

func saddle(p surfaces.Point) float64 { return p[0]*p[0] - p[1]*p[1] }

// rosenbrock is written out here rather than looked up in surfaces, which is
// being filled in alongside this package.
func rosenbrock(p surfaces.Point) float64 {
	x, y := p[0], p[1]
	return (1-x)*(1-x) + 100*(y-x*x)*(y-x*x)
}

// crossings counts the grid edges on which a contour at level has a point:
// edges between nodes on either side of level that belong to a cell with
// four finite corners. It is the number of points of the contour before
// joining.
func crossings(g Grid, level float64) int {
	finite := func(i, j int) bool {
		v := g.At(i, j)
		return !math.IsNaN(v) && !math.IsInf(v, 0)
	}
	cell := func(i, j int) bool {
		return i >= 0 && j >= 0 && i+1 < g.NX && j+1 < g.NY &&
			finite(i, j) && finite(i+1, j) && finite(i, j+1) && finite(i+1, j+1)
	}
	n := 0
	for j := range g.NY {
		for i := range g.NX {
			v := g.At(i, j)
			if i+1 < g.NX && (v > level) != (g.At(i+1, j) > level) && (cell(i, j) || cell(i, j-1)) {
				n++
			}
			if j+1 < g.NY && (v > level) != (g.At(i, j+1) > level) && (cell(i, j) || cell(i-1, j)) {
				n++
			}
		}
	}
	return n
}

// signedArea is the shoelace area of a closed ring, positive when it turns
// counterclockwise.
func signedArea(l Line) float64 {
	a := 0.0
	for k := 1; k < len(l); k++ {
		a += l[k-1][0]*l[k][1] - l[k][0]*l[k-1][1]
	}
	return a / 2
}

// checkLines checks what every result of Lines must satisfy: finite points
// inside the view, at least two per line, no repeats in a row, and as many
// points in all as edge crossings plus one per ring. The count can only be
// smaller where a node lies exactly on the level, so that the points of
// several edges coincide.
func checkLines(tb testing.TB, g Grid, level float64, lines []Line) {
	tb.Helper()
	total, rings := 0, 0
	for n, l := range lines {
		if len(l) < 2 {
			tb.Fatalf("line %d has %d points", n, len(l))
		}
		for k, p := range l {
			if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
				tb.Fatalf("line %d point %d is %v", n, k, p)
			}
			if !g.View.Contains(p) {
				tb.Fatalf("line %d point %d = %v outside view %v", n, k, p, g.View)
			}
			if k > 0 && p == l[k-1] {
				tb.Fatalf("line %d repeats point %v at %d", n, p, k)
			}
		}
		total += len(l)
		if l.Closed() {
			rings++
		}
	}
	want := crossings(g, level) + rings
	if slices.Contains(g.Values, level) {
		if total > want {
			tb.Errorf("%d points in %d lines (%d closed), want at most %d crossings + %d", total, len(lines), rings, want-rings, rings)
		}
		return
	}
	if total != want {
		tb.Errorf("%d points in %d lines (%d closed), want %d crossings + %d", total, len(lines), rings, want-rings, rings)
	}
}

func near(p, q surfaces.Point, tol float64) bool {
	return math.Abs(p[0]-q[0]) <= tol && math.Abs(p[1]-q[1]) <= tol
}

func onBorder(v surfaces.View, p surfaces.Point) bool {
	return p[0] == v.XMin || p[0] == v.XMax || p[1] == v.YMin || p[1] == v.YMax
}

func TestLinesCircle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		f      func(surfaces.Point) float64
		nx, ny int
		r      float64
		turn   float64 // sign of the ring's area: +1 counterclockwise
	}{
		{"bowl-41", bowl, 41, 41, 1.03, -1},
		{"bowl-101", bowl, 101, 101, 1.5, -1},
		{"bowl-even", bowl, 64, 64, 0.5, -1},
		{"bowl-coarse", bowl, 9, 9, 1.3, -1},
		{"bowl-unequal", bowl, 50, 80, 1.7, -1},
		{"peak", pit, 41, 41, 1.22, 1},
		{"on-nodes", bowl, 41, 41, 1, -1}, // passes through 4 nodes
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := Sample(tt.f, square, tt.nx, tt.ny)
			level := tt.f(surfaces.Point{tt.r, 0})
			lines := Lines(g, level)
			checkLines(t, g, level, lines)
			if len(lines) != 1 {
				t.Fatalf("%d lines, want 1 ring", len(lines))
			}
			ring := lines[0]
			if !ring.Closed() {
				t.Fatalf("line from %v to %v is not closed", ring[0], ring[len(ring)-1])
			}
			// Along an edge of length h the bowl is a parabola with second
			// derivative 2, which its chord overestimates by at most h²/4:
			// every point has r² − h²/4 ≤ x² + y² ≤ r².
			hx, hy := 4/float64(tt.nx-1), 4/float64(tt.ny-1)
			slack := max(hx, hy) * max(hx, hy) / 4
			for k, p := range ring {
				if r2 := bowl(p); r2 > tt.r*tt.r+1e-12 || r2 < tt.r*tt.r-slack-1e-12 {
					t.Fatalf("point %d = %v at radius %v, want within [%v, %v]",
						k, p, math.Sqrt(r2), math.Sqrt(tt.r*tt.r-slack), tt.r)
				}
			}
			area := signedArea(ring)
			if math.Signbit(area) != math.Signbit(tt.turn) {
				t.Errorf("ring has signed area %v, want sign of %v", area, tt.turn)
			}
			if want := math.Pi * tt.r * tt.r; math.Abs(math.Abs(area)-want) > 2*math.Pi*tt.r*max(hx, hy) {
				t.Errorf("ring encloses %v, want about %v", math.Abs(area), want)
			}
		})
	}
}

func TestLinesStraight(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		f           func(surfaces.Point) float64
		view        surfaces.View
		nx, ny      int
		level       float64
		first, last surfaces.Point
	}{
		{
			"diagonal", func(p surfaces.Point) float64 { return p[0] + p[1] },
			surfaces.View{XMin: -1, XMax: 1, YMin: -1, YMax: 1}, 11, 11, 0.3,
			surfaces.Point{-0.7, 1}, surfaces.Point{1, -0.7},
		},
		{
			"vertical", func(p surfaces.Point) float64 { return p[0] },
			surfaces.View{XMin: 0, XMax: 2, YMin: 0, YMax: 1}, 5, 3, 0.7,
			surfaces.Point{0.7, 1}, surfaces.Point{0.7, 0},
		},
		{
			"horizontal", func(p surfaces.Point) float64 { return -2 * p[1] },
			surfaces.View{XMin: -1, XMax: 1, YMin: -3, YMax: 3}, 4, 7, 1,
			surfaces.Point{1, -0.5}, surfaces.Point{-1, -0.5},
		},
		{
			"steep", func(p surfaces.Point) float64 { return 1e6*p[0] - 3e5*p[1] },
			surfaces.View{XMin: 0, XMax: 1, YMin: 0, YMax: 1}, 17, 9, 2e5,
			surfaces.Point{0.5, 1}, surfaces.Point{0.2, 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := Sample(tt.f, tt.view, tt.nx, tt.ny)
			lines := Lines(g, tt.level)
			checkLines(t, g, tt.level, lines)
			if len(lines) != 1 {
				t.Fatalf("%d lines, want 1", len(lines))
			}
			l := lines[0]
			if l.Closed() {
				t.Fatal("straight line is closed")
			}
			if !near(l[0], tt.first, 1e-12) || !near(l[len(l)-1], tt.last, 1e-12) {
				t.Errorf("line runs from %v to %v, want from %v to %v", l[0], l[len(l)-1], tt.first, tt.last)
			}
			scale := math.Abs(tt.f(surfaces.Point{1, 1})) + math.Abs(tt.level)
			for k, p := range l {
				if v := tt.f(p); math.Abs(v-tt.level) > 1e-12*scale {
					t.Fatalf("point %d = %v has value %v, want %v", k, p, v, tt.level)
				}
			}
		})
	}
}

func TestLinesNone(t *testing.T) {
	t.Parallel()
	g := Sample(bowl, square, 21, 21) // min 0 at the centre node, max 8
	for _, level := range []float64{-1, 0, 8, 9, math.NaN(), math.Inf(1), math.Inf(-1)} {
		if lines := Lines(g, level); len(lines) != 0 {
			t.Errorf("level %v: %d lines, want none: %v", level, len(lines), lines)
		}
	}
}

func TestLinesSaddleCell(t *testing.T) {
	t.Parallel()
	unit := surfaces.View{XMin: 0, XMax: 1, YMin: 0, YMax: 1}
	tests := []struct {
		name   string
		values []float64 // (0, 0), (1, 0), (0, 1), (1, 1)
		level  float64
		want   []Line
	}{
		// Above corners (0, 0) and (1, 1) with the mean 0.5 above the
		// level: they are joined, and the lines cut off the other two.
		{"rising-joined", []float64{1, 0, 0, 1}, 0.4, []Line{
			{{0.4, 1}, {0, 0.6}},
			{{0.6, 0}, {1, 0.4}},
		}},
		{"rising-split", []float64{1, 0, 0, 1}, 0.6, []Line{
			{{0.4, 0}, {0, 0.4}},
			{{0.6, 1}, {1, 0.6}},
		}},
		{"falling-joined", []float64{0, 1, 1, 0}, 0.4, []Line{
			{{0, 0.4}, {0.4, 0}},
			{{1, 0.6}, {0.6, 1}},
		}},
		{"falling-split", []float64{0, 1, 1, 0}, 0.6, []Line{
			{{0, 0.6}, {0.4, 1}},
			{{1, 0.4}, {0.6, 0}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := Grid{View: unit, NX: 2, NY: 2, Values: tt.values}
			lines := Lines(g, tt.level)
			checkLines(t, g, tt.level, lines)
			slices.SortFunc(lines, func(a, b Line) int {
				if a[0][0] != b[0][0] {
					return int(math.Copysign(1, a[0][0]-b[0][0]))
				}
				return int(math.Copysign(1, a[0][1]-b[0][1]))
			})
			if len(lines) != len(tt.want) {
				t.Fatalf("lines %v, want %v", lines, tt.want)
			}
			for n := range lines {
				if len(lines[n]) != 2 || !near(lines[n][0], tt.want[n][0], 1e-15) || !near(lines[n][1], tt.want[n][1], 1e-15) {
					t.Fatalf("lines %v, want %v", lines, tt.want)
				}
			}
		})
	}
}

func TestLinesMaximal(t *testing.T) {
	t.Parallel()
	doubleWell := func(p surfaces.Point) float64 {
		u := p[0]*p[0] - 1
		return u*u + p[1]*p[1]
	}
	tests := []struct {
		name        string
		f           func(surfaces.Point) float64
		level       float64
		rings, open int
	}{
		{"two-wells", doubleWell, 0.25, 2, 0},
		{"around-both", doubleWell, 1.5, 1, 0},
		{"hyperbola", saddle, 1, 0, 2},
		{"hyperbola-below", saddle, -1, 0, 2},
		{"rosenbrock", rosenbrock, 30, 0, 2}, // both sides of the valley
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := Sample(tt.f, square, 97, 83)
			lines := Lines(g, tt.level)
			checkLines(t, g, tt.level, lines)
			rings, open := 0, 0
			for _, l := range lines {
				if l.Closed() {
					rings++
					continue
				}
				open++
				// With no missing values only the border can end a line.
				if !onBorder(g.View, l[0]) || !onBorder(g.View, l[len(l)-1]) {
					t.Errorf("open line from %v to %v ends inside the view", l[0], l[len(l)-1])
				}
			}
			if rings != tt.rings || open != tt.open {
				t.Errorf("%d rings and %d open lines, want %d and %d", rings, open, tt.rings, tt.open)
			}
		})
	}
}

func TestLinesNonFinite(t *testing.T) {
	t.Parallel()
	t.Run("hole-in-ring", func(t *testing.T) {
		t.Parallel()
		g := Sample(bowl, square, 41, 41)
		hole := surfaces.Point{1, 0} // node (30, 20)
		g.Values[20*41+30] = math.NaN()
		level := 1.05 * 1.05
		lines := Lines(g, level)
		if len(lines) != 1 || lines[0].Closed() {
			t.Fatalf("got %d lines, want the ring broken into one open line", len(lines))
		}
		for _, p := range lines {
			for _, end := range []surfaces.Point{p[0], p[len(p)-1]} {
				if !near(end, hole, 0.1+1e-12) {
					t.Errorf("line ends at %v, not beside the missing node %v", end, hole)
				}
			}
		}
		for _, p := range lines[0] {
			if r := math.Sqrt(bowl(p)); math.Abs(r-1.05) > 0.01 {
				t.Errorf("point %v at radius %v, want 1.05", p, r)
			}
		}
	})
	t.Run("overflow", func(t *testing.T) {
		t.Parallel()
		g := Grid{
			View: surfaces.View{XMin: 0, XMax: 1, YMin: 0, YMax: 1}, NX: 2, NY: 2,
			Values: []float64{-1e308, 1e308, -1e308, 1e308},
		}
		want := []Line{{{0.5, 1}, {0.5, 0}}}
		if got := Lines(g, 0); !reflect.DeepEqual(got, want) {
			t.Errorf("Lines = %v, want %v", got, want)
		}
	})
	specials := []float64{math.NaN(), math.Inf(1), math.Inf(-1)}
	tests := []struct {
		name string
		fill func(n int) float64
	}{
		{"all-nan", func(int) float64 { return math.NaN() }},
		{"every-third", func(n int) float64 {
			if n%3 == 0 {
				return specials[n/3%3]
			}
			return float64(n % 7)
		}},
		{"sparse", func(n int) float64 {
			if n%17 == 0 {
				return specials[n%3]
			}
			return math.Sin(float64(n))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := Grid{View: square, NX: 13, NY: 11, Values: make([]float64, 13*11)}
			for n := range g.Values {
				g.Values[n] = tt.fill(n)
			}
			levels := append(Levels(g, 7), -0.5, 0, 0.5, 3, math.Inf(1))
			for _, set := range Contours(g, levels) {
				checkLines(t, g, set.Level, set.Lines)
			}
		})
	}
}

func TestContoursMatchLines(t *testing.T) {
	t.Parallel()
	g := Sample(rosenbrock, surfaces.View{XMin: -2, XMax: 2, YMin: -1, YMax: 3}, 60, 70)
	levels := []float64{300, 1, math.NaN(), 0.1, 1, 2000, -5, 30}
	sets := Contours(g, levels)
	if len(sets) != len(levels) {
		t.Fatalf("%d sets for %d levels", len(sets), len(levels))
	}
	for k, set := range sets {
		if set.Level != levels[k] && !math.IsNaN(levels[k]) {
			t.Errorf("set %d has level %v, want %v", k, set.Level, levels[k])
		}
		if want := Lines(g, levels[k]); !reflect.DeepEqual(set.Lines, want) {
			t.Errorf("level %v: Contours gives %d lines, Lines %d", levels[k], len(set.Lines), len(want))
		}
	}
}

func TestSample(t *testing.T) {
	t.Parallel()
	view := surfaces.View{XMin: -0.3, XMax: 0.7, YMin: 1.1, YMax: 2.9}
	g := Sample(func(p surfaces.Point) float64 { return 10*p[0] + p[1] }, view, 11, 4)
	if len(g.Values) != 44 || g.NX != 11 || g.NY != 4 || g.View != view {
		t.Fatalf("Sample gave %+v", g)
	}
	if p := g.Node(0, 0); p != (surfaces.Point{view.XMin, view.YMin}) {
		t.Errorf("Node(0, 0) = %v", p)
	}
	if p := g.Node(10, 3); p != (surfaces.Point{view.XMax, view.YMax}) {
		t.Errorf("Node(10, 3) = %v, want the view's top right corner exactly", p)
	}
	if v, want := g.Values[2*11+4], 10*0.1+2.3; math.Abs(v-want) > 1e-12 || g.At(4, 2) != v {
		t.Errorf("node (4, 2) holds %v, want %v", v, want)
	}
	lo, hi, ok := g.Range()
	if !ok || math.Abs(lo-(-3+1.1)) > 1e-12 || math.Abs(hi-(7+2.9)) > 1e-12 {
		t.Errorf("Range = %v, %v, %v", lo, hi, ok)
	}
}

func TestRangeNonFinite(t *testing.T) {
	t.Parallel()
	inf, nan := math.Inf(1), math.NaN()
	tests := []struct {
		values []float64
		lo, hi float64
		ok     bool
	}{
		{[]float64{nan, 2, -inf, 1}, 1, 2, true},
		{[]float64{inf, -3, nan, -inf}, -3, -3, true},
		{[]float64{nan, inf, -inf, nan}, 0, 0, false},
	}
	for _, tt := range tests {
		g := Grid{View: square, NX: 2, NY: 2, Values: tt.values}
		lo, hi, ok := g.Range()
		if ok != tt.ok || ok && (lo != tt.lo || hi != tt.hi) {
			t.Errorf("Range of %v = %v, %v, %v, want %v, %v, %v", tt.values, lo, hi, ok, tt.lo, tt.hi, tt.ok)
		}
	}
}

func TestPanics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		call func()
	}{
		{"sample-1-column", func() { Sample(bowl, square, 1, 5) }},
		{"sample-empty-view", func() { Sample(bowl, surfaces.View{XMin: 1, XMax: 1, YMin: 0, YMax: 1}, 3, 3) }},
		{"sample-nan-view", func() { Sample(bowl, surfaces.View{XMin: math.NaN(), XMax: 1, YMin: 0, YMax: 1}, 3, 3) }},
		{"sample-huge-view", func() {
			Sample(bowl, surfaces.View{XMin: -math.MaxFloat64, XMax: math.MaxFloat64, YMin: 0, YMax: 1}, 3, 3)
		}},
		{"lines-short-values", func() { Lines(Grid{View: square, NX: 3, NY: 3, Values: make([]float64, 8)}, 0) }},
		{"log-levels-zero", func() { LogLevels(0, 1, 3) }},
		{"log-levels-reversed", func() { LogLevels(2, 1, 3) }},
		{"log-levels-inf", func() { LogLevels(1, math.Inf(1), 3) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tt.call()
		})
	}
}

func BenchmarkContour(b *testing.B) {
	view := surfaces.View{XMin: -2, XMax: 2, YMin: -1, YMax: 3}
	levels := LogLevels(0.01, 2000, 24)
	b.Run("rosenbrock-512-24", func(b *testing.B) {
		points := 0
		for b.Loop() {
			g := Sample(rosenbrock, view, 512, 512)
			points = 0
			for _, set := range Contours(g, levels) {
				for _, l := range set.Lines {
					points += len(l)
				}
			}
		}
		b.ReportMetric(float64(points), "points")
	})
	b.Run("rosenbrock-512-24-contours-only", func(b *testing.B) {
		g := Sample(rosenbrock, view, 512, 512)
		for b.Loop() {
			Contours(g, levels)
		}
	})
}
