package contour

import (
	"math"
	"testing"

	"saddlepoint/surfaces"
)

func sixHumpCamel(p surfaces.Point) float64 {
	x, y := p[0], p[1]
	return (4-2.1*x*x+x*x*x*x/3)*x*x + x*y + (-4+4*y*y)*y*y
}

func TestLevels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    func(surfaces.Point) float64
		view surfaces.View
		n    int
		log  bool
	}{
		{"rosenbrock", rosenbrock, surfaces.View{XMin: -2, XMax: 2, YMin: -1, YMax: 3}, 24, true},
		{"rosenbrock-few", rosenbrock, surfaces.View{XMin: -2, XMax: 2, YMin: -1, YMax: 3}, 3, true},
		{"camel-wide", sixHumpCamel, surfaces.View{XMin: -3, XMax: 3, YMin: -2, YMax: 2}, 12, true},
		{"bowl", bowl, square, 24, false},
		{"saddle", saddle, square, 10, false},
		{"camel", sixHumpCamel, surfaces.View{XMin: -2, XMax: 2, YMin: -1, YMax: 1}, 12, false},
		{"single", bowl, square, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := Sample(tt.f, tt.view, 101, 101)
			lo, hi, _ := g.Range()
			levels := Levels(g, tt.n)
			if len(levels) != tt.n {
				t.Fatalf("%d levels, want %d", len(levels), tt.n)
			}
			span := hi - lo
			for k, level := range levels {
				if !(lo < level && level < hi) || k > 0 && !(levels[k-1] < level) {
					t.Fatalf("levels %v not increasing strictly inside (%v, %v)", levels, lo, hi)
				}
				// Every level is inside the range, so it has a contour.
				if len(Lines(g, level)) == 0 {
					t.Errorf("level %v has no lines", level)
				}
				var want float64
				if tt.log {
					want = lo + span*math.Pow(10, 4*float64(k-tt.n)/float64(tt.n))
				} else {
					want = lo + span*float64(k+1)/float64(tt.n+1)
				}
				if math.Abs(level-want) > 1e-12*span {
					t.Errorf("level %d = %v, want %v (log spacing %t)", k, level, want, tt.log)
				}
			}
		})
	}
}

func TestLevelsNone(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	tests := []struct {
		name   string
		values []float64
		n      int
	}{
		{"flat", []float64{2, 2, 2, 2}, 5},
		{"flat-with-gaps", []float64{2, nan, math.Inf(1), 2}, 5},
		{"no-finite", []float64{nan, nan, math.Inf(-1), nan}, 5},
		{"zero-levels", []float64{0, 1, 2, 3}, 0},
		{"negative-levels", []float64{0, 1, 2, 3}, -2},
	}
	for _, tt := range tests {
		g := Grid{View: square, NX: 2, NY: 2, Values: tt.values}
		if levels := Levels(g, tt.n); levels != nil {
			t.Errorf("%s: Levels = %v, want nil", tt.name, levels)
		}
	}
}

func TestLevelsExtreme(t *testing.T) {
	t.Parallel()
	g := Grid{View: square, NX: 2, NY: 2, Values: []float64{-math.MaxFloat64, 0, 1, math.MaxFloat64}}
	levels := Levels(g, 3)
	want := []float64{-math.MaxFloat64 / 2, 0, math.MaxFloat64 / 2}
	for k := range want {
		if math.Abs(levels[k]-want[k]) > 1e-15*math.MaxFloat64 {
			t.Fatalf("Levels = %v, want %v", levels, want)
		}
	}
	for _, set := range Contours(g, levels) {
		checkLines(t, g, set.Level, set.Lines)
	}
}

func TestLogLevels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lo, hi float64
		n      int
	}{
		{0.01, 2000, 24},
		{1, 10, 2},
		{3, 3, 4},
		{1e-300, 1e300, 7},
	}
	for _, tt := range tests {
		levels := LogLevels(tt.lo, tt.hi, tt.n)
		if len(levels) != tt.n || levels[0] != tt.lo || levels[tt.n-1] != tt.hi {
			t.Fatalf("LogLevels(%v, %v, %d) = %v", tt.lo, tt.hi, tt.n, levels)
		}
		ratio := math.Pow(tt.hi/tt.lo, 1/float64(tt.n-1))
		if math.IsInf(ratio, 0) {
			ratio = math.Exp((math.Log(tt.hi) - math.Log(tt.lo)) / float64(tt.n-1))
		}
		for k := 1; k < tt.n; k++ {
			if r := levels[k] / levels[k-1]; math.Abs(r-ratio) > 1e-12*ratio {
				t.Errorf("LogLevels(%v, %v, %d): ratio %v at %d, want %v", tt.lo, tt.hi, tt.n, r, k, ratio)
			}
		}
	}
	if levels := LogLevels(0.5, 8, 1); len(levels) != 1 || levels[0] != 0.5 {
		t.Errorf("LogLevels(0.5, 8, 1) = %v, want [0.5]", levels)
	}
	if levels := LogLevels(0.5, 8, 0); levels != nil {
		t.Errorf("LogLevels(0.5, 8, 0) = %v, want nil", levels)
	}
}
