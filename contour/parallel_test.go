package contour

import (
	"fmt"
	"math"
	"testing"

	"saddlepoint/surfaces"
)

// splits are ways of sharing out the rows, from one row per chunk to more
// workers than chunks.
var splits = []split{{2, 1}, {2, 5}, {3, 2}, {7, 13}, {4, 1 << 20}, {16, 3}}

// TestSplitsGiveTheSameGrid checks that however the rows are shared out,
// Sample gives the grid one goroutine gives, bit for bit.
func TestSplitsGiveTheSameGrid(t *testing.T) {
	t.Parallel()
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			serial := sample(c.f, c.view, c.nx, c.ny, split{1, c.ny})
			for _, s := range append(splits, splitFor(c.nx)) {
				g := sample(c.f, c.view, c.nx, c.ny, s)
				if msg := sameGrid(g, serial); msg != "" {
					t.Errorf("split %+v: %s", s, msg)
				}
			}
		})
	}
}

// TestSplitsGiveTheSameContours checks that however the work is shared out,
// Contours gives the sets, lines and points one goroutine gives, bit for bit
// and in the same order.
func TestSplitsGiveTheSameContours(t *testing.T) {
	t.Parallel()
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			g := sample(c.f, c.view, c.nx, c.ny, split{1, c.ny})
			levels := c.levels(g)
			serial := contours(g, levels, split{1, c.ny})
			for _, s := range append(splits, splitFor(c.nx)) {
				if msg := sameSets(contours(g, levels, s), serial); msg != "" {
					t.Errorf("split %+v: %s", s, msg)
				}
			}
			if msg := sameSets(Contours(g, levels), serial); msg != "" {
				t.Errorf("Contours: %s", msg)
			}
		})
	}
}

// TestContoursReusedScratch checks that contouring grids of different sizes
// and level counts one after the other, which reuses the pooled arrays,
// gives what a fresh start gives.
func TestContoursReusedScratch(t *testing.T) {
	t.Parallel()
	cases := goldenCases()
	want := make([][]Set, len(cases))
	grids := make([]Grid, len(cases))
	for k, c := range cases {
		grids[k] = sample(c.f, c.view, c.nx, c.ny, split{1, c.ny})
		want[k] = contours(grids[k], c.levels(grids[k]), split{1, c.ny})
	}
	for round := range 3 {
		for k := len(cases) - 1; k >= 0; k-- { // big and small grids in turn
			if msg := sameSets(Contours(grids[k], cases[k].levels(grids[k])), want[k]); msg != "" {
				t.Errorf("round %d, %s: %s", round, cases[k].name, msg)
			}
		}
	}
}

// TestSamplePanicInCaller checks that a panic in the sampled function comes
// out of Sample in the caller's goroutine, whichever goroutine called f.
func TestSamplePanicInCaller(t *testing.T) {
	t.Parallel()
	f := func(p surfaces.Point) float64 {
		if p[1] > 0.5 {
			panic("contour test: no values above y = 0.5")
		}
		return p[0]
	}
	for _, s := range splits {
		func() {
			defer func() {
				if v := recover(); v != "contour test: no values above y = 0.5" {
					t.Errorf("split %+v: recovered %v, want f's panic", s, v)
				}
			}()
			sample(f, square, 40, 40, s)
		}()
	}
}

// sameGrid describes the first difference between two grids, or returns ""
// if they are the same bit for bit.
func sameGrid(a, b Grid) string {
	if a.View != b.View || a.NX != b.NX || a.NY != b.NY || len(a.Values) != len(b.Values) {
		return fmt.Sprintf("grid %v %d × %d with %d values, want %v %d × %d with %d", a.View, a.NX, a.NY, len(a.Values), b.View, b.NX, b.NY, len(b.Values))
	}
	for n := range a.Values {
		if math.Float64bits(a.Values[n]) != math.Float64bits(b.Values[n]) {
			return fmt.Sprintf("value %d is %v, want %v", n, a.Values[n], b.Values[n])
		}
	}
	return ""
}

// sameSets describes the first difference between two lists of contour
// sets, or returns "" if they are the same bit for bit and in order.
func sameSets(a, b []Set) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d sets, want %d", len(a), len(b))
	}
	same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
	for k := range a {
		if !same(a[k].Level, b[k].Level) || len(a[k].Lines) != len(b[k].Lines) {
			return fmt.Sprintf("set %d: level %v with %d lines, want %v with %d", k, a[k].Level, len(a[k].Lines), b[k].Level, len(b[k].Lines))
		}
		for n, l := range a[k].Lines {
			want := b[k].Lines[n]
			if len(l) != len(want) {
				return fmt.Sprintf("set %d, line %d: %d points, want %d", k, n, len(l), len(want))
			}
			for i, p := range l {
				if !same(p[0], want[i][0]) || !same(p[1], want[i][1]) {
					return fmt.Sprintf("set %d, line %d, point %d: %v, want %v", k, n, i, p, want[i])
				}
			}
		}
	}
	return ""
}
