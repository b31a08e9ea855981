package raster

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"slices"
	"testing"
)

// play decodes a GIF and returns every frame as a viewer sees it: each
// frame drawn over the one before, its transparent pixels showing what was
// there.
func play(tb testing.TB, data []byte) (*gif.GIF, []*image.RGBA) {
	tb.Helper()
	g, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("decoding the GIF: %v", err)
	}
	screen := image.NewRGBA(image.Rect(0, 0, g.Config.Width, g.Config.Height))
	var shown []*image.RGBA
	for i, frame := range g.Image {
		if g.Disposal[i] != gif.DisposalNone {
			tb.Fatalf("frame %d: disposal %d, want none (%d)", i, g.Disposal[i], gif.DisposalNone)
		}
		draw.Draw(screen, frame.Bounds(), frame, frame.Bounds().Min, draw.Over)
		shown = append(shown, image.NewRGBA(screen.Bounds()))
		copy(shown[i].Pix, screen.Pix)
	}
	return g, shown
}

func TestAnimation(t *testing.T) {
	t.Parallel()
	q := NewQuantizer(testPalette)
	anim := NewAnimation(q, 40, 30)

	// Frames drawn as a caller would: shapes over a background, saying
	// which rectangles changed.
	c := whiteCanvas(t, 40, 30)
	c.Stroke([]Point{{0, 15}, {40, 15}}, 1, color.RGBA{0x80, 0x80, 0x80, 0xff}, c.Image.Bounds())
	var want []*image.RGBA
	add := func(delay int, changed ...image.Rectangle) {
		frame := image.NewRGBA(c.Image.Bounds())
		copy(frame.Pix, c.Image.Pix)
		want = append(want, frame)
		anim.Add(c.Image, delay, changed...)
	}
	add(5) // the first frame is whole whatever changed says
	add(5, c.Disc(Point{10, 10}, 3, blue, c.Image.Bounds()))
	add(7) // nothing changed
	add(5,
		c.Disc(Point{30, 20}, 4, color.RGBA{0, 0, 0, 0xff}, c.Image.Bounds()),
		c.Stroke([]Point{{2, 2}, {6, 28}}, 2, blue, c.Image.Bounds()),
	)
	c.FillRect(image.Rect(10, 5, 20, 10), white)
	add(250, image.Rect(10, 5, 20, 10))
	if anim.Len() != 5 {
		t.Fatalf("Len() = %d after 5 frames", anim.Len())
	}

	var buf bytes.Buffer
	if err := anim.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	g, shown := play(t, buf.Bytes())
	if g.LoopCount != 0 {
		t.Errorf("loop count %d, want 0 (for ever)", g.LoopCount)
	}
	if got, want := g.Delay, []int{5, 5, 7, 5, 250}; !slices.Equal(got, want) {
		t.Errorf("delays %v, want %v", got, want)
	}
	if b := g.Image[0].Bounds(); b != image.Rect(0, 0, 40, 30) {
		t.Errorf("first frame covers %v, want the whole picture", b)
	}
	if b := g.Image[2].Bounds(); b.Dx()*b.Dy() != 1 {
		t.Errorf("a frame where nothing changed covers %v, want a single pixel", b)
	}
	if b := g.Image[1].Bounds(); !b.In(image.Rect(6, 6, 15, 15)) {
		t.Errorf("the frame that adds a disc at (10, 10) covers %v, want no more than the disc", b)
	}
	for i := range want {
		for y := range 30 {
			for x := range 40 {
				w := testPalette[nearestByHand(testPalette, want[i].RGBAAt(x, y))]
				if got := shown[i].RGBAAt(x, y); !sameColour(got, w) {
					t.Fatalf("frame %d: pixel (%d, %d) shows %v, want %v", i, x, y, got, w)
				}
			}
		}
	}
}

func TestNewAnimationNeedsTransparency(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("NewAnimation accepted a palette without a transparent colour")
		}
	}()
	NewAnimation(NewQuantizer(testPalette[1:]), 10, 10)
}

func sameColour(a color.Color, b color.Color) bool {
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}
