package raster

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

// testPalette has a transparent entry, a repeated colour and a few greys
// and blues.
var testPalette = color.Palette{
	color.RGBA{},
	color.RGBA{0xff, 0xff, 0xff, 0xff},
	color.RGBA{0xfb, 0xfc, 0xfe, 0xff}, // one step from white: must stay apart
	color.RGBA{0x00, 0x72, 0xb2, 0xff},
	color.RGBA{0x00, 0x72, 0xb2, 0xff},
	color.RGBA{0x80, 0x80, 0x80, 0xff},
	color.RGBA{0x00, 0x00, 0x00, 0xff},
	color.RGBA{0x08, 0x30, 0x6b, 0xff},
}

// nearestByHand is the palette index NewQuantizer must find for c.
func nearestByHand(p color.Palette, c color.RGBA) int {
	best, bestD := -1, 1<<62
	for i, e := range p {
		r, g, b, a := e.RGBA()
		if a != 0xffff {
			continue
		}
		dr, dg, db := int(c.R)-int(r>>8), int(c.G)-int(g>>8), int(c.B)-int(b>>8)
		if d := 2*dr*dr + 4*dg*dg + 3*db*db; d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

func TestQuantizerIndex(t *testing.T) {
	t.Parallel()
	q := NewQuantizer(testPalette)
	for _, tc := range []struct {
		name string
		c    color.RGBA
		want uint8
	}{
		{"white", color.RGBA{0xff, 0xff, 0xff, 0xff}, 1},
		{"near-white stays itself", color.RGBA{0xfb, 0xfc, 0xfe, 0xff}, 2},
		{"first of a repeated colour", color.RGBA{0x00, 0x72, 0xb2, 0xff}, 3},
		{"black, not transparent", color.RGBA{0, 0, 0, 0}, 6},
		{"dark grey to black", color.RGBA{0x20, 0x20, 0x20, 0xff}, 6},
		{"mid grey", color.RGBA{0x88, 0x7c, 0x80, 0xff}, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := q.Index(tc.c); got != tc.want {
				t.Errorf("Index(%v) = %d, want %d", tc.c, got, tc.want)
			}
		})
	}

	// Many colours, so that the cache is filled, collides and is asked
	// again, against the palette searched by hand.
	rng := rand.New(rand.NewPCG(1, 2))
	colours := make([]color.RGBA, 1<<16)
	for i := range colours {
		colours[i] = color.RGBA{uint8(rng.Uint32()), uint8(rng.Uint32()), uint8(rng.Uint32()), 0xff}
	}
	for pass := range 2 {
		for _, c := range colours {
			if got, want := q.Index(c), nearestByHand(testPalette, c); int(got) != want {
				t.Fatalf("pass %d: Index(%v) = %d, want %d", pass, c, got, want)
			}
		}
	}
}

func TestQuantize(t *testing.T) {
	t.Parallel()
	src := image.NewRGBA(image.Rect(0, 0, 8, 4))
	for y := range 4 {
		for x := range 8 {
			src.SetRGBA(x, y, color.RGBA{uint8(x * 32), uint8(y * 64), 0xb2, 0xff})
		}
	}
	dst := image.NewPaletted(src.Bounds(), testPalette)
	for i := range dst.Pix {
		dst.Pix[i] = 7
	}
	r := image.Rect(2, 1, 6, 3)
	NewQuantizer(testPalette).Quantize(dst, src, r)
	for y := range 4 {
		for x := range 8 {
			want := 7
			if image.Pt(x, y).In(r) {
				want = nearestByHand(testPalette, src.RGBAAt(x, y))
			}
			if got := dst.ColorIndexAt(x, y); int(got) != want {
				t.Errorf("pixel (%d, %d) = %d, want %d", x, y, got, want)
			}
		}
	}
}

func TestNewQuantizerPanics(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		p    color.Palette
	}{
		{"empty", color.Palette{}},
		{"only transparent", color.Palette{color.RGBA{}}},
		{"too many", make(color.Palette, 257)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for i := range tc.p {
				tc.p[i] = color.RGBA{}
			}
			defer func() {
				if recover() == nil {
					t.Errorf("NewQuantizer(%s palette) did not panic", tc.name)
				}
			}()
			NewQuantizer(tc.p)
		})
	}
}
