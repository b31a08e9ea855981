package raster

import (
	"image"
	"image/color"
)

// cacheBits sets the size of a Quantizer's cache: 2^cacheBits colours. An
// anti-aliased plot has a few thousand distinct colours, and a cache
// this large keeps collisions among them rare.
const cacheBits = 16

// Quantizer maps opaque colours to the nearest opaque colour of a fixed
// palette, so that every frame of an animation shares one palette. A colour
// of the palette maps to itself (to its first entry if it is listed twice),
// and nothing maps to a transparent entry. Nearness is the squared distance
// in RGB weighted 2:4:3, a cheap stand-in for perceived difference.
//
// Each colour's answer is kept in a direct-mapped cache, so a frame costs
// about one lookup per pixel. A Quantizer is not safe for concurrent use.
type Quantizer struct {
	palette color.Palette
	opaque  []paletteEntry
	cache   []cacheEntry
}

type paletteEntry struct {
	r, g, b int32
	index   uint8
}

// cacheEntry holds the index of a colour packed as 1<<24 | r<<16 | g<<8 | b,
// so that the zero entry matches no colour.
type cacheEntry struct {
	key   uint32
	index uint8
}

// NewQuantizer returns a quantizer to palette p, which must have from 1 to
// 256 colours, at least one of them opaque.
func NewQuantizer(p color.Palette) *Quantizer {
	if len(p) == 0 || len(p) > 256 {
		panic("raster: a palette needs 1 to 256 colours")
	}
	q := &Quantizer{palette: p, cache: make([]cacheEntry, 1<<cacheBits)}
	for i, c := range p {
		r, g, b, a := c.RGBA()
		if a == 0xffff {
			q.opaque = append(q.opaque, paletteEntry{int32(r >> 8), int32(g >> 8), int32(b >> 8), uint8(i)})
		}
	}
	if len(q.opaque) == 0 {
		panic("raster: a palette needs an opaque colour")
	}
	return q
}

// Index returns the index of the palette colour nearest c, whose alpha is
// ignored.
func (q *Quantizer) Index(c color.RGBA) uint8 {
	return q.lookup(1<<24 | uint32(c.R)<<16 | uint32(c.G)<<8 | uint32(c.B))
}

// Quantize sets the pixels of dst inside r to the palette indices of the
// pixels of src there; dst must use q's palette. Alpha is ignored: src is
// taken as opaque.
func (q *Quantizer) Quantize(dst *image.Paletted, src *image.RGBA, r image.Rectangle) {
	r = r.Intersect(dst.Bounds()).Intersect(src.Bounds())
	last, lastIndex := uint32(0), uint8(0)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		s := src.Pix[src.PixOffset(r.Min.X, y):]
		d := dst.Pix[dst.PixOffset(r.Min.X, y):]
		for x := range r.Dx() {
			key := 1<<24 | uint32(s[4*x])<<16 | uint32(s[4*x+1])<<8 | uint32(s[4*x+2])
			if key != last { // runs of one colour are the common case
				last, lastIndex = key, q.lookup(key)
			}
			d[x] = lastIndex
		}
	}
}

func (q *Quantizer) lookup(key uint32) uint8 {
	e := &q.cache[(key*0x9e3779b1)>>(32-cacheBits)]
	if e.key != key {
		e.key, e.index = key, q.nearest(int32(key>>16&0xff), int32(key>>8&0xff), int32(key&0xff))
	}
	return e.index
}

func (q *Quantizer) nearest(r, g, b int32) uint8 {
	best, bestD := q.opaque[0].index, int32(1<<31-1)
	for _, e := range q.opaque {
		dr, dg, db := r-e.r, g-e.g, b-e.b
		if d := 2*dr*dr + 4*dg*dg + 3*db*db; d < bestD {
			best, bestD = e.index, d
		}
	}
	return best
}
