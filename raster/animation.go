package raster

import (
	"image"
	"image/gif"
	"io"
)

// Animation assembles an animated GIF from full RGBA frames. The first
// frame is stored whole; every later frame is stored as the smallest
// rectangle holding the pixels that differ from the frame before, with the
// pixels inside it that did not change transparent, to be drawn over the
// frame before (GIF disposal "none"). A plot whose paths grow a little each
// frame then costs little more than its first frame, in bytes and in time.
type Animation struct {
	q      *Quantizer
	clear  uint8           // the palette's transparent index
	bounds image.Rectangle // of every frame
	shown  *image.Paletted // what a viewer sees after the last frame
	next   *image.Paletted // scratch: a new frame, valid in its changed region
	g      gif.GIF
}

// NewAnimation starts an animation of w × h frames over q's palette, which
// must have a transparent colour (alpha 0) besides the opaque ones.
func NewAnimation(q *Quantizer, w, h int) *Animation {
	a := &Animation{q: q, bounds: image.Rect(0, 0, w, h)}
	found := false
	for i, c := range q.palette {
		if _, _, _, alpha := c.RGBA(); alpha == 0 {
			a.clear, found = uint8(i), true
			break
		}
	}
	if !found {
		panic("raster: an animation's palette needs a transparent colour")
	}
	a.g.Config = image.Config{ColorModel: q.palette, Width: w, Height: h}
	return a
}

// Len returns the number of frames added so far.
func (a *Animation) Len() int { return len(a.g.Image) }

// Add appends img as the next frame, shown for delay hundredths of a
// second. Only its pixels inside the rectangles changed may differ from
// the frame added before, which keeps the work of a frame proportional to
// what moved in it; the first frame is taken whole, whatever changed says.
// img must have the animation's bounds.
func (a *Animation) Add(img *image.RGBA, delay int, changed ...image.Rectangle) {
	if img.Bounds() != a.bounds {
		panic("raster: a frame must have the animation's bounds")
	}
	a.g.Delay = append(a.g.Delay, delay)
	a.g.Disposal = append(a.g.Disposal, gif.DisposalNone)
	if a.shown == nil {
		a.shown = image.NewPaletted(a.bounds, a.q.palette)
		a.q.Quantize(a.shown, img, a.bounds)
		first := image.NewPaletted(a.bounds, a.q.palette)
		copy(first.Pix, a.shown.Pix)
		a.g.Image = append(a.g.Image, first)
		a.next = image.NewPaletted(a.bounds, a.q.palette)
		return
	}

	// The rectangle of the pixels that really changed.
	diff := image.Rectangle{}
	for _, r := range changed {
		r = r.Intersect(a.bounds)
		a.q.Quantize(a.next, img, r)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			now := a.next.Pix[a.next.PixOffset(r.Min.X, y):][:r.Dx()]
			was := a.shown.Pix[a.shown.PixOffset(r.Min.X, y):][:r.Dx()]
			first := 0
			for first < len(now) && now[first] == was[first] {
				first++
			}
			if first == len(now) {
				continue
			}
			last := len(now) - 1
			for now[last] == was[last] {
				last--
			}
			diff = diff.Union(image.Rect(r.Min.X+first, y, r.Min.X+last+1, y+1))
		}
	}
	if diff.Empty() {
		// Nothing changed; a single transparent pixel still keeps time.
		frame := image.NewPaletted(image.Rect(0, 0, 1, 1), a.q.palette)
		frame.Pix[0] = a.clear
		a.g.Image = append(a.g.Image, frame)
		return
	}
	frame := image.NewPaletted(diff, a.q.palette)
	for i := range frame.Pix {
		frame.Pix[i] = a.clear
	}
	for _, r := range changed {
		r = r.Intersect(diff)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			now := a.next.Pix[a.next.PixOffset(r.Min.X, y):][:r.Dx()]
			was := a.shown.Pix[a.shown.PixOffset(r.Min.X, y):][:r.Dx()]
			out := frame.Pix[frame.PixOffset(r.Min.X, y):][:r.Dx()]
			for x := range now {
				if now[x] != was[x] {
					out[x], was[x] = now[x], now[x]
				}
			}
		}
	}
	a.g.Image = append(a.g.Image, frame)
}

// Encode writes the animation as a GIF that loops forever.
func (a *Animation) Encode(w io.Writer) error {
	a.g.LoopCount = 0
	return gif.EncodeAll(w, &a.g)
}
