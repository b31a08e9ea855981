package raster

import (
	"image"
	"image/color"
	"math"
	"testing"
)

var (
	white = color.RGBA{0xff, 0xff, 0xff, 0xff}
	blue  = color.RGBA{0x00, 0x72, 0xb2, 0xff}
)

// whiteCanvas returns a w × h canvas painted white.
func whiteCanvas(tb testing.TB, w, h int) *Canvas {
	tb.Helper()
	c := NewCanvas(w, h)
	c.FillRect(c.Image.Bounds(), white)
	return c
}

// changedPixels lists the pixels of c that are no longer white.
func changedPixels(tb testing.TB, c *Canvas) []image.Point {
	tb.Helper()
	var out []image.Point
	b := c.Image.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if c.Image.RGBAAt(x, y) != white {
				out = append(out, image.Pt(x, y))
			}
		}
	}
	return out
}

// checkInside fails unless every changed pixel of c is inside r.
func checkInside(tb testing.TB, c *Canvas, r image.Rectangle) {
	tb.Helper()
	for _, p := range changedPixels(tb, c) {
		if !p.In(r) {
			tb.Fatalf("pixel %v changed outside %v", p, r)
		}
	}
}

func TestShapes(t *testing.T) {
	t.Parallel()
	full := image.Rect(0, 0, 64, 64)
	for _, tc := range []struct {
		name string
		draw func(c *Canvas) image.Rectangle
		// solid pixels must be exactly blue, clear ones white.
		solid, clear []image.Point
	}{
		{
			name: "horizontal stroke",
			draw: func(c *Canvas) image.Rectangle {
				return c.Stroke([]Point{{10, 20.5}, {50, 20.5}}, 4, blue, full)
			},
			solid: []image.Point{{12, 20}, {30, 19}, {30, 21}, {49, 20}},
			clear: []image.Point{{30, 17}, {30, 24}, {5, 20}, {55, 20}},
		},
		{
			// A path that doubles back on itself is covered once: its
			// rectangles are wound the same way, so they cannot cancel.
			name: "path doubling back",
			draw: func(c *Canvas) image.Rectangle {
				return c.Stroke([]Point{{10, 20.5}, {50, 20.5}, {10, 20.5}, {50, 20.5}}, 4, blue, full)
			},
			solid: []image.Point{{12, 20}, {30, 19}, {30, 21}, {49, 20}},
			clear: []image.Point{{30, 17}, {30, 24}},
		},
		{
			name: "crossing path",
			draw: func(c *Canvas) image.Rectangle {
				return c.Stroke([]Point{{10, 32}, {54, 32}, {32, 54}, {32, 10}}, 4, blue, full)
			},
			solid: []image.Point{{31, 31}, {32, 32}, {20, 31}, {31, 20}},
			clear: []image.Point{{20, 20}, {40, 25}},
		},
		{
			name: "stroke clipped",
			draw: func(c *Canvas) image.Rectangle {
				return c.Stroke([]Point{{0, 20.5}, {64, 20.5}}, 4, blue, image.Rect(20, 0, 40, 64))
			},
			solid: []image.Point{{20, 20}, {39, 20}},
			clear: []image.Point{{19, 20}, {40, 20}},
		},
		{
			// Far-away and non-finite points neither hang nor spill: the
			// visible part of a line from very far away is drawn, and a
			// NaN breaks the line.
			name: "far and non-finite points",
			draw: func(c *Canvas) image.Rectangle {
				return c.Stroke([]Point{{-1e12, 40.5}, {1e12, 40.5}, {math.NaN(), 3}, {math.Inf(1), 3}, {5, 60}}, 3, blue, full)
			},
			solid: []image.Point{{0, 40}, {32, 40}, {63, 40}},
			clear: []image.Point{{5, 59}, {32, 3}, {32, 20}},
		},
		{
			name: "disc",
			draw: func(c *Canvas) image.Rectangle {
				return c.Disc(Point{32, 32}, 6, blue, full)
			},
			solid: []image.Point{{32, 32}, {27, 32}, {36, 32}, {32, 27}},
			clear: []image.Point{{32, 24}, {40, 32}, {37, 37}},
		},
		{
			name: "ring keeps its inside",
			draw: func(c *Canvas) image.Rectangle {
				return c.Ring(Point{32, 32}, 8, 3, blue, full)
			},
			solid: []image.Point{{24, 32}, {39, 32}, {32, 24}, {32, 39}},
			clear: []image.Point{{32, 32}, {29, 32}, {32, 35}, {32, 20}},
		},
		{
			name: "line has both caps",
			draw: func(c *Canvas) image.Rectangle {
				return c.Line(Point{20, 32}, Point{44, 32}, 8, blue, full)
			},
			solid: []image.Point{{17, 31}, {46, 31}},
			clear: []image.Point{{14, 32}, {50, 32}},
		},
		{
			name: "nothing outside the image",
			draw: func(c *Canvas) image.Rectangle {
				return c.Disc(Point{-50, -50}, 6, blue, full)
			},
			clear: []image.Point{{0, 0}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := whiteCanvas(t, 64, 64)
			r := tc.draw(c)
			checkInside(t, c, r)
			for _, p := range tc.solid {
				if got := c.Image.RGBAAt(p.X, p.Y); got != blue {
					t.Errorf("pixel %v is %v, want solid %v", p, got, blue)
				}
			}
			for _, p := range tc.clear {
				if got := c.Image.RGBAAt(p.X, p.Y); got != white {
					t.Errorf("pixel %v is %v, want it untouched", p, got)
				}
			}
			if len(tc.solid) == 0 && len(changedPixels(t, c)) != 0 {
				t.Errorf("drew %d pixels, want none", len(changedPixels(t, c)))
			}
		})
	}
}

