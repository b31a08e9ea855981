package web

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// decodePath reads path data as writePath writes it, M x,y then l and
// relative pairs, into absolute points.
func decodePath(tb testing.TB, d string) [][2]float64 {
	tb.Helper()
	head, rel, ok := strings.Cut(strings.TrimPrefix(d, "M"), "l")
	if !ok || !strings.HasPrefix(d, "M") {
		tb.Fatalf("path %q: want M x,y l …", d)
	}
	// Every number ends where a separator or the next one's sign begins.
	numbers := func(s string) []float64 {
		var out []float64
		for _, f := range strings.FieldsFunc(strings.ReplaceAll(s, "-", " -"), func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				tb.Fatalf("path %q: %v", d, err)
			}
			out = append(out, v)
		}
		return out
	}
	start, steps := numbers(head), numbers(rel)
	if len(start) != 2 || len(steps)%2 != 0 {
		tb.Fatalf("path %q: %d numbers after M, %d after l", d, len(start), len(steps))
	}
	pts := [][2]float64{{start[0], start[1]}}
	for i := 0; i < len(steps); i += 2 {
		last := pts[len(pts)-1]
		pts = append(pts, [2]float64{last[0] + steps[i], last[1] + steps[i+1]})
	}
	return pts
}

// distanceToPolyline is the distance from p to the nearest segment of pts.
func distanceToPolyline(p [2]float64, pts [][2]float64) float64 {
	best := math.Hypot(p[0]-pts[0][0], p[1]-pts[0][1])
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		dx, dy := b[0]-a[0], b[1]-a[1]
		t := 0.0
		if l2 := dx*dx + dy*dy; l2 > 0 {
			t = max(0, min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2))
		}
		best = min(best, math.Hypot(p[0]-a[0]-t*dx, p[1]-a[1]-t*dy))
	}
	return best
}

// TestWritePath draws lines as the plot's contours are drawn: every point
// of a line is within pathTolerance of its path, give or take the rounding
// to a tenth, the path ends where the line ends, and a straight run of
// points is one segment.
func TestWritePath(t *testing.T) {
	t.Parallel()
	var circle, wave, straight [][2]float64
	for k := range 241 {
		a := 2 * math.Pi * float64(k) / 240
		circle = append(circle, [2]float64{300 + 120*math.Cos(a), 200 + 120*math.Sin(a)})
		wave = append(wave, [2]float64{56 + float64(k)*2.65, 300 + 40*math.Sin(float64(k)/7)})
		straight = append(straight, [2]float64{56 + float64(k)*2.65, 500 - float64(k)*1.3})
	}
	for _, tc := range []struct {
		name     string
		line     [][2]float64
		maxSteps int // the most relative steps the path may take
	}{
		{"a closed ring", circle, 80},
		{"a wave", wave, 170},
		{"a straight run", straight, 1},
		{"one point", [][2]float64{{100.04, 80}}, 1},
		{"points within a tenth", [][2]float64{{100, 80}, {100.01, 80.02}, {100.03, 80.01}}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var d strings.Builder
			writePath(&d, tc.line)
			drawn := decodePath(t, d.String())
			if steps := len(drawn) - 1; steps > tc.maxSteps {
				t.Errorf("%d steps for %d points, want at most %d: %s", steps, len(tc.line), tc.maxSteps, d.String())
			}
			const rounding = 0.1 // a tenth either way on both axes, at most, and no drift
			for _, p := range tc.line {
				if dist := distanceToPolyline(p, drawn); dist > pathTolerance+rounding {
					t.Fatalf("point %v is %.3f from the path %s", p, dist, d.String())
				}
			}
			last, end := tc.line[len(tc.line)-1], drawn[len(drawn)-1]
			if math.Abs(last[0]-end[0]) > rounding || math.Abs(last[1]-end[1]) > rounding {
				t.Errorf("the path ends at %v, the line at %v", end, last)
			}
		})
	}
}

func TestTenthsText(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{0: "0", 5: ".5", -5: "-.5", 15: "1.5", -15: "-1.5", 20: "2", -20: "-2", 1234: "123.4"} {
		if got := tenthsText(n); got != want {
			t.Errorf("tenthsText(%d) = %q, want %q", n, got, want)
		}
	}
}
