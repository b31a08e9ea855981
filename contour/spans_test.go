package contour

import (
	"math"
	"testing"

	"saddlepoint/surfaces"
)

// TestSpansDecades checks that SpansDecades says whether Levels spaces its
// levels logarithmically: the lowest log-spaced level lies R/10⁴ above the
// least value, the lowest linear one R/(n + 1).
func TestSpansDecades(t *testing.T) {
	t.Parallel()
	for _, name := range surfaces.Names() {
		s, _ := surfaces.Lookup(name)
		g := Sample(s.Value, s.View, 61, 61)
		lo, hi, _ := g.Range()
		levels := Levels(g, 24)
		logSpaced := levels[0]-lo < (hi-lo)/100
		if SpansDecades(g) != logSpaced {
			t.Errorf("%s: SpansDecades %v, but Levels' lowest level is %g of the range up", name, SpansDecades(g), (levels[0]-lo)/(hi-lo))
		}
	}
	for _, tc := range []struct {
		name   string
		values []float64
		want   bool
	}{
		{"flat", []float64{2, 2, 2, 2}, false},
		{"undefined", []float64{math.NaN(), math.NaN(), math.Inf(1), math.Inf(-1)}, false},
		{"one spike", []float64{0, 0, 0, 1e6}, true},
		{"beyond float64's span", []float64{-math.MaxFloat64, -math.MaxFloat64, -math.MaxFloat64, math.MaxFloat64}, true},
	} {
		g := Grid{View: surfaces.View{XMin: 0, XMax: 1, YMin: 0, YMax: 1}, NX: 2, NY: 2, Values: tc.values}
		if got := SpansDecades(g); got != tc.want {
			t.Errorf("%s: SpansDecades %v, want %v", tc.name, got, tc.want)
		}
	}
}