// TestStrokeInPieces checks that a long line, which Stroke fills a piece
// at a time, and a path drawn in pieces by the caller, each starting where
// the last ended, have no gaps: every pixel along the middle of the line
// is solid, and the drawing matches the line drawn whole but for a few
// pixels at the joints.
func TestStrokeInPieces(t *testing.T) {
	t.Parallel()
	full := image.Rect(0, 0, 300, 300)
	var path []Point
	for k := 0; k <= 40; k++ {
		s := float64(k) / 40
		path = append(path, Point{10 + 280*s, 10 + 280*s*s})
	}
	whole := whiteCanvas(t, 300, 300)
	whole.Stroke(path, 3, blue, full)
	pieces := whiteCanvas(t, 300, 300)
	for k := 0; k+5 < len(path); k += 5 {
		pieces.Stroke(path[k:k+6], 3, blue, full)
	}
	for k := 1; k < len(path); k++ { // the first point has no cap
		x, y := int(path[k].X), int(path[k].Y)
		if got := pieces.Image.RGBAAt(x, y); got != blue {
			t.Errorf("joint %d at (%d, %d) is %v, want %v", k, x, y, got, blue)
		}
	}
	// Anti-aliased edges that meet at a joint are blended one after the
	// other rather than summed, which leaves a few pixels off by up to a
	// fifth; a joint left open would be off by a third over many more.
	worst, total := 0, 0
	for i := range whole.Image.Pix {
		d := abs(int(whole.Image.Pix[i]) - int(pieces.Image.Pix[i]))
		worst, total = max(worst, d), total+d
	}
	if worst > 64 || total > 1500 {
		t.Errorf("drawn in pieces, the line differs from the line drawn whole by up to %d levels, %d in all; want at most 64 and 1500", worst, total)
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func TestClipSegment(t *testing.T) {
	t.Parallel()
	box := [4]float64{0, 0, 10, 10}
	for _, tc := range []struct {
		name   string
		a, b   Point
		ok     bool
		wa, wb Point
	}{
		{"inside", Point{1, 1}, Point{9, 9}, true, Point{1, 1}, Point{9, 9}},
		{"crossing", Point{-5, 5}, Point{15, 5}, true, Point{0, 5}, Point{10, 5}},
		{"diagonal in", Point{-10, -10}, Point{5, 5}, true, Point{0, 0}, Point{5, 5}},
		{"outside", Point{-5, -5}, Point{-1, 20}, false, Point{}, Point{}},
		{"parallel outside", Point{-5, 11}, Point{15, 11}, false, Point{}, Point{}},
		{"NaN", Point{math.NaN(), 1}, Point{5, 5}, false, Point{}, Point{}},
		{"overflowing", Point{-math.MaxFloat64, 5}, Point{math.MaxFloat64, 5}, false, Point{}, Point{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, b, ok := clipSegment(tc.a, tc.b, box)
			if ok != tc.ok || ok && (a != tc.wa || b != tc.wb) {
				t.Errorf("clipSegment(%v, %v) = %v, %v, %v; want %v, %v, %v", tc.a, tc.b, a, b, ok, tc.wa, tc.wb, tc.ok)
			}
		})
	}
}

// FuzzClipSegment checks that a clipped segment lies in the box and on the
// segment it was cut from.
func FuzzClipSegment(f *testing.F) {
	f.Add(-5.0, 5.0, 15.0, 5.0)
	f.Add(1.0, 1.0, 9.0, 9.0)
	f.Add(-100.0, 3.0, 50.0, -20.0)
	f.Fuzz(func(t *testing.T, ax, ay, bx, by float64) {
		box := [4]float64{0, 0, 10, 10}
		a, b, ok := clipSegment(Point{ax, ay}, Point{bx, by}, box)
		if !ok {
			return
		}
		const eps = 1e-9
		for _, p := range []Point{a, b} {
			if !(p.X >= -eps*10 && p.X <= 10+eps*10 && p.Y >= -eps*10 && p.Y <= 10+eps*10) {
				t.Fatalf("clipped end %v is outside the box", p)
			}
			// On the line through the original ends.
			cross := (bx-ax)*(p.Y-ay) - (by-ay)*(p.X-ax)
			scale := math.Hypot(bx-ax, by-ay) * (1 + math.Hypot(p.X-ax, p.Y-ay))
			if math.Abs(cross) > 1e-9*scale {
				t.Fatalf("clipped end %v is off the segment (%g, %g)–(%g, %g)", p, ax, ay, bx, by)
			}
		}
	})
}
