package contour

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"saddlepoint/surfaces"
)

var update = flag.Bool("update", false, "rewrite testdata/contours.golden from the current output")

// goldenCase is a grid and a set of levels whose contours are pinned, bit for
// bit, by testdata/contours.golden.
type goldenCase struct {
	name   string
	f      func(surfaces.Point) float64
	view   surfaces.View
	nx, ny int
	// levels gives the levels from the sampled grid.
	levels func(Grid) []float64
}

// holes is the saddle x² − y² with NaN inside one disc, +Inf inside another
// and −Inf inside a third, so that lines stop at missing values.
func holes(p surfaces.Point) float64 {
	x, y := p[0], p[1]
	switch {
	case (x-0.5)*(x-0.5)+(y-0.5)*(y-0.5) < 0.1:
		return math.NaN()
	case (x+1)*(x+1)+(y+0.7)*(y+0.7) < 0.05:
		return math.Inf(1)
	case (x-1.2)*(x-1.2)+(y+1)*(y+1) < 0.08:
		return math.Inf(-1)
	}
	return x*x - y*y
}

// terraces takes few values, so that many nodes lie exactly on the levels.
func terraces(p surfaces.Point) float64 {
	return math.Floor(3*p[0]) + math.Floor(2*p[1]) + math.Floor(p[0]*p[1])
}

// ripples has many small rings and saddle cells.
func ripples(p surfaces.Point) float64 {
	return math.Sin(5*p[0])*math.Cos(4*p[1]) + 0.1*p[0]
}

func goldenCases() []goldenCase {
	rosenbrockView := surfaces.View{XMin: -2, XMax: 2, YMin: -1, YMax: 3}
	fixed := func(levels ...float64) func(Grid) []float64 {
		return func(Grid) []float64 { return levels }
	}
	chosen := func(n int) func(Grid) []float64 {
		return func(g Grid) []float64 { return Levels(g, n) }
	}
	return []goldenCase{
		{"rosenbrock-512-24", rosenbrock, rosenbrockView, 512, 512, fixed(LogLevels(0.01, 2000, 24)...)},
		{"rosenbrock-101-12", rosenbrock, rosenbrockView, 101, 101, chosen(12)},
		{"rosenbrock-300x77-10", rosenbrock, rosenbrockView, 300, 77, chosen(10)},
		{"bowl-129-unsorted", bowl, square, 129, 129, fixed(3, 0.5, math.NaN(), 1, 1, -1, 9, math.Inf(1), 0.25)},
		{"pit-64-8", pit, square, 64, 64, chosen(8)},
		{"saddle-200x150-9", saddle, square, 200, 150, chosen(9)},
		{"holes-256-15", holes, square, 256, 256, chosen(15)},
		{"terraces-97-on-nodes", terraces, square, 97, 97, fixed(-8, -3, -1, 0, 1, 2, 3, 5, 8)},
		{"ripples-333x211-20", ripples, square, 333, 211, chosen(20)},
		{"ripples-3x400-5", ripples, square, 3, 400, chosen(5)},
		{"ripples-400x2-5", ripples, square, 400, 2, chosen(5)},
	}
}

// digest summarises a grid and its contour sets: the number of lines and
// points of each set and a SHA-256 of every bit of the grid's values and of
// the sets, levels and lines in order.
func digest(g Grid, sets []Set) string {
	h := sha256.New()
	word := func(v float64) {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		h.Write(b[:])
	}
	for _, v := range g.Values {
		word(v)
	}
	var counts []string
	for _, s := range sets {
		word(s.Level)
		word(float64(len(s.Lines)))
		points := 0
		for _, l := range s.Lines {
			word(float64(len(l)))
			for _, p := range l {
				word(p[0])
				word(p[1])
			}
			points += len(l)
		}
		counts = append(counts, fmt.Sprintf("%d/%d", len(s.Lines), points))
	}
	return fmt.Sprintf("%s %x", strings.Join(counts, ","), h.Sum(nil)[:16])
}

// TestContoursGolden pins the grids and contours of a set of surfaces, bit
// for bit and in order, to what the serial tracer gave before the work was
// split between cores; run with -update to record a deliberate change.
func TestContoursGolden(t *testing.T) {
	t.Parallel()
	path := filepath.Join("testdata", "contours.golden")
	var got []string
	for _, c := range goldenCases() {
		g := Sample(c.f, c.view, c.nx, c.ny)
		got = append(got, c.name+" "+digest(g, Contours(g, c.levels(g))))
	}
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		want = append(want, sc.Text())
	}
	if len(want) != len(got) {
		t.Fatalf("%s has %d cases, the test %d; run with -update", path, len(want), len(got))
	}
	for k := range got {
		if got[k] != want[k] {
			t.Errorf("contours changed:\n got %s\nwant %s", got[k], want[k])
		}
	}
}
